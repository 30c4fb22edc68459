import { defineConfig } from 'vitest/config'

// `pnpm test` runs the unit tests; the suites with real processes (redis-server, the sandbox's bin, the
// CLI, SIGKILLed workers) run in `pnpm test:integration` (scripts/test.sh), which installs redis-server
// when missing: they spend their time waiting on those processes and would push `pnpm test` past its budget.
const integration = process.env.NB_QUEUE_INTEGRATION === '1'

export default defineConfig({
  test: {
    include: integration
      ? ['test/kill-*.test.ts', 'test/failures.test.ts', 'test/cli.test.ts']
      : ['test/journal.test.ts', 'test/jobs.test.ts', 'test/save-images.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    globalSetup: integration ? ['test/setup/redis.ts'] : [],
    // The slow files mostly wait on spawned processes (sandbox, CLI, workers), not on this CPU: two at a
    // time halves the wall time without crowding a 2-core machine.
    maxWorkers: 2,
    // The unit files in one module graph instead of one each (none changes global state: no mocks, stubs,
    // spies, fake timers or environment changes); the integration files, which spawn and kill processes,
    // stay isolated.
    isolate: integration,
  },
})
