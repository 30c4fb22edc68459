import { defineConfig } from 'vitest/config'
// isolate: false: one module graph for the files instead of one each; no file leaves global state changed
// (no mocks, spies, fake timers or environment changes; guards.test.ts restores the one global it stubs).
export default defineConfig({ test: { include: ['test/**/*.test.ts'], isolate: false } })
