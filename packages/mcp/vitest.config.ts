import { defineConfig } from 'vitest/config'

// `pnpm test` runs the unit tests; the suite that drives the built server over stdio with the official
// MCP client (spawned processes, a sandbox per server) runs in `pnpm test:integration` (scripts/test.sh).
const integration = process.env.NB_MCP_INTEGRATION === '1'

export default defineConfig({
  test: { include: integration ? ['test/server.test.ts'] : ['test/**/*.test.ts'], exclude: integration ? [] : ['test/server.test.ts'], testTimeout: 30_000 },
})
