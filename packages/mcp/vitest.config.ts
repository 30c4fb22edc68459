import { defineConfig } from 'vitest/config'

// `pnpm test` runs the unit tests; the suite that drives the built server over stdio with the official
// MCP client (spawned processes, a sandbox per server) and the `*.integration.test.ts` files that wait for a
// task's first poll run in `pnpm test:integration` (scripts/test.sh).
const integration = process.env.NB_MCP_INTEGRATION === '1'
const slow = ['test/server.test.ts', 'test/**/*.integration.test.ts']

export default defineConfig({
  test: { include: integration ? slow : ['test/**/*.test.ts'], exclude: integration ? [] : slow, testTimeout: 30_000 },
})
