// Checking one HTTP answer against the spec: the status must be documented for the operation, the
// body must match that response's schema, success bodies must come back as `data` and error bodies
// as `error`, documented headers must match. Used by the mock suite and by live mode alike.
import { listOperations } from './spec.mjs'
import { createSpecValidator, formatErrors } from './validator.mjs'

/** The documented response for a status: exact code, then `4XX`-style range, then `default`. */
export function documentedResponse(operation, status) {
  const code = String(status)
  return (
    operation.responses.find((r) => r.code === code) ??
    operation.responses.find((r) => r.code.toUpperCase() === `${code[0]}XX`) ??
    operation.responses.find((r) => r.code === 'default')
  )
}

/** Prism's `--errors` answer for a request or response that breaks the spec, if this is one. */
export function prismViolation(status, contentType, body) {
  if (!/application\/problem\+json/.test(contentType ?? '') || !body || typeof body !== 'object') return undefined
  if (!String(body.type ?? '').includes('stoplight.io/prism/errors')) return undefined
  const list = Array.isArray(body.validation) ? body.validation : []
  return {
    status,
    title: body.title,
    violations: list,
    message: `${body.title ?? 'Prism error'} (${status}): ${list.map((v) => `${(v.location ?? []).join('.')} ${v.message}`).join('; ') || body.detail}`,
  }
}

/**
 * @param {import('./types.js').LoadedSpec} spec
 * @param {string} operationId
 * @param {{ data: unknown, error: unknown, response: Response }} result what the generated SDK function returned
 * @returns {import('./types.js').ResponseCheck}
 */
export function checkSdkResult(spec, operationId, result) {
  const { response } = result
  const problems = []
  const operation = listOperations(spec).find((o) => o.operationId === operationId)
  if (!operation) return { ok: false, problems: [`${spec.id}: unknown operation ${operationId}`] }
  const status = response.status
  const contentType = response.headers.get('content-type') ?? ''
  const body = response.ok ? result.data : result.error

  const violation = prismViolation(status, contentType, result.error)
  if (violation) return { ok: false, status, problems: [violation.message], violation }

  const documented = documentedResponse(operation, status)
  if (!documented) {
    return { ok: false, status, problems: [`${operationId}: HTTP ${status} is not documented (documented: ${operation.responses.map((r) => r.code).join(', ')})`] }
  }
  if (response.ok) {
    if (result.error !== undefined) problems.push(`HTTP ${status} came back as error, expected data`)
  } else if (result.data !== undefined) {
    problems.push(`HTTP ${status} came back as data, expected error`)
  }
  const validator = createSpecValidator(spec)
  const content = documented.contents.find((c) => c.mediaType === contentType.split(';')[0].trim()) ?? documented.contents[0]
  if (content?.schemaAt) {
    if (body === undefined) problems.push(`HTTP ${status}: empty body, expected ${content.mediaType}`)
    else {
      const errors = validator.errors(content.schemaAt, body)
      if (errors.length)
        problems.push(`HTTP ${status} body does not match ${documented.code} ${content.mediaType}: ${formatErrors(errors, response.ok ? 'data' : 'error')}`)
    }
  }
  for (const header of documented.headers) {
    const raw = response.headers.get(header.name)
    if (raw === null) {
      if (header.required) problems.push(`missing required header ${header.name}`)
      continue
    }
    if (!header.schemaAt) continue
    const numeric = raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : undefined
    if (!validator.isValid(header.schemaAt, raw) && (numeric === undefined || !validator.isValid(header.schemaAt, numeric))) {
      problems.push(`header ${header.name}: ${formatErrors(validator.errors(header.schemaAt, raw), header.name)}`)
    }
  }
  return { ok: problems.length === 0, status, code: documented.code, problems }
}
