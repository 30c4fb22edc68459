import { defineConfig } from 'vitest/config'
// isolate: false: one module graph for the files instead of one each (they load the same generators
// and specs); it halves this suite's time, and no file changes global state.
export default defineConfig({ test: { include: ['test/**/*.test.mjs'], testTimeout: 60_000, isolate: false } })
