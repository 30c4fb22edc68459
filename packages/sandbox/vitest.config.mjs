import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 10_000,
    hookTimeout: 10_000,
    // One module graph per worker instead of one per file: the files import the same sources and start
    // the same sandboxes (whose first start compiles every provider's schemas), and re-doing that per
    // file was most of this suite's CPU time. Safe because the files restore what they change (timers,
    // spies, env) in their own hooks.
    isolate: false,
    // At least two files at a time, even on 2 cores (vitest's default there is one): the files mostly wait
    // on real task durations, retry schedules and timeouts, and two at a time cut this suite's wall time
    // 19-20 -> 12-13 s in alternating runs for about 2 more CPU seconds (a second module graph).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
})
