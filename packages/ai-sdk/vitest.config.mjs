import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 15_000,
    hookTimeout: 15_000,
    // One module graph per worker instead of one per file: the files import the same sources and start
    // the same sandboxes (whose first start compiles every provider's schemas), and re-doing that per
    // file was most of this suite's CPU time. Safe because the files restore what they change (timers,
    // spies, env) in their own hooks.
    isolate: false,
  },
})
