import { defineConfig } from 'vitest/config'
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    globalSetup: ['test/setup/redis.ts'],
    // The slow files mostly wait on spawned processes (sandbox, CLI, workers), not on this CPU: two at a
    // time halves the wall time without crowding a 2-core machine that runs other packages' tests too.
    maxWorkers: 2,
  },
})
