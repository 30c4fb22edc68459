// Bytes the V8 heap allocates per round of one overhead side (what GC pressure comes from), measured
// without a collection in between: `node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 bench/src/overhead-alloc.mjs <side> [rounds] [warm-up]`.
// The young generation is made large enough that the counted rounds run without a scavenge, so the
// growth of `heapUsed` over them is what they allocated (ArrayBuffer backing stores, outside the heap, are not counted).
import { openSide } from './overhead.mjs'

const [side = 'sdk', roundsArg = '200', warmupArg = '3000'] = process.argv.slice(2)
if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc')
const { run, close } = await openSide(side)
try {
  for (let i = 0; i < Number(warmupArg); i++) await run()
  const samples = []
  for (let repeat = 0; repeat < 7; repeat++) {
    globalThis.gc()
    const before = process.memoryUsage().heapUsed
    for (let i = 0; i < Number(roundsArg); i++) await run()
    samples.push((process.memoryUsage().heapUsed - before) / Number(roundsArg))
  }
  samples.sort((a, b) => a - b)
  process.stdout.write(
    `${side}: ${(samples[3] / 1024).toFixed(1)} KB/round (median of 7; min ${(samples[0] / 1024).toFixed(1)}, max ${(samples[6] / 1024).toFixed(1)})\n`,
  )
} finally {
  await close()
}
