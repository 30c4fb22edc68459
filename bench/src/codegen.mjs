// 5. Codegen and tests: wall time of `pnpm generate` cold and as a turbo cache hit, and of `pnpm test`.
import { spawnSync } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { round } from './stats.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

function timed(command, args, env = {}) {
  const started = process.hrtime.bigint()
  const run = spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', ...env }, maxBuffer: 64 * 1024 * 1024 })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`)
  return round(seconds, 2)
}

export async function benchCodegen({ smoke = false, withTests = !smoke } = {}) {
  const rows = []
  if (!smoke) {
    const cold = timed('pnpm', ['exec', 'turbo', 'run', 'generate', '--force', '--output-logs=none'])
    rows.push({ step: 'pnpm generate, cold (turbo --force)', seconds: cold, target: '<= 15 s', pass: cold <= 15 })
  }
  const hit = timed('pnpm', ['exec', 'turbo', 'run', 'generate', '--output-logs=none'])
  rows.push({ step: 'pnpm generate, turbo cache hit', seconds: hit, target: '<= 2 s', pass: hit <= 2 })
  if (withTests) {
    // TURBO_FORCE: a cache hit would time turbo, not the tests.
    const test = timed('pnpm', ['test'], { TURBO_FORCE: 'true' })
    rows.push({ step: 'pnpm test (every suite, turbo cache off)', seconds: test, target: '<= 120 s on 2 cores', pass: test <= 120 })
    const lint = timed('pnpm', ['lint'], { TURBO_FORCE: 'true' })
    rows.push({ step: 'pnpm lint (specs, changesets, publint, attw; CI runs it too)', seconds: lint })
  }
  return { name: 'codegen and test wall time', rows }
}
