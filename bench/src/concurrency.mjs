// 4. Concurrency: many generate() calls through one client with its concurrency limit, against the
// sandbox in a process of its own; all must succeed with none lost or submitted twice, within the memory
// target. The client runs in a fresh Node process that does nothing else (concurrency-client.mjs): in
// `pnpm bench`'s own process the RSS also held what the earlier benchmarks and the provider pick left
// behind (95.5 MB at this row's start, against ~64 MB for Node with fetch set up + the SDK + one client),
// so its peak moved with the order of the rows, not with the client. The row reports that base, the peak,
// the growth (peak - base) per call, and the same HTTP exchanges with bare fetch in a process without the
// SDK (concurrency-floor.mjs): most of the peak is Node's fetch and V8's heap sizing for this traffic, and
// the difference is what the client adds.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
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

/** Runs `file` (next to this one) in a fresh Node process and returns the JSON line it prints. */
function runProcess(file, args) {
  const script = fileURLToPath(new URL(file, import.meta.url))
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
        reject(new Error(`${file} exited (${code}) without a result: ${out.slice(0, 200)}`))
      }
    })
  })
}

/**
 * One generate() whose requests are recorded as they went out (URL and init): the submit and the last
 * status query, for the bare-fetch floor to repeat. Whatever the provider's API, the bytes are the client's own.
 */
async function recordExchanges(provider, baseUrl, apiKey) {
  const sent = []
  const recording = (url, init) => {
    sent.push({ url: String(url), init: { method: init?.method, headers: init?.headers, body: init?.body } })
    return fetch(url, init)
  }
  await createNanoBanana({ provider, apiKey, baseUrl, fetch: recording }).generate({ prompt: 'concurrency floor' })
  const submit = sent.find((r) => r.init.method === 'POST')
  const poll = sent.findLast((r) => r !== submit)
  if (!submit || !poll || typeof submit.init.body !== 'string') throw new Error('concurrency: no submit and status query to repeat for the floor')
  return { submit, poll }
}

export async function benchConcurrency({ smoke = false } = {}) {
  const calls = smoke ? 50 : 1000
  const maxConcurrency = smoke ? 25 : 100
  const taskDurationMs = smoke ? 200 : 1000
  const sandbox = await startSandboxProcess(taskDurationMs)
  let run
  let stats
  let floor
  try {
    const provider = await pickBenchProvider()
    const baseUrl = `${sandbox.url}/${provider}`
    run = { provider, ...(await runProcess('./concurrency-client.mjs', [baseUrl, provider, String(calls), String(maxConcurrency)])) }
    stats = await sandbox.stats().catch(() => ({}))
    // After the client's run and its counts: the floor's submits are tasks of the sandbox too.
    const exchanges = await recordExchanges(provider, baseUrl, sandbox.apiKey)
    floor = await runProcess('./concurrency-floor.mjs', [JSON.stringify({ ...exchanges, calls, maxConcurrency, waitMs: taskDurationMs })])
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
    // The same exchanges with bare fetch in a process without the SDK (concurrency-floor.mjs): Node's own share.
    bareFetchBaseRssMB: round(floor.baseRss / 1e6, 1),
    bareFetchPeakRssMB: round(floor.peakRss / 1e6, 1),
    overBareFetchMB: round((peakRss - floor.peakRss) / 1e6, 1),
    ...(floor.succeeded === calls ? {} : { bareFetchFailed: calls - floor.succeeded }),
    ...(firstError ? { firstError } : {}),
    target: 'all succeed, 0 lost, 0 double submissions, peak RSS <= 150 MB (a process doing only this)',
    pass: succeeded === calls && distinctTaskIds === calls && submissions === calls && peakRss <= 150e6,
  }
}
