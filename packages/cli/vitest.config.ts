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
  },
})
