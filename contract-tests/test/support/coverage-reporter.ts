// Prints the per-provider contract table after the run: operations, documented response codes with a
// passing case, constraints with a passing "rejected" case, case counts, and the live-mode status.
// (The failing half -- a documented code or constraint without any case -- is test/report.test.ts.)
import type { Reporter, TestModule, Vitest } from 'vitest/node'
import { coverageSummary, formatCoverageTable } from '../../src/report.mjs'
import { loadSpec } from '../../src/spec.mjs'
import { TESTED_PROVIDERS } from './sample.js'

type Counter = Record<string, number>

export default class CoverageReporter implements Reporter {
  private vitest?: Vitest
  onInit(vitest: Vitest) {
    this.vitest = vitest
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const passed: Record<string, Counter> = {}
    const failed: Record<string, Counter> = {}
    const codes: Record<string, Set<string>> = {}
    const constraints: Record<string, Set<string>> = {}
    const live: Record<string, { passed: number; failed: number; skipped: number; reason?: string }> = {}
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state
        const meta = test.meta().contract
        const liveMatch = /^(\w+) live /.exec(test.fullName)
        if (liveMatch) {
          const entry = (live[liveMatch[1]!] ??= { passed: 0, failed: 0, skipped: 0 })
          if (state === 'passed' || state === 'failed' || state === 'skipped') entry[state]++
          entry.reason ??= /\[skipped: ([^\]]+)\]/.exec(test.name)?.[1]
          continue
        }
        if (!meta || (state !== 'passed' && state !== 'failed')) continue
        const counter = ((state === 'passed' ? passed : failed)[meta.provider] ??= {})
        counter[meta.kind] = (counter[meta.kind] ?? 0) + 1
        if (state === 'passed' && meta.kind === 'response' && meta.key) (codes[meta.provider] ??= new Set()).add(meta.key)
        if (state === 'passed' && meta.kind === 'request' && meta.constraint) (constraints[meta.provider] ??= new Set()).add(meta.constraint)
      }
    }
    const log = (text: string) => (this.vitest ? this.vitest.logger.log(text) : console.log(text))
    const liveOnly = process.env.CONTRACT_LIVE_PROVIDER
    if (liveOnly) {
      const l = live[liveOnly] ?? { passed: 0, failed: 0, skipped: 0 }
      log(
        `\nLive contract check, ${liveOnly} (real API via prism proxy --errors): ${l.passed}/${l.passed + l.failed} checks passed${l.skipped ? `, ${l.skipped} skipped` : ''}\n`,
      )
      return
    }
    const rows = TESTED_PROVIDERS.map((provider) => {
      const summary = coverageSummary(loadSpec(provider.specPath))
      const l = live[provider.id]
      const liveText = !l ? '-' : l.passed + l.failed === 0 ? `skipped (${l.reason ?? 'not run'})` : `${l.passed}/${l.passed + l.failed} passed`
      return {
        ...summary,
        passed: { ...passed[provider.id], codes: codes[provider.id]?.size ?? 0, constraints: constraints[provider.id]?.size ?? 0 },
        failed: failed[provider.id] ?? {},
        live: liveText,
      }
    })
    log('\nContract coverage per provider (codes/constraints: with a passing case / documented)\n' + formatCoverageTable(rows) + '\n')
  }
}
