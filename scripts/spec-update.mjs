#!/usr/bin/env node
// pnpm spec:update <provider> [--message "what changed"] [--base <ref>] [--dry-run]
//
// After editing specs/<provider>.openapi.yaml:
//   1. classifies the change from the committed spec (`git show <base>:specs/<provider>.openapi.yaml`,
//      base HEAD) to the working-tree one with api-smart-diff (scripts/spec-diff.mjs): breaking ->
//      major, additive -> minor, docs only -> patch; prints the classification and the breaking items;
//   2. regenerates the whole workspace (`pnpm generate`: the provider package, and the manifest and
//      the sdk/sandbox registries generated from every spec), builds it, runs the contract tests;
//   3. writes .changeset/<provider>-spec-<timestamp>.md: that bump for @nano-banana/<provider> and the
//      packages built from its generated meta and types, with the list of changes as the summary.
// Stops at the first failing step, before any changeset is written. --dry-run stops after step 1.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listProviders } from '@nano-banana/codegen'
import YAML from 'yaml'
import { classifySpecText, formatChanges } from './spec-diff.mjs'

/** `2026-11-28T08-49-20Z`-style timestamp usable in a file name. */
export function timestamp(date = new Date()) {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-')
}

export const specFileOf = (provider) => `specs/${provider}.openapi.yaml`

function git(root, args) {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  return { ok: r.status === 0, out: r.stdout ?? '', err: (r.stderr ?? '').trim() }
}

/** The spec's text at `ref`, or null when it does not exist there (a new spec). */
export function specTextAt(root, ref, file) {
  if (!git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).ok) throw new Error(`${ref} is not a commit in ${root}`)
  const r = git(root, ['show', `${ref}:${file}`])
  return r.ok ? r.out : null
}

/** Classification of specs/<provider>.openapi.yaml from `base` to the working tree. */
export async function classifyProvider({ root, provider, base = 'HEAD' }) {
  const providers = await listProviders(join(root, 'specs'))
  if (!providers.includes(provider)) throw new Error(`unknown provider "${provider}"; choose one of: ${providers.join(', ')}`)
  const file = specFileOf(provider)
  return { file, base, ...classifySpecText(specTextAt(root, base, file), readFileSync(join(root, file), 'utf8')) }
}

/** The package.json of every workspace package (pnpm-workspace.yaml's `dir/*` and `dir` entries; `packages/*` without one). */
function workspacePackages(root) {
  const file = join(root, 'pnpm-workspace.yaml')
  const globs = existsSync(file) ? (YAML.parse(readFileSync(file, 'utf8'))?.packages ?? []) : ['packages/*']
  const dirs = globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return [join(root, glob)]
    const parent = join(root, glob.slice(0, -2))
    return existsSync(parent) ? readdirSync(parent).map((d) => join(parent, d)) : []
  })
  return dirs
    .map((d) => join(d, 'package.json'))
    .filter((f) => existsSync(f))
    .map((f) => JSON.parse(readFileSync(f, 'utf8')))
}

/**
 * The provider's package name, and the published packages built from its generated meta and types:
 * those that depend on it, and those whose `generate` writes a registry from every spec
 * (`nano-banana-codegen --registry`, e.g. the sandbox, which reaches the meta through the manifest),
 * and those that ship the specs themselves (`specs` in `files`: the contract tests).
 */
export function packagesOf(root, provider) {
  const pkgs = workspacePackages(root)
  const own = pkgs.find((p) => p.scripts?.generate?.split(/\s+/).includes(provider) && !/--registry/.test(p.scripts.generate))
  const name = own?.name ?? `@nano-banana/${provider}`
  const dependents = pkgs
    .filter((p) => !p.private && p.name !== name)
    .filter(
      (p) =>
        name in { ...p.dependencies, ...p.peerDependencies } ||
        /nano-banana-codegen\s+--registry/.test(p.scripts?.generate ?? '') ||
        (p.files ?? []).includes('specs'),
    )
    .map((p) => p.name)
    .sort()
  return { name, dependents }
}

const KIND = { major: 'breaking', minor: 'additive', patch: 'docs-only' }

