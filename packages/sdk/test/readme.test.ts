import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { capabilityMatrixMarkdown } from '../src/matrix.js'
import { providers } from '../src/providers/index.js'

// The README's matrix is generated from the capability tables; a hand edit or a table change
// without `pnpm docs` fails here.
describe('README capability matrix', () => {
  it('equals the matrix generated from the capability tables', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8')
    const block = readme.split('<!-- capability-matrix:start -->')[1]?.split('<!-- capability-matrix:end -->')[0]?.trim()
    expect(block).toBe(capabilityMatrixMarkdown(Object.values(providers)))
  })

  it('has one row per model of every provider', () => {
    const rows = capabilityMatrixMarkdown(Object.values(providers)).split('\n').slice(2)
    const models = Object.values(providers).reduce((n, p) => n + Object.keys(p.models).length, 0)
    expect(rows).toHaveLength(models)
  })
})
