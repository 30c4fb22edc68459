// 4. Concurrency: many generate() calls in one client process against the sandbox (run in its own
// process, so the memory measured is the client's), with the client's concurrency limit; all must
// succeed with none lost, within the memory target.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { createNanoBanana } from '@nano-banana/sdk'
import { pickBenchProvider } from './pick.mjs'
import { round } from './stats.mjs'

const require = createRequire(import.meta.url)

/** Starts the sandbox's own CLI in a child process and reads its URL from the first line. */
async function startSandboxProcess(taskDurationMs) {
  const bin = require.resolve('@nano-banana/sandbox/package.json').replace(/package\.json$/, 'dist/bin.js')
  const child = spawn(process.execPath, [bin, '--port', '0', '--duration-ms', String(taskDurationMs)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise((resolve, reject) => {
    let seen = ''
    child.stdout.on('data', (chunk) => {
      seen += chunk
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(seen)
      if (match) resolve(match[0])
    })
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}) before listening: ${seen}`)))
  })
  return {
    url,
    apiKey: 'sk-sandbox',
    stats: async () => (await fetch(`${url}/`)).json(),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', resolve)
        child.kill('SIGTERM')
      }),
  }
}

export async function benchConcurrency({ smoke = false } = {}) {
  const calls = smoke ? 50 : 1000
  const maxConcurrency = smoke ? 25 : 100
  const taskDurationMs = smoke ? 200 : 1000
  const sandbox = await startSandboxProcess(taskDurationMs)
  const provider = await pickBenchProvider()
  const nb = createNanoBanana({ provider, apiKey: sandbox.apiKey, baseUrl: `${sandbox.url}/${provider}`, maxConcurrency })
  const baseRss = process.memoryUsage().rss
  let peakRss = baseRss
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }, 25)
  const started = Date.now()
  let settled
  try {
    settled = await Promise.allSettled(Array.from({ length: calls }, (_, i) => nb.generate({ prompt: `concurrency ${i}` })))
  } finally {
    clearInterval(sampler)
  }
  const wallMs = Date.now() - started
  const ok = settled.filter((s) => s.status === 'fulfilled')
  const ids = new Set(ok.map((s) => s.value.taskId))
  const firstError = settled.find((s) => s.status === 'rejected')?.reason
  const stats = await sandbox.stats().catch(() => ({}))
  await sandbox.close()
  const submissions = stats.submissions?.[provider] ?? stats.submissions ?? ids.size
  // The sandbox itself needs ceil(calls / limit) waves of one task duration: the floor any client can reach.
  const floorMs = Math.ceil(calls / maxConcurrency) * taskDurationMs
  return {
    name: `concurrency (${calls} generate() calls, maxConcurrency ${maxConcurrency}, ${taskDurationMs} ms tasks, sandbox in another process)`,
    calls,
    succeeded: ok.length,
    lost: calls - ids.size,
    ...(typeof submissions === 'number' ? { submissions, doubleSubmissions: submissions - calls } : {}),
    wallS: round(wallMs / 1000, 2),
    sandboxFloorS: round(floorMs / 1000, 2),
    efficiency: round(floorMs / wallMs, 2),
    baseRssMB: round(baseRss / 1e6, 1),
    peakRssMB: round(peakRss / 1e6, 1),
    ...(firstError ? { firstError: String(firstError.message ?? firstError).slice(0, 120) } : {}),
    target: 'all succeed, 0 lost, peak RSS <= 150 MB',
    pass: ok.length === calls && ids.size === calls && peakRss <= 150e6,
  }
}
