import { defineConfig } from 'vitest/config'
// isolate: false: one module graph for the files instead of one each; no file changes global state (no
// mocks, stubs, spies, fake timers or environment changes).
export default defineConfig({ test: { include: ['test/**/*.test.ts'], isolate: false } })
