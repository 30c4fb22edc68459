import { defineConfig } from 'vitest/config'

// `pnpm test` runs the unit tests; the suite that drives the built server over stdio with the official
// MCP client (spawned processes, a sandbox per server) and the `*.integration.test.ts` files that wait for a
// task's first poll run in `pnpm test:integration` (scripts/test.sh).
const integration = process.env.NB_MCP_INTEGRATION === '1'
const slow = ['test/server.test.ts', 'test/**/*.integration.test.ts']

export default defineConfig({
  test: {
    include: integration ? slow : ['test/**/*.test.ts'],
    exclude: integration ? [] : slow,
    testTimeout: 30_000,
    // The unit files in one module graph instead of one each (they import the same sources; none changes
    // global state: no mocks, stubs, spies, fake timers or environment changes). The integration files
    // stay isolated: dns-guard's spies on the resolver.
    isolate: integration,
  },
})
