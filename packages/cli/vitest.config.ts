import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

// `pnpm test` runs the unit tests; the README's `pnpm demo` run end to end (a full turbo build, then the CLI
// against the sandbox) and the `*.integration.test.ts` runs that wait for a task provider's first poll run in
// `pnpm test:integration` (scripts/test.sh), which keeps `pnpm test` within its budget.
const integration = process.env.NB_CLI_INTEGRATION === '1'

export default defineConfig({
  test: {
    include: integration ? ['test/demo.test.ts', 'test/**/*.integration.test.ts'] : ['test/**/*.test.ts'],
    exclude: integration ? [] : ['test/demo.test.ts', 'test/**/*.integration.test.ts'],
    testTimeout: 30_000,
    // One module graph per worker instead of one per file: the files import the same sources and start
    // the same sandboxes (whose first start compiles every provider's schemas), and re-doing that per
    // file was most of this suite's CPU time. Safe because the files restore what they change (timers,
    // spies, env) in their own hooks.
    isolate: false,
    // At least two files at a time, even on 2 cores (vitest's default there is one): the files mostly wait
    // on spawned CLIs polling their tasks, and two at a time cut this suite's wall time 32-34 -> 19-25 s in
    // alternating runs with no more CPU time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
})
