// 2. Completion detection: how long after a task completes does the caller know, and how many polls
// did it cost? The SDK's waiting (learned durations, estimates, callbacks) beside a fixed 500 ms poller
// (what the peer clients and the AI SDK do), a 5 s poller and a bare callback, in the same run, against
// the sandbox in real time.
import { createServer } from 'node:http'
import { startSandbox } from '@nano-banana/sandbox'
import { createNanoBanana, createTaskEvents } from '@nano-banana/sdk'
import { createCallbackHandler } from '@nano-banana/sdk/callbacks'
import { pickBenchProvider, pickHintlessProvider } from './pick.mjs'
import { median, round } from './stats.mjs'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const DURATION_HEADER = 'x-sandbox-duration-ms'

async function fixedPoller(nb, taskId, intervalMs) {
  for (;;) {
    await sleep(intervalMs)
    const task = await nb.getTask(taskId)
    if (task.status === 'succeeded' || task.status === 'failed') return task
  }
}

/** A local receiver for the sandbox's callbacks, through the SDK's web-standard handler; it also feeds `events`. */
async function startCallbackReceiver(provider, events) {
  const waiters = new Map()
  const handler = createCallbackHandler({
    provider,
    // The sandbox on loopback is the only sender; a verified receiver would add a re-read to what is measured.
    allowUnverified: true,
    onTask: (task) => {
      events.publish(task)
      if (task.status === 'succeeded' || task.status === 'failed') {
        const at = Date.now()
        waiters.get(task.taskId)?.(at)
        waiters.set(task.taskId, at)
      }
    },
  })
  const server = createServer(async (req, res) => {
    const chunks = []
    for await (const c of req) chunks.push(c)
    const response = await handler(new Request('http://127.0.0.1/cb', { method: 'POST', headers: req.headers, body: Buffer.concat(chunks) }))
    res.writeHead(response.status, { 'content-type': 'application/json' }).end(await response.text())
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${server.address().port}/cb`,
    received: (taskId) => {
      const known = waiters.get(taskId)
      if (typeof known === 'number') return Promise.resolve(known)
      return new Promise((resolve) => waiters.set(taskId, resolve))
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections()
        server.close(r)
      }),
  }
}

/** A client whose next submit asks the sandbox for a task of `durationMs` (set before each task). */
function benchClient(sandbox, provider, extra = {}) {
  const pace = { durationMs: 1000 }
  const nb = createNanoBanana({
    provider,
    apiKey: sandbox.apiKey,
    baseUrl: sandbox.baseUrl(provider),
    allowInsecureCallbackUrl: true,
    fetch: (input, init = {}) => {
      const headers = new Headers(init.headers)
      headers.set(DURATION_HEADER, String(pace.durationMs))
      return fetch(input, { ...init, headers })
    },
    ...extra,
  })
  return { nb, pace }
}

/** One task: submit, wait as `strategy` does, and measure against the sandbox's own record of it. */
async function measure(sandbox, provider, client, durationMs, strategy, label) {
  client.pace.durationMs = durationMs
  const startedAt = Date.now()
  const submission = await client.nb.submit({ prompt: `bench ${label}`, ...(strategy.callbackUrl ? { callbackUrl: strategy.callbackUrl } : {}) })
  const doneAt = await strategy.wait(client.nb, submission, startedAt)
  const task = sandbox.tasks.get(provider, submission.taskId)
  const polls = sandbox.requests.filter((r) => r.operation === 'getImageTask' && r.taskId === submission.taskId).length
  return { addedMs: doneAt - task.finishedAt, polls }
}

const sdkWait =
  (withEstimate, callback = false) =>
  async (nb, submission, startedAt) => {
    await nb.wait(submission.taskId, {
      startedAt,
      model: submission.model,
      callback,
      ...(withEstimate ? { estimatedSeconds: submission.estimatedSeconds } : {}),
    })
    return Date.now()
  }
const fixedWait = (intervalMs) => async (nb, submission) => {
  await fixedPoller(nb, submission.taskId, intervalMs)
  return Date.now()
}

/** Eight ~8 s (+-20%) durations in an order that does not sort them. */
const BATCH_S = [8.3, 6.9, 9.4, 7.6, 8.8, 6.5, 9.1, 7.9]

export async function benchCompletion({ smoke = false } = {}) {
  const scale = smoke ? 0.05 : 1
  const singles = (smoke ? [4_000, 8_000] : [4_000, 16_000, 60_000]).map((ms) => ms * scale)
  const batch = BATCH_S.map((s) => s * 1000 * scale)
  // A smoke run shrinks every duration, so it shrinks the SDK's pacing and the pollers' intervals alike.
  const polling = smoke ? { polling: { initialDelayMs: 4200 * scale, minDelayMs: 25, maxDelayMs: 3_000, callbackSafetyNetMs: 3_000 } } : {}
  const every = (ms) => fixedWait(ms * scale)
  const withHints = await startSandbox({ estimatedTimeHints: true })
  const noHints = await startSandbox({ estimatedTimeHints: false })
  // Chosen by what they do, never by name: one that gives an estimate and callbacks, one that gives neither progress nor estimate.
  const estimating = await pickBenchProvider()
  const hintless = await pickHintlessProvider()
  const events = createTaskEvents()
  const receiver = await startCallbackReceiver(estimating, events)
  const rows = []
  try {
    const jobs = []
    // A batch of eight tasks, one after the other, through one client: it learns from the first ones.
    const batchOf = (name, wait, extra) =>
      (async () => {
        const client = benchClient(noHints, hintless, { ...polling, ...extra })
        const out = []
        for (const [i, ms] of batch.entries()) out.push(await measure(noHints, hintless, client, ms, { wait }, `${name} ${i}`))
        return { name, out }
      })()
    jobs.push(batchOf('sdk (learned durations)', sdkWait(false)), batchOf('fixed 500 ms poller', every(500)))
    // Single tasks, each through a new client (no history).
    const singleOf = (sandbox, provider, name, strategy, durationMs, extra) =>
      (async () => ({
        name,
        durationMs,
        ...(await measure(sandbox, provider, benchClient(sandbox, provider, { ...polling, ...extra }), durationMs, strategy, `${name} ${durationMs}`)),
      }))()
    const singleJobs = []
    for (const ms of singles) {
      singleJobs.push(singleOf(noHints, hintless, `${hintless}: sdk, no history, no hint`, { wait: sdkWait(false) }, ms))
      singleJobs.push(singleOf(noHints, hintless, `${hintless}: fixed 500 ms poller`, { wait: every(500) }, ms))
      singleJobs.push(singleOf(noHints, hintless, `${hintless}: fixed 5 s poller`, { wait: every(5_000) }, ms))
      singleJobs.push(singleOf(withHints, estimating, `${estimating}: sdk, exact estimate`, { wait: sdkWait(true) }, ms))
      singleJobs.push(
        singleOf(noHints, estimating, `${estimating}: sdk, callback first (taskEvents)`, { wait: sdkWait(false, true), callbackUrl: receiver.url }, ms, {
          taskEvents: events,
        }),
      )
      singleJobs.push(
        singleOf(
          noHints,
          estimating,
          `${estimating}: callback alone (no polling)`,
          { wait: (_nb, s) => receiver.received(s.taskId), callbackUrl: receiver.url },
          ms,
        ),
      )
    }
    const [batches, singlesOut] = await Promise.all([Promise.all(jobs), Promise.all(singleJobs)])

    const fixedBatch = batches.find((b) => b.name === 'fixed 500 ms poller').out.slice(3)
    const fixedPolls = fixedBatch.reduce((n, r) => n + r.polls, 0)
    for (const { name, out } of batches) {
      const later = out.slice(3)
      const polls = later.reduce((n, r) => n + r.polls, 0)
      const addedMs = median(later.map((r) => r.addedMs))
      const row = {
        scenario: `batch of 8 ~${8 * scale} s tasks (${hintless}, no hint), tasks 4-8`,
        strategy: name,
        polls,
        pollsPerTask: round(polls / later.length, 1),
        addedLatencyMs: Math.round(addedMs),
        pollsOfTasks1to3: out
          .slice(0, 3)
          .map((r) => r.polls)
          .join(' '),
      }
      if (name.startsWith('sdk')) {
        row.target = "polls <= 1/4 of the 500 ms poller's; median added <= 600 ms"
        row.pass = polls <= fixedPolls / 4 && addedMs <= 600 * scale
      }
      rows.push(row)
    }
    for (const ms of singles) {
      const fixed = singlesOut.find((r) => r.durationMs === ms && r.name.endsWith('fixed 500 ms poller'))
      for (const r of singlesOut.filter((s) => s.durationMs === ms)) {
        const row = {
          scenario: `single ${ms / 1000} s task`,
          strategy: r.name,
          polls: r.polls,
          addedLatencyMs: Math.round(r.addedMs),
          addedPctOfTask: round((100 * r.addedMs) / ms, 1),
        }
        if (r.name.includes('no history')) {
          row.target = "polls <= 1/2 of the 500 ms poller's; added <= 10% of the task"
          row.pass = r.polls <= fixed.polls / 2 && r.addedMs <= 0.1 * ms
        } else if (r.name.includes('exact estimate')) {
          row.target = 'polls <= 3; added <= 300 ms'
          row.pass = r.polls <= 3 && r.addedMs <= 300 * scale
        } else if (r.name.includes('callback first')) {
          row.target = 'polls <= 2 (the confirming one); added <= 300 ms'
          row.pass = r.polls <= 2 && r.addedMs <= 300 * scale
        }
        rows.push(row)
      }
    }
  } finally {
    await Promise.all([withHints.close(), noHints.close(), receiver.close()])
  }
  return { name: 'completion detection (sandbox, real time)', rows }
}
