#!/usr/bin/env node
// pnpm test:spec-flow: issue 14's first "done when", end to end, in a temporary copy of the repository.
//   1. adds an aspect ratio (default `2:1`) to the default model's ratio enum of a provider's spec, and an
//      optional request field; runs `pnpm spec:update <provider>` (classify, generate, build through
//      turbo, contract tests, changeset). Then: the generated types carry both; the unified client
//      accepts the ratio at type level (tsc on a small file) and at run time (a generate against the
//      sandbox of the copy succeeds, so the sandbox accepts it too); the changeset is `minor` and names
//      the change.
//   2. removes a ratio (default `21:9`) from that enum, runs the flow again: the changeset is `major`
//      and names it; the unified client refuses it at type level and locally at run time
//      (UnsupportedOptionError, zero requests reach the sandbox); the sandbox refuses it too.
// Every provider fact (model, fields, paths, auth) is read from the spec and the generated meta.
// Slow (a copy, an install, two full builds and contract-test runs), so not part of `pnpm test`.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'
import { commitAll, copyRepository } from '../repo-copy.mjs'

const { values } = parseArgs({
  options: {
    provider: { type: 'string' },
    add: { type: 'string', default: '2:1' },
    remove: { type: 'string', default: '21:9' },
    field: { type: 'string', default: 'x_flow_seed' },
    keep: { type: 'boolean', default: false },
  },
})
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const provider = values.provider
if (!provider) {
  console.error('usage: node tools/spec-flow/acceptance.mjs --provider <id> [--add 2:1] [--remove 21:9] [--field x_flow_seed] [--keep]')
  process.exit(2)
}
const work = mkdtempSync(join(tmpdir(), 'nb-spec-flow-'))
const copy = join(work, 'repo')
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' }
const specFile = join(copy, 'specs', `${provider}.openapi.yaml`)
let step = 'setup'

