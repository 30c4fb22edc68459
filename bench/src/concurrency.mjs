// 4. Concurrency: many generate() calls through one client with its concurrency limit, against the
// sandbox in a process of its own; all must succeed with none lost or submitted twice, within the memory
// target. The client runs in a fresh Node process that does nothing else (concurrency-client.mjs): in
// `pnpm bench`'s own process the RSS also held what the earlier benchmarks and the provider pick left
// behind (95.5 MB at this row's start, against ~53 MB for Node + the SDK + one client), so its peak
// moved with the order of the rows, not with the client. The row reports that base, the peak, and the
// growth (peak - base) per call.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
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

/** Runs concurrency-client.mjs in a fresh Node process and returns the JSON line it prints. */
function runClientProcess(args) {
  const script = fileURLToPath(new URL('./concurrency-client.mjs', import.meta.url))
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
    })
    child.once('error', reject)
    child.once('exit', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()))
      } catch {
        reject(new Error(`concurrency client exited (${code}) without a result: ${out.slice(0, 200)}`))
      }
    })
  })
}

export async function benchConcurrency({ smoke = false } = {}) {
  const calls = smoke ? 50 : 1000
  const maxConcurrency = smoke ? 25 : 100
  const taskDurationMs = smoke ? 200 : 1000
  const sandbox = await startSandboxProcess(taskDurationMs)
  let run
  let stats
  try {
    const provider = await pickBenchProvider()
    run = { provider, ...(await runClientProcess([`${sandbox.url}/${provider}`, provider, String(calls), String(maxConcurrency)])) }
    stats = await sandbox.stats().catch(() => ({}))
  } finally {
    await sandbox.close()
  }
  const { provider, succeeded, distinctTaskIds, wallMs, baseRss, peakRss, firstError } = run
  const submissions = stats.submissions?.[provider] ?? stats.submissions ?? distinctTaskIds
  // The sandbox itself needs ceil(calls / limit) waves of one task duration: the floor any client can reach.
  const floorMs = Math.ceil(calls / maxConcurrency) * taskDurationMs
  return {
    name: `concurrency (${calls} generate() calls, maxConcurrency ${maxConcurrency}, ${taskDurationMs} ms tasks, the client alone in a fresh process, the sandbox in another)`,
    calls,
    succeeded,
    lost: calls - distinctTaskIds,
    ...(typeof submissions === 'number' ? { submissions, doubleSubmissions: submissions - calls } : {}),
    wallS: round(wallMs / 1000, 2),
    sandboxFloorS: round(floorMs / 1000, 2),
    efficiency: round(floorMs / wallMs, 2),
    baseRssMB: round(baseRss / 1e6, 1),
    peakRssMB: round(peakRss / 1e6, 1),
    growthPerCallKB: round((peakRss - baseRss) / calls / 1e3, 1),
    ...(firstError ? { firstError } : {}),
    target: 'all succeed, 0 lost, 0 double submissions, peak RSS <= 150 MB (a process doing only this)',
    pass: succeeded === calls && distinctTaskIds === calls && submissions === calls && peakRss <= 150e6,
  }
}
