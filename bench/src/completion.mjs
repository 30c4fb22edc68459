// 2. Completion detection: how long after a task completes does the caller know, and how many polls
// did it cost? The SDK's adaptive waiting vs fixed 500 ms and 5 s pollers vs a callback.
import { createServer } from 'node:http'
import { startSandbox } from '@nano-banana/sandbox'
import { createNanoBanana } from '@nano-banana/sdk'
import { createCallbackHandler } from '@nano-banana/sdk/callbacks'
import { pickBenchProvider } from './pick.mjs'
import { median, round } from './stats.mjs'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

async function fixedPoller(nb, taskId, intervalMs) {
  for (;;) {
    await sleep(intervalMs)
    const task = await nb.getTask(taskId)
    if (task.status === 'succeeded' || task.status === 'failed') return task
  }
}

/** A local receiver for the sandbox's callbacks, through the SDK's web-standard handler. */
async function startCallbackReceiver(provider) {
  const waiters = new Map()
  const handler = createCallbackHandler({
    provider,
    // The sandbox on loopback is the only sender; a verified receiver would add a re-read to what is measured.
    allowUnverified: true,
    onTask: (task) => {
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

export async function benchCompletion({ smoke = false } = {}) {
  const durationsMs = smoke ? [400, 800] : [5_000, 20_000, 60_000]
  const reps = smoke ? 1 : 3
  const withHints = await startSandbox({ estimatedTimeHints: true })
  const noHints = await startSandbox({ estimatedTimeHints: false })
  // A provider with an estimate and callbacks, so that every strategy below applies to it.
  const provider = await pickBenchProvider()
  const receiver = await startCallbackReceiver(provider)
  const strategies = {
    'sdk adaptive (estimated_time hint)': { sandbox: withHints, run: (nb, id, s) => nb.wait(id, { estimatedSeconds: s.estimatedSeconds, startedAt: s.startedAt }) },
    'sdk adaptive (progress only, no estimate)': { sandbox: noHints, run: (nb, id, s) => nb.wait(id, { startedAt: s.startedAt }) },
    'fixed 500 ms poller': { sandbox: noHints, run: (nb, id) => fixedPoller(nb, id, 500) },
    'fixed 5 s poller': { sandbox: noHints, run: (nb, id) => fixedPoller(nb, id, 5_000) },
    'callback (no polling)': { sandbox: noHints, callback: true },
  }
  const runs = []
  for (const durationMs of durationsMs) {
    for (const [strategy, def] of Object.entries(strategies)) {
      for (let rep = 0; rep < reps; rep++) {
        runs.push(
          (async () => {
            const nb = createNanoBanana({
              provider,
              apiKey: def.sandbox.apiKey,
              baseUrl: def.sandbox.baseUrl(provider),
              headers: { 'x-sandbox-duration-ms': String(durationMs) },
              allowInsecureCallbackUrl: true,
            })
            const startedAt = Date.now()
            const submission = await nb.submit({ prompt: `bench ${strategy} ${durationMs} ${rep}`, ...(def.callback ? { callbackUrl: receiver.url } : {}) })
            let doneAt
            if (def.callback) doneAt = await receiver.received(submission.taskId)
            else {
              await def.run(nb, submission.taskId, { ...submission, startedAt })
              doneAt = Date.now()
            }
            const task = def.sandbox.tasks.get(provider, submission.taskId)
            const polls = def.sandbox.requests.filter((r) => r.operation === 'getImageTask' && r.taskId === submission.taskId).length
            return { strategy, durationMs, addedMs: doneAt - task.finishedAt, polls }
          })(),
        )
      }
    }
  }
  let results
  try {
    results = await Promise.all(runs)
  } finally {
    await Promise.all([withHints.close(), noHints.close(), receiver.close()])
  }
  const rows = []
  for (const durationMs of durationsMs) {
    const fixed500 = median(results.filter((r) => r.durationMs === durationMs && r.strategy === 'fixed 500 ms poller').map((r) => r.polls))
    for (const strategy of Object.keys(strategies)) {
      const mine = results.filter((r) => r.durationMs === durationMs && r.strategy === strategy)
      const addedMs = median(mine.map((r) => r.addedMs))
      const polls = median(mine.map((r) => r.polls))
      const row = { durationS: durationMs / 1000, strategy, addedLatencyMs: Math.round(addedMs), addedPctOfTask: round((100 * addedMs) / durationMs, 1), polls }
      if (strategy.startsWith('sdk adaptive')) {
        row.target = 'added <= 1 s and <= 10% of task; polls <= 1/5 of the 500 ms poller'
        row.pass = addedMs <= 1000 && addedMs <= 0.1 * durationMs && polls <= fixed500 / 5
      }
      rows.push(row)
    }
  }
  return { name: 'completion detection (EvoLink in the sandbox)', rows }
}
