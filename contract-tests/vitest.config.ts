import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    reporters: ['default', './test/support/coverage-reporter.ts'],
    // Cases are HTTP round trips to local Prism servers: run many at once.
    maxConcurrency: 32,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
})
