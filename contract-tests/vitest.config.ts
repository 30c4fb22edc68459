import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // `pnpm test` runs the Prism-backed suites (a Prism server per spec; requests, responses) on one
    // provider of each spec shape (test/support/sample.ts): starting and driving every spec's Prism was
    // most of this package's time. `pnpm test:integration` (scripts/test.sh, NB_CONTRACT_INTEGRATION=1)
    // and `pnpm spec:update` run them on every provider, so every spec still gates CI.
    globalSetup: ['./test/global-setup.ts'],
    reporters: ['default', './test/support/coverage-reporter.ts'],
    // Cases are HTTP round trips to local Prism servers: run many at once.
    maxConcurrency: 32,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // One module graph per worker instead of one per file: every file loads the same specs and builds
    // the same validators at import time, and re-doing that per file was a third of this suite's CPU time.
    isolate: false,
  },
})