export function specChangesetText({ provider, file = specFileOf(provider), name = `@nano-banana/${provider}`, dependents = [], bump, changes, message }) {
  const releases = [name, ...dependents].map((n) => `"${n}": ${bump}`).join('\n')
  const intro = message ? `${message.trim()}\n\n` : ''
  const list = formatChanges(changes, { limit: 50 })
  return `---\n${releases}\n---\n\n${intro}${file} changed (${KIND[bump]}: ${bump}); regenerated ${name}. Changes (api-smart-diff):\n\n${list}\n`
}

/** Writes the changeset for a spec update and returns its path. */
export function writeSpecChangeset({ root, provider, classification, message, date = new Date() }) {
  if (!classification?.bump) throw new Error(`no change to ${specFileOf(provider)}: no changeset to write`)
  const { name, dependents } = packagesOf(root, provider)
  const dir = join(root, '.changeset')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${provider}-spec-${timestamp(date)}.md`)
  if (existsSync(file)) throw new Error(`${relative(root, file)} already exists`)
  writeFileSync(
    file,
    specChangesetText({ provider, file: classification.file, name, dependents, bump: classification.bump, changes: classification.changes, message }),
  )
  return file
}

/** What the terminal shows about a classification: the bump, the breaking items, then the rest. */
export function describeClassification({ file, base, bump, changes }, { limit = 30 } = {}) {
  if (!bump) return `${file}: no change since ${base}.`
  const count = (t) => changes.filter((c) => c.bump === t).length
  const lines = [`${file} since ${base}: ${bump} (${count('major')} breaking, ${count('minor')} additive or unclassified, ${count('patch')} docs-only changes)`]
  const breaking = changes.filter((c) => c.bump === 'major')
  if (breaking.length) lines.push('Breaking changes:', formatChanges(breaking))
  const rest = changes.filter((c) => c.bump !== 'major')
  if (rest.length) lines.push(breaking.length ? 'Other changes:' : 'Changes:', formatChanges(rest, { limit }))
  if (changes.some((c) => c.type === 'unclassified')) lines.push('(unclassified: the diff library has no rule for it; counted as minor, review it)')
  return lines.join('\n')
}

function parseArgs(argv) {
  const args = { provider: undefined, message: undefined, base: 'HEAD', dryRun: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--message' || a === '-m') args.message = argv[++i]
    else if (a.startsWith('--message=')) args.message = a.slice('--message='.length)
    else if (a === '--dry-run') args.dryRun = true
    else if (a === '--base') args.base = argv[++i]
    else if (a.startsWith('--base=')) args.base = a.slice('--base='.length)
    else if (!args.provider) args.provider = a
  }
  return args
}

function run(step, cmd, args, cwd) {
  console.log(`\n> ${step}: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' })
  if (r.status !== 0) {
    console.error(`\nspec:update: ${step} failed (exit ${r.status ?? r.signal}); no changeset written.`)
    process.exit(r.status || 1)
  }
}

async function main() {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const { provider, message, base, dryRun } = parseArgs(process.argv.slice(2))
  const providers = await listProviders(join(root, 'specs'))
  if (!provider || !providers.includes(provider)) {
    console.error(`usage: pnpm spec:update <${providers.join('|')}> [--message "what changed"] [--base <ref>] [--dry-run]`)
    process.exit(2)
  }
  const classification = await classifyProvider({ root, provider, base })
  console.log(describeClassification(classification))
  if (dryRun) return
  run('generate', 'pnpm', ['generate'], root)
  run('build', 'pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], root)
  // Every provider's contract, not the quick sample of `pnpm test`: the edited spec may be any of them.
  run('contract tests', 'pnpm', ['--filter', '@nano-banana/contract-tests', 'test:integration'], root)
  console.log(`\nspec:update ${provider}:`)
  console.log('  regenerated the workspace from specs/ (provider package, manifest, registries) and built it')
  console.log('  contract tests passed')
  if (!classification.bump) {
    console.log(`  ${classification.file} is unchanged since ${base}: no changeset written (use --base <ref> to compare with an older commit)`)
    return
  }
  const file = writeSpecChangeset({ root, provider, classification, message })
  const { name, dependents } = packagesOf(root, provider)
  console.log(`  wrote ${relative(root, file)} (${classification.bump}: ${[name, ...dependents].join(', ')})`)
  console.log('  review it (add a sentence for users at the top), then commit it with the spec and the regenerated files')
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`spec:update: ${e instanceof Error ? e.message : String(e)}`)
    process.exit(1)
  })
}
