// One side of the overhead benchmark in a process of its own (forked by benchOverhead in overhead.mjs):
// `sdk` or `fetch` against the benchmark's loopback server, or, for a peer (`peer:<file>|<name>`, see
// peers/index.mjs), `peer` or `fetch` against that peer's. It runs blocks of calls when told, timing each
// call, and hands back the median of the calls timed since it was last asked.
import { performance } from 'node:perf_hooks'
import { median } from './stats.mjs'
import { overheadSides } from './overhead.mjs'
import { peerNamed } from './peers/index.mjs'

const [provider, url, side] = process.argv.slice(2)
if (typeof globalThis.gc !== 'function') throw new Error('overhead-side.mjs runs with --expose-gc')

/** What the server recorded (the parent holds it): the hand-written side sends exactly those requests. */
let asked = 0
const pending = new Map()
const recorded = () =>
  new Promise((resolve) => {
    const id = ++asked
    pending.set(id, resolve)
    process.send({ type: 'requests', id })
  })

let run
let samples = []
process.on('message', async (message) => {
  if (message.type === 'requests') {
    pending.get(message.id)?.(message.requests)
    pending.delete(message.id)
  } else if (message.type === 'block') {
    for (let i = 0; i < message.calls; i++) {
      const start = performance.now()
      await run()
      samples.push(performance.now() - start)
    }
    process.send({ type: 'done' })
  } else if (message.type === 'collect') {
    const p50 = median(samples)
    samples = []
    // The next round starts from an empty young generation: it pays for none of this round's garbage.
    globalThis.gc()
    process.send({ type: 'p50', p50 })
  } else if (message.type === 'exit') {
    process.disconnect()
  }
})
if (provider.startsWith('peer:')) {
  const [file, name] = provider.slice('peer:'.length).split('|')
  run = (await (await peerNamed(file, name)).overhead.sides(url))[side]
} else {
  const sides = await overheadSides(provider, { url, recorded })
  run = side === 'fetch' ? sides.handWritten : sides.sdk
}
process.send({ type: 'ready' })
