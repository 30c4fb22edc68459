import { configDefaults, defineConfig } from 'vitest/config'

// `pnpm test` runs every suite but the fault matrix (every provider x every fault against the sandbox, the
// slowest suite by far); `pnpm test:integration` (scripts/test.sh) runs it, so it still gates CI.
const integration = process.env.NB_SDK_INTEGRATION === '1'
const matrix = 'test/reliability/fault-matrix.test.ts'

export default defineConfig({
  test: {
    ...(integration ? { include: [matrix] } : { exclude: [...configDefaults.exclude, matrix] }),
    // One module graph per worker instead of one per file: the files import the same sources and start
    // the same sandboxes (whose first start compiles every provider's schemas), and re-doing that per
    // file was most of this suite's CPU time. Safe because the files restore what they change (timers,
    // spies, env) in their own hooks.
    isolate: false,
  },
})
