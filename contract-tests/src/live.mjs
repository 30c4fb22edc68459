#!/usr/bin/env node
// pnpm contract:live --provider <id> [--create]
// Runs the live contract checks for one provider: the real API behind `prism proxy <spec> <base url>
// --errors`, with the key from <ID>_API_KEY (and <ID>_BASE_URL for a provider whose spec documents
// no host). Exits non-zero, naming the missing variable, when the key is not set.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { META } from '@nano-banana/manifest'
import { PROVIDERS, getProvider, liveConfig } from './providers.mjs'

/** The base-URL variables of the providers whose spec has no server URL. */
function requiredBaseUrls() {
  const required = PROVIDERS.filter((p) => META[p.id].baseUrlRequired).map((p) => p.baseUrlEnv)
  return required.length ? required.join(', ') : 'none today'
}

const usage = `Usage: pnpm contract:live --provider <${PROVIDERS.map((p) => p.id).join('|')}> [--create]

  --provider <id>  the provider to check against its real API
  --create         also create one image task (costs credits) and query it

Environment:
  <ID>_API_KEY   the provider's key (${PROVIDERS.map((p) => p.keyEnv).join(', ')})
  <ID>_BASE_URL  overrides the spec's server URL; required where the spec documents no host (${requiredBaseUrls()})`

let values
try {
  ;({ values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: { provider: { type: 'string', short: 'p' }, create: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  }))
} catch (error) {
  console.error(`contract:live: ${error.message}\n\n${usage}`)
  process.exit(2)
}
if (values.help) {
  console.log(usage)
  process.exit(0)
}
if (!values.provider) {
  console.error(`contract:live: --provider is required.\n\n${usage}`)
  process.exit(2)
}
let provider
try {
  provider = getProvider(values.provider)
} catch (error) {
  console.error(`contract:live: ${error.message}`)
  process.exit(2)
}

const config = liveConfig(provider)
if (config.missing.length) {
  const lines = config.missing.map((name) =>
    name === provider.keyEnv
      ? `  ${name} is not set: export ${name}=<your ${provider.id} API key>`
      : `  ${name} is not set: export ${name}=<the ${provider.id} API base URL from your account>`,
  )
  console.error(`contract:live: cannot check ${provider.id} against its real API:\n${lines.join('\n')}`)
  process.exit(1)
}

const require = createRequire(import.meta.url)
const vitestPackage = require.resolve('vitest/package.json')
const vitestBin = join(dirname(vitestPackage), require('vitest/package.json').bin.vitest)
const packageRoot = fileURLToPath(new URL('..', import.meta.url))

console.log(`contract:live: ${provider.id} via prism proxy -> ${config.upstream}${values.create ? ' (with task creation)' : ''}`)
const child = spawn(process.execPath, [vitestBin, 'run', 'test/live.test.ts'], {
  cwd: packageRoot,
  stdio: 'inherit',
  env: { ...process.env, CONTRACT_LIVE_PROVIDER: provider.id, CONTRACT_LIVE_CREATE: values.create ? '1' : '0' },
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
