// 4. Concurrency: many generate() calls in one process against the sandbox, with the client's
// concurrency limit; all must succeed with none lost, within the memory target.
import { startSandbox } from '@nano-banana/sandbox'
import { createNanoBanana } from '@nano-banana/sdk'
import { round } from './stats.mjs'

export async function benchConcurrency({ smoke = false } = {}) {
  const calls = smoke ? 50 : 1000
  const maxConcurrency = smoke ? 25 : 250
  const taskDurationMs = smoke ? 200 : 1000
  const sandbox = await startSandbox({ taskDurationMs })
  const nb = createNanoBanana({ provider: 'evolink', apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl('evolink'), maxConcurrency })
  let peakRss = process.memoryUsage().rss
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
  const submissions = sandbox.submissions('evolink')
  const polls = sandbox.requests.filter((r) => r.operation === 'getImageTask').length
  await sandbox.close()
  // The sandbox itself needs ceil(calls / limit) waves of one task duration: the floor any client can reach.
  const floorMs = Math.ceil(calls / maxConcurrency) * taskDurationMs
  return {
    name: `concurrency (${calls} generate() calls, maxConcurrency ${maxConcurrency}, ${taskDurationMs} ms tasks)`,
    calls,
    succeeded: ok.length,
    lost: calls - ids.size,
    submissions,
    doubleSubmissions: submissions - calls,
    polls,
    wallS: round(wallMs / 1000, 2),
    sandboxFloorS: round(floorMs / 1000, 2),
    efficiency: round(floorMs / wallMs, 2),
    peakRssMiB: round(peakRss / 1024 / 1024, 1),
    target: 'all succeed, 0 lost, peak RSS <= 150 MiB',
    pass: ok.length === calls && ids.size === calls && peakRss <= 150 * 1024 * 1024,
  }
}
