// The client side of the concurrency benchmark, run by concurrency.mjs as a fresh Node process that does
// only this: one createNanoBanana client, `calls` generate() calls against the sandbox's URL, RSS sampled
// every 25 ms. Reports one JSON line on stdout. Usage: node concurrency-client.mjs <baseUrl> <provider> <calls> <maxConcurrency>
import { createNanoBanana } from '@nano-banana/sdk'

const [baseUrl, provider, callsArg, limitArg] = process.argv.slice(2)
const calls = Number(callsArg)
const nb = createNanoBanana({ provider, apiKey: 'sk-sandbox', baseUrl, maxConcurrency: Number(limitArg) })
// Node's one-time HTTP setup (loading fetch, compiling its parser on the first connection: ~10 MB) is
// paid before the base, as in concurrency-floor.mjs, so that the growth is what the calls add.
await (await fetch(new URL('/', baseUrl))).arrayBuffer()
// The base: Node with fetch set up, the SDK's modules and one client, before any call.
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
peakRss = Math.max(peakRss, process.memoryUsage().rss)
const ok = settled.filter((s) => s.status === 'fulfilled')
const firstError = settled.find((s) => s.status === 'rejected')?.reason
process.stdout.write(
  `${JSON.stringify({
    succeeded: ok.length,
    distinctTaskIds: new Set(ok.map((s) => s.value.taskId)).size,
    wallMs,
    baseRss,
    peakRss,
    ...(firstError ? { firstError: String(firstError.message ?? firstError).slice(0, 120) } : {}),
  })}\n`,
)