const log = (message) => console.log(`\n[test:spec-flow] ${message}`)
function run(name, cmd, args, options = {}) {
  step = name
  log(`${name}: ${cmd} ${args.join(' ')}`)
  const result = spawnSync(cmd, args, { cwd: copy, env, stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', ...options })
  if (result.status !== 0) throw new Error(`${name} failed (exit ${result.status ?? result.signal})${result.stdout ? `\n${result.stdout}` : ''}`)
  return result.stdout ?? ''
}
const assert = (ok, message) => {
  if (!ok) throw new Error(message)
}
/** Runs an ES module snippet in a package of the copy (its dependencies resolve there). */
const node = (name, packageDir, source) => run(name, process.execPath, ['--input-type=module', '-e', source], { cwd: join(copy, packageDir), capture: true })

/** The spec's default model, its request branch, and the enum node of its aspect-ratio field. */
function target(doc) {
  const at = (ref) =>
    ref
      .slice(2)
      .split('/')
      .reduce((n, k) => n[k], doc)
  const deref = (node) => (node?.$ref ? deref(at(node.$ref)) : node)
  const model = doc['x-default-model']
  const request = doc.components.schemas.CreateImageTaskRequest
  const branch = deref(request.discriminator?.mapping?.[model] ? { $ref: request.discriminator.mapping[model] } : request)
  const path = doc['x-options'].aspectRatio.find((p) => {
    const parts = p.split('.')
    let node = branch
    for (const part of parts) node = deref(node?.properties?.[part])
    return Array.isArray(node?.enum)
  })
  assert(path, `${provider}: the default model ${model} has no aspect-ratio enum`)
  let ratios = branch
  for (const part of path.split('.')) ratios = deref(ratios.properties[part])
  return { model, branch, ratios }
}

function editSpec(edit) {
  const doc = YAML.parse(readFileSync(specFile, 'utf8'))
  const found = target(doc)
  edit(found)
  writeFileSync(specFile, YAML.stringify(doc, { lineWidth: 0 }))
  return found
}

/** The changeset spec:update wrote since the last commit of the copy: its bump for the provider's package and its text. */
function newChangeset(before) {
  const files = readdirSync(join(copy, '.changeset')).filter((f) => f.startsWith(`${provider}-spec-`) && !before.includes(f))
  assert(files.length === 1, `expected one new .changeset/${provider}-spec-*.md, found ${files.join(', ') || 'none'}`)
  const text = readFileSync(join(copy, '.changeset', files[0]), 'utf8')
  const bump = new RegExp(`"@nano-banana/${provider}": (major|minor|patch)`).exec(text)?.[1]
  return { file: files[0], text, bump }
}

/** Type-checks `body` (statements using `nb`, a client of the provider) against the copy's sdk sources. */
function typecheck(name, body) {
  const dir = join(copy, 'packages', 'sdk')
  writeFileSync(
    join(dir, 'flow-check.ts'),
    `import { createNanoBanana } from './src/index.js'\nconst nb = createNanoBanana({ provider: ${JSON.stringify(provider)}, apiKey: 'k' })\nexport const never = () => {\n${body}\n}\n`,
  )
  writeFileSync(join(dir, 'tsconfig.flow.json'), JSON.stringify({ extends: './tsconfig.json', include: ['flow-check.ts'] }))
  try {
    run(name, 'pnpm', ['exec', 'tsc', '-p', 'tsconfig.flow.json', '--noEmit'], { cwd: dir })
  } finally {
    rmSync(join(dir, 'flow-check.ts'))
    rmSync(join(dir, 'tsconfig.flow.json'))
  }
}

/** A snippet: generate on the sandbox of the copy with `model` and `aspectRatio`, print the outcome and the sandbox's count as JSON. */
const generateOnSandbox = (model, ratio) => `
  import { startSandbox } from '@nano-banana/sandbox'
  import { createNanoBanana } from '@nano-banana/sdk'
  import { META } from '@nano-banana/manifest'
  const id = ${JSON.stringify(provider)}
  const sandbox = await startSandbox({ taskDurationMs: 50 })
  const out = {}
  try {
    const nb = createNanoBanana({ provider: id, baseUrl: sandbox.baseUrl(id), apiKey: sandbox.apiKey })
    try {
      const result = await nb.generate({ prompt: 'a banana in flow', model: ${JSON.stringify(model)}, aspectRatio: ${JSON.stringify(ratio)} })
      out.generated = { taskId: result.taskId, images: result.images.length }
    } catch (error) {
      out.error = { name: error.name, message: error.message }
    }
    out.submissions = sandbox.submissions(id)
    // The sandbox itself, sent the ratio directly (fields, path and auth from the generated meta).
    const meta = META[id]
    const caps = meta.models[${JSON.stringify(model)}].capabilities
    const body = { model: ${JSON.stringify(model)} }
    const put = (path, value) => { const keys = path.split('.'); let node = body; for (const k of keys.slice(0, -1)) node = node[k] ??= {}; node[keys.at(-1)] = value }
    put(caps.fields.prompt, 'a banana in flow')
    put(caps.fields.aspectRatio ?? meta.options.aspectRatio.fields[0], ${JSON.stringify(ratio)})
    const response = await fetch(sandbox.baseUrl(id) + meta.operations.create.path, {
      method: meta.operations.create.method,
      headers: { 'content-type': 'application/json', [meta.auth.name]: meta.auth.prefix + sandbox.apiKey },
      body: JSON.stringify(body),
    })
    out.direct = { status: response.status, body: await response.text() }
  } finally { await sandbox.close() }
  console.log(JSON.stringify(out))`
const lastJson = (stdout) => JSON.parse(stdout.trim().split('\n').at(-1))

try {
  step = 'copy'
  copyRepository(root, copy, work)
  run('install', 'pnpm', ['install', '--offline', '--frozen-lockfile=false'])

  // 1. Additive: a new ratio on the default model, a new optional field.
  step = 'edit spec (add)'
  const before1 = readdirSync(join(copy, '.changeset'))
  const { model } = editSpec(({ branch, ratios }) => {
    assert(!ratios.enum.includes(values.add), `${values.add} is already in the enum`)
    ratios.enum.push(values.add)
    branch.properties[values.field] = { type: 'integer', description: 'Added by the spec-flow acceptance test.' }
  })
  log(`${provider}: added ${values.add} to ${model}'s aspect ratios and the optional field ${values.field}`)
  run('spec:update (add)', 'pnpm', ['spec:update', provider, '--message', `Adds ${values.add} and ${values.field}.`])

  step = 'generated types (add)'
  const types = readFileSync(join(copy, 'packages', provider, 'src', 'generated', 'types.gen.ts'), 'utf8')
  assert(types.includes(`'${values.add}'`), `types.gen.ts lacks '${values.add}'`)
  assert(new RegExp(`${values.field}\\?: number`).test(types), `types.gen.ts lacks ${values.field}?: number`)
  const meta = readFileSync(join(copy, 'packages', provider, 'src', 'generated', 'meta.gen.ts'), 'utf8')
  assert(meta.includes(`"${values.add}"`), `meta.gen.ts lacks ${values.add}`)

  const added = newChangeset(before1)
  log(`changeset ${added.file}:\n${added.text}`)
  assert(added.bump === 'minor', `changeset bump is ${added.bump}, expected minor`)
  assert(added.text.includes(values.add) && added.text.includes(values.field), `the changeset summary does not name ${values.add} and ${values.field}`)

  typecheck(
    'tsc: the unified client accepts the new ratio',
    `  void nb.generate({ prompt: 'p', model: ${JSON.stringify(model)}, aspectRatio: ${JSON.stringify(values.add)} })`,
  )
  const ok = lastJson(node('run time: generate with the new ratio on the sandbox', 'packages/sdk', generateOnSandbox(model, values.add)))
  log(`generate ${values.add}: ${JSON.stringify(ok)}`)
  assert(ok.generated?.images > 0, `generate with ${values.add} failed: ${JSON.stringify(ok.error)}`)
  assert(ok.submissions === 1, `the sandbox saw ${ok.submissions} submissions, expected 1`)
  assert(ok.direct.status >= 200 && ok.direct.status < 300, `the sandbox refused ${values.add} sent directly: HTTP ${ok.direct.status} ${ok.direct.body}`)
  run('changeset check (add)', 'pnpm', ['changeset:check'])
  commitAll(copy, `spec: ${provider} adds ${values.add} and ${values.field}`)

  // 2. Breaking: a ratio removed from the same enum.
  step = 'edit spec (remove)'
  const before2 = readdirSync(join(copy, '.changeset'))
  editSpec(({ ratios }) => {
    assert(ratios.enum.includes(values.remove), `${values.remove} is not in ${model}'s enum`)
    ratios.enum = ratios.enum.filter((v) => v !== values.remove)
  })
  log(`${provider}: removed ${values.remove} from ${model}'s aspect ratios`)
  run('spec:update (remove)', 'pnpm', ['spec:update', provider])
  const removed = newChangeset(before2)
  log(`changeset ${removed.file}:\n${removed.text}`)
  assert(removed.bump === 'major', `changeset bump is ${removed.bump}, expected major`)
  assert(removed.text.includes(values.remove), `the changeset summary does not name ${values.remove}`)

  typecheck(
    'tsc: the unified client refuses the removed ratio',
    `  // @ts-expect-error removed from the spec\n  void nb.generate({ prompt: 'p', model: ${JSON.stringify(model)}, aspectRatio: ${JSON.stringify(values.remove)} })`,
  )
  const refused = lastJson(node('run time: generate with the removed ratio', 'packages/sdk', generateOnSandbox(model, values.remove)))
  log(`generate ${values.remove}: ${JSON.stringify(refused)}`)
  assert(refused.error?.name === 'UnsupportedOptionError', `expected UnsupportedOptionError, got ${JSON.stringify(refused.error ?? refused.generated)}`)
  assert(refused.submissions === 0, `${refused.submissions} requests reached the sandbox, expected none`)
  assert(refused.direct.status >= 400 && refused.direct.status < 500, `the sandbox accepted ${values.remove} sent directly: HTTP ${refused.direct.status}`)

  log(
    `ok: ${values.add} added (minor) and ${values.remove} removed (major) flowed into the generated types, the unified client (types and run time) and the sandbox`,
  )
} catch (error) {
  console.error(`\n[test:spec-flow] FAILED at step "${step}": ${error.message}`)
  process.exitCode = 1
} finally {
  if (values.keep) console.log(`[test:spec-flow] kept ${copy}`)
  else rmSync(work, { recursive: true, force: true })
}
