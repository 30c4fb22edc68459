// Coverage: what each spec documents (operations, response codes, request constraints, examples)
// against the cases generated for it, and the per-provider table printed at the end of a run.
import { documentedResponseCodes, exampleCases, requestCases, responseCases } from './cases.mjs'
import { listOperations } from './spec.mjs'

/**
 * @param {import('./types.js').LoadedSpec} spec
 * @returns {import('./types.js').CoverageSummary}
 */
export function coverageSummary(spec) {
  const operations = listOperations(spec)
  const documented = documentedResponseCodes(spec)
  const rCases = responseCases(spec)
  const forcible = new Set(rCases.filter((c) => c.forcible).map((c) => `${c.operationId} ${c.code}`))
  const { census, cases } = requestCases(spec)
  const examples = exampleCases(spec)
  const gaps = [
    ...documented.filter((d) => !forcible.has(`${d.operationId} ${d.code}`)).map((d) => `response ${d.operationId} ${d.code}: no case (Prism cannot force it)`),
    ...census.filter((c) => !c.caseId && c.status !== 'shadowed').map((c) => `constraint ${c.id}: ${c.reason ?? 'no request breaks only this constraint'}`),
    ...examples.filter((e) => e.unreferenced).map((e) => `example ${e.id}: not used by any media type`),
  ]
  return {
    provider: spec.id,
    operations: operations.map((o) => o.operationId),
    responseCodes: documented.map((d) => `${d.operationId} ${d.code}`),
    responseCodesWithCase: [...forcible],
    responseCases: rCases.length,
    constraints: census.map((c) => c.id),
    constraintsWithCase: census.filter((c) => c.caseId).map((c) => c.id),
    shadowedConstraints: census.filter((c) => c.status === 'shadowed').map((c) => c.id),
    requestCases: cases.length,
    validRequestCases: cases.filter((c) => c.expect === 'valid').length,
    invalidRequestCases: cases.filter((c) => c.expect === 'invalid').length,
    examples: examples.length,
    gaps,
  }
}

/**
 * @param {Array<import('./types.js').CoverageSummary & { passed?: Record<string, number>, failed?: Record<string, number>, live?: string }>} rows
 */
export function formatCoverageTable(rows) {
  const header = ['provider', 'ops', 'codes covered', 'response cases', 'constraints covered', 'request cases (valid/invalid)', 'examples', 'live']
  const body = rows.map((r) => {
    const passed = r.passed ?? {}
    const failed = r.failed ?? {}
    const ran = (kind, total) => (r.passed ? `${passed[kind] ?? 0}/${total} passed${failed[kind] ? `, ${failed[kind]} failed` : ''}` : String(total))
    return [
      r.provider,
      String(r.operations.length),
      `${r.passed ? (passed.codes ?? 0) : r.responseCodesWithCase.length}/${r.responseCodes.length}`,
      ran('response', r.responseCases),
      `${r.passed ? (passed.constraints ?? 0) : r.constraintsWithCase.length}/${r.constraints.length}${r.shadowedConstraints.length ? ` (+${r.shadowedConstraints.length} shadowed)` : ''}`,
      `${ran('request', r.requestCases)} (${r.validRequestCases}/${r.invalidRequestCases})`,
      ran('example', r.examples),
      r.live ?? '-',
    ]
  })
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)))
  const line = (cells) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |'
  const rule = '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|'
  const out = [line(header), rule, ...body.map(line)]
  const gaps = rows.flatMap((r) => r.gaps.map((g) => `  ${r.provider}: ${g}`))
  if (gaps.length) out.push('', `GAPS (${gaps.length}): documented but without a case`, ...gaps)
  return out.join('\n')
}
