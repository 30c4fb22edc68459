#!/usr/bin/env node
// pnpm spec:update <provider> [--message "what changed in the spec"]
//
// After editing specs/<provider>.openapi.yaml: regenerates the provider package, builds it, runs the
// contract tests, then writes the changeset (.changeset/<provider>-spec-<timestamp>.md, patch for
// @nano-banana/<provider> and @nano-banana/sdk) and prints what it did. Stops at the first failing step.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listProviders } from '../packages/codegen/src/index.mjs'

/** One provider per spec in specs/ (codegen's own list, the one the manifest is generated from). */
export const PROVIDERS = await listProviders()

/** `2026-11-28T08-49-20Z`-style timestamp usable in a file name. */
export function timestamp(date = new Date()) {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-')
}

export function specChangesetText(provider, message) {
  const spec = `specs/${provider}.openapi.yaml`
  const body = message ? `${message.trim()} ` : ''
  return `---\n"@nano-banana/${provider}": patch\n"@nano-banana/sdk": patch\n---\n\n${body}Regenerated @nano-banana/${provider} from the updated ${spec}.\n`
}

/** Writes the changeset for a spec update and returns its path. */
export function writeSpecChangeset({ root, provider, message, date = new Date() }) {
  if (!PROVIDERS.includes(provider)) throw new Error(`unknown provider "${provider}"; choose one of: ${PROVIDERS.join(', ')}`)
  const dir = join(root, '.changeset')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${provider}-spec-${timestamp(date)}.md`)
  if (existsSync(file)) throw new Error(`${relative(root, file)} already exists`)
  writeFileSync(file, specChangesetText(provider, message))
  return file
}

function parseArgs(argv) {
  const args = { provider: undefined, message: undefined }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--message' || argv[i] === '-m') args.message = argv[++i]
    else if (argv[i].startsWith('--message=')) args.message = argv[i].slice('--message='.length)
    else if (!args.provider) args.provider = argv[i]
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

function main() {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const { provider, message } = parseArgs(process.argv.slice(2))
  if (!provider || !PROVIDERS.includes(provider)) {
    console.error(`usage: pnpm spec:update <${PROVIDERS.join('|')}> [--message "what changed"]`)
    process.exit(2)
  }
  const pkg = `@nano-banana/${provider}`
  run('generate', 'pnpm', ['--filter', pkg, 'generate'], root)
  run('build', 'pnpm', ['exec', 'turbo', 'run', 'build', `--filter=${pkg}`, '--output-logs=errors-only'], root)
  run('contract tests', 'pnpm', ['--filter', '@nano-banana/contract-tests', 'test'], root)
  const file = writeSpecChangeset({ root, provider, message })
  console.log(`\nspec:update ${provider}:`)
  console.log(`  regenerated packages/${provider}/src/generated from specs/${provider}.openapi.yaml`)
  console.log(`  built ${pkg} (and what it depends on)`)
  console.log('  contract tests passed')
  console.log(`  wrote ${relative(root, file)} (patch: ${pkg}, @nano-banana/sdk): edit its text for users, then commit it with the spec`)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()
