import { availableParallelism } from 'node:os'
import { configDefaults, defineConfig } from 'vitest/config'

// `pnpm test` runs every suite but the fault matrix (every provider x every fault against the sandbox, the
// slowest suite by far); `pnpm test:integration` (scripts/test.sh) runs it, so it still gates CI. The
// parser property tests run in both: 100 runs per property in `pnpm test`, the deeper 300 in
// `pnpm test:integration` (the file reads NB_SDK_INTEGRATION), where they were a fifth of this suite's time.
const integration = process.env.NB_SDK_INTEGRATION === '1'
const matrix = 'test/reliability/fault-matrix.test.ts'
const properties = 'test/reliability/parsers.property.test.ts'

export default defineConfig({
  test: {
    ...(integration ? { include: [matrix, properties] } : { exclude: [...configDefaults.exclude, matrix] }),
    // One module graph per worker instead of one per file: the files import the same sources and start
    // the same sandboxes (whose first start compiles every provider's schemas), and re-doing that per
    // file was most of this suite's CPU time. Safe because the files restore what they change (timers,
    // spies, env) in their own hooks.
    isolate: false,
    // At least two files at a time, even on 2 cores (vitest's default is one worker per core but one): most files spend more time
    // waiting on the sandbox's real task durations and timeouts than computing, and this suite is the
    // longest of `pnpm test`. A second worker costs a second module graph (a few CPU seconds).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
})
