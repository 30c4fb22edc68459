#!/usr/bin/env node
// pnpm test:scaffold: issue 12's "done when" for `pnpm new-provider`, end to end, in a temporary copy of
// the repository (HEAD plus the working tree's uncommitted changes):
//   pnpm new-provider zeta --from <id>, pnpm generate, pnpm build; then the unified client generates an
//   image from the sandbox's zeta, the CLI lists it, the AI SDK adapter generates with it, and
//   `git status` shows changes only in zeta's own files, generated files, package.json files and the lockfile.
// Slow (a copy, an install and a full build), so it is not part of `pnpm test`; scripts/test.sh runs it.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { copyRepository } from '../repo-copy.mjs'

const { values } = parseArgs({ options: { from: { type: 'string' }, id: { type: 'string', default: 'zeta' }, keep: { type: 'boolean', default: false } } })
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const id = values.id
const from = values.from
if (!from) {
  console.error('usage: node tools/scaffold/acceptance.mjs --from <existing-provider-id> [--id zeta] [--keep]')
  process.exit(2)
}

const work = mkdtempSync(join(tmpdir(), 'nb-scaffold-'))
const copy = join(work, 'repo')
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' }
let step = 'setup'

function run(name, cmd, args, options = {}) {
  step = name
  console.log(`\n[test:scaffold] ${name}: ${cmd} ${args.join(' ')}`)
  const result = spawnSync(cmd, args, { cwd: copy, env, stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', ...options })
  if (result.status !== 0) throw new Error(`${name} failed (exit ${result.status ?? result.signal})`)
  return result.stdout ?? ''
}
const git = (args, cwd = root) => execFileSync('git', args, { cwd, encoding: 'utf8' })

/** Runs an ES module snippet with `cwd` as the package whose dependencies it imports. */
function check(name, packageDir, source) {
  run(name, process.execPath, ['--input-type=module', '-e', source], { cwd: join(copy, packageDir) })
}

try {
  // The copy: a clone of HEAD, the uncommitted changes applied, committed there as the baseline.
  step = 'copy'
  copyRepository(root, copy, work)

  run('install', 'pnpm', ['install', '--offline', '--frozen-lockfile=false'])
  run('new-provider', 'pnpm', ['new-provider', id, '--from', from])
  run('generate', 'pnpm', ['generate'])
  run('build', 'pnpm', ['build'])

  check(
    'unified client + sandbox',
    'packages/cli',
    `import { startSandbox } from '@nano-banana/sandbox'
     import { createNanoBanana, providerIds } from '@nano-banana/sdk'
     if (!providerIds.includes(${JSON.stringify(id)})) throw new Error('providerIds lacks ${id}: ' + providerIds.join(', '))
     const sandbox = await startSandbox({ taskDurationMs: 50 })
     try {
       const nb = createNanoBanana({ provider: ${JSON.stringify(id)}, baseUrl: sandbox.baseUrl(${JSON.stringify(id)}), apiKey: sandbox.apiKey })
       const result = await nb.generate({ prompt: 'a scaffolded banana' })
       if (!result.taskId || !(result.images?.length || result.urls?.length)) throw new Error('generate() returned no image: ' + JSON.stringify(result))
       if (sandbox.submissions(${JSON.stringify(id)}) !== 1) throw new Error('the sandbox saw no ${id} submission')
       console.log('generate() on ${id}:', result.taskId)
     } finally { await sandbox.close() }`,
  )

  step = 'cli providers --json'
  const listed = run('cli providers --json', process.execPath, ['packages/cli/dist/bin.js', 'providers', '--json'], { capture: true })
  if (!listed.includes(`"${id}"`)) throw new Error(`nano-banana providers --json does not list ${id}`)

  check(
    'ai-sdk adapter',
    'packages/ai-sdk',
    `import { startSandbox } from '@nano-banana/sandbox'
     import { generateImage } from 'ai'
     import { createNanoBananaProvider } from '@nano-banana/ai-sdk'
     const sandbox = await startSandbox({ taskDurationMs: 50 })
     try {
       const provider = createNanoBananaProvider({ apiKeys: { ${id}: sandbox.apiKey }, baseUrls: { ${id}: sandbox.baseUrl(${JSON.stringify(id)}) } })
       const result = await generateImage({ model: provider.image(${JSON.stringify(id)}), prompt: 'a scaffolded banana' })
       if (result.images.length !== 1) throw new Error('generateImage returned ' + result.images.length + ' images')
       console.log('ai-sdk generateImage on ${id}: ok')
     } finally { await sandbox.close() }`,
  )

  step = 'git status'
  const own = new RegExp(`(^|/)${id}(/|\\.|-|_)`)
  const allowed = (path) => own.test(path) || /(^|\/)generated\/|\.gen\.[a-z]+$/.test(path) || /(^|\/)package\.json$/.test(path) || path === 'pnpm-lock.yaml'
  const status = git(['status', '--porcelain', '--untracked-files=all'], copy).split('\n').filter(Boolean)
  const paths = status.map((line) => line.slice(3))
  const outside = paths.filter((p) => !allowed(p))
  console.log(`\n[test:scaffold] git status: ${paths.length} paths changed or added`)
  if (outside.length) throw new Error(`files changed outside ${id}'s own, generated, package.json and lockfile:\n  ${outside.join('\n  ')}`)
  console.log(`\n[test:scaffold] ok: ${id} (from ${from}) is known to the unified client, the sandbox, the CLI and the AI SDK adapter`)
} catch (error) {
  console.error(`\n[test:scaffold] FAILED at step "${step}": ${error.message}`)
  process.exitCode = 1
} finally {
  if (values.keep) console.log(`[test:scaffold] kept ${copy}`)
  else rmSync(work, { recursive: true, force: true })
}
