// The platform's floor for the concurrency benchmark, run by concurrency.mjs as a fresh Node process
// without the SDK: the same HTTP exchanges with bare fetch (per call the recorded submit, then after one
// task duration the recorded status query, read whole), at the same concurrency, RSS sampled every 25 ms.
// What the client's peak is above this is what the client itself costs. Prints one JSON line.
// Usage: node concurrency-floor.mjs '<{"submit":{url,init},"poll":{url,init},"calls","maxConcurrency","waitMs"}>'
const { submit, poll, calls, maxConcurrency, waitMs } = JSON.parse(process.argv[2])

let active = 0
const queue = []
async function limited(fn) {
  if (active >= maxConcurrency) await new Promise((resolve) => queue.push(resolve))
  active++
  try {
    return await fn()
  } finally {
    active--
    queue.shift()?.()
  }
}

const exchange = async ({ url, init }) => {
  const response = await fetch(url, init)
  await response.text()
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}`)
}

// Node's one-time HTTP setup, paid before the base as in concurrency-client.mjs.
await (await fetch(new URL('/', submit.url))).arrayBuffer()
const baseRss = process.memoryUsage().rss
let peakRss = baseRss
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss)
}, 25)
let settled
try {
  settled = await Promise.allSettled(
    Array.from({ length: calls }, () =>
      limited(async () => {
        await exchange(submit)
        await new Promise((resolve) => setTimeout(resolve, waitMs))
        await exchange(poll)
      }),
    ),
  )
} finally {
  clearInterval(sampler)
}
peakRss = Math.max(peakRss, process.memoryUsage().rss)
const failed = settled.filter((s) => s.status === 'rejected')
process.stdout.write(
  `${JSON.stringify({ succeeded: calls - failed.length, baseRss, peakRss, ...(failed.length ? { firstError: String(failed[0].reason).slice(0, 120) } : {}) })}\n`,
)
