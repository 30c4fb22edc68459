// Fails when a spec documents something the suite has no case for: a response code Prism cannot
// force, a request constraint no generated request breaks on its own, an unused component example.
// The per-provider table itself is printed by test/support/coverage-reporter.ts at the end of the run.
import { describe, it } from 'vitest'
import { PROVIDERS } from '../src/providers.mjs'
import { coverageSummary } from '../src/report.mjs'
import { loadSpec } from '../src/spec.mjs'

describe('coverage', () => {
  for (const provider of PROVIDERS) {
    const summary = coverageSummary(loadSpec(provider.specPath))
    it(`${provider.id}: every documented response code has a case (${summary.responseCodesWithCase.length}/${summary.responseCodes.length})`, ({ expect }) => {
      expect(summary.responseCodes.filter((c) => !summary.responseCodesWithCase.includes(c))).toEqual([])
    })
    it(`${provider.id}: every request constraint has a case (${summary.constraintsWithCase.length}/${summary.constraints.length})`, ({ expect }) => {
      expect(summary.gaps.filter((g) => g.startsWith('constraint'))).toEqual([])
    })
    it(`${provider.id}: no gaps`, ({ expect }) => {
      expect(summary.gaps).toEqual([])
    })
  }
})
