// The contract checker without Prism: the same case generators and validators as the suite, run
// locally. `casesFrom` lets the cases come from one spec (what a client generated from it sends and
// expects) while the validators come from another (a changed spec), which is how spec drift shows.
import { exampleCases, requestCases, responseCases } from './cases.mjs'
import { createRequestValidator } from './request-validator.mjs'
import { listOperations } from './spec.mjs'
import { createSpecValidator, formatErrors } from './validator.mjs'

/**
 * @param {import('./types.js').LoadedSpec} spec the spec whose validators judge
 * @param {{ casesFrom?: import('./types.js').LoadedSpec }} [options] the spec the cases are generated from (default: the same)
 * @returns {import('./types.js').CheckResult[]}
 */
export function runLocalChecks(spec, { casesFrom = spec } = {}) {
  const validator = createSpecValidator(spec)
  const requests = createRequestValidator(spec)
  const results = []

  for (const example of exampleCases(spec)) {
    if (example.unreferenced) {
      results.push({ id: `example ${example.id}`, kind: 'example', ok: false, message: 'component example is not used by any media type' })
      continue
    }
    const errors = validator.errors(example.schemaAt, example.value)
    results.push({ id: `example ${example.id}`, kind: 'example', ok: errors.length === 0, message: formatErrors(errors, 'example') })
  }

  const { census, cases } = requestCases(casesFrom)
  for (const c of cases) {
    let ok
    let message
    try {
      const verdict = requests.validate(c.operationId, c.body, { mediaType: c.mediaType })
      ok = verdict.valid === (c.expect === 'valid')
      message = ok ? 'ok' : c.expect === 'valid' ? `rejected: ${verdict.message}` : 'accepted, expected a rejection'
    } catch (error) {
      ok = false
      message = String(error?.message ?? error)
    }
    results.push({ id: `request ${c.id}`, kind: 'request', ok, message })
  }
  for (const entry of census) {
    if (!entry.caseId && entry.status !== 'shadowed') {
      results.push({ id: `constraint ${entry.id}`, kind: 'coverage', ok: false, message: entry.reason ?? 'no request case breaks only this constraint' })
    }
  }

  const ops = new Map(listOperations(spec).map((op) => [op.operationId, op]))
  for (const rc of responseCases(casesFrom)) {
    if (rc.exampleValue === undefined) continue
    const response = ops.get(rc.operationId)?.responses.find((r) => r.code === rc.code)
    const content = response?.contents.find((x) => x.mediaType === rc.mediaType)
    if (!content?.schemaAt) {
      results.push({ id: `response ${rc.id}`, kind: 'response', ok: false, message: `${rc.operationId} ${rc.code} ${rc.mediaType} is no longer documented` })
      continue
    }
    const errors = validator.errors(content.schemaAt, rc.exampleValue)
    results.push({ id: `response ${rc.id}`, kind: 'response', ok: errors.length === 0, message: formatErrors(errors, 'body') })
  }
  return results
}
