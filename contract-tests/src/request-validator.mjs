// The local request validator: checks a request body against the operation's request schema before
// anything is sent. Reusable by the SDK and the CLI (pass the parsed spec document).
import { asSpec, deref, getAt, isJsonMediaType, listOperations } from './spec.mjs'
import { createSpecValidator, formatErrors } from './validator.mjs'

export class RequestValidationError extends Error {
  /**
   * @param {string} operationId
   * @param {import('ajv').ErrorObject[]} errors
   */
  constructor(operationId, errors) {
    super(`${operationId}: invalid request body: ${formatErrors(errors)}`)
    this.name = 'RequestValidationError'
    this.operationId = operationId
    this.errors = errors
  }
}

/**
 * @param {import('./types.js').LoadedSpec | object | string} specOrDoc a loaded spec, a parsed OpenAPI document or a path / provider id
 * @returns {import('./types.js').RequestValidator}
 */
export function createRequestValidator(specOrDoc) {
  const spec = asSpec(specOrDoc)
  const validator = createSpecValidator(spec)
  const operations = listOperations(spec)
  const byId = new Map(operations.map((op) => [op.operationId, op]))

  const contentFor = (op, mediaType) => {
    const contents = op.requestBody?.contents ?? []
    if (mediaType) {
      const base = mediaType.split(';')[0].trim().toLowerCase()
      return contents.find((c) => c.mediaType === base) ?? contents.find((c) => c.mediaType.endsWith('/*'))
    }
    return contents.find((c) => isJsonMediaType(c.mediaType)) ?? contents[0]
  }

  /**
   * For a `oneOf` with a discriminator, the branch the body names (for precise error messages:
   * the errors of the chosen model instead of every branch's).
   */
  const branchFor = (schemaAt, body) => {
    const { node, segments } = deref(spec.doc, getAt(spec.doc, schemaAt), schemaAt)
    const discriminator = node?.discriminator
    if (!discriminator || !Array.isArray(node.oneOf) || !body || typeof body !== 'object') return undefined
    const value = body[discriminator.propertyName]
    const ref = discriminator.mapping?.[value]
    if (typeof ref === 'string' && ref.startsWith('#')) return deref(spec.doc, { $ref: ref }, []).segments
    // Without a mapping: the branch whose discriminator property is a const/enum holding the value.
    for (let i = 0; i < node.oneOf.length; i++) {
      const branch = deref(spec.doc, node.oneOf[i], [...segments, 'oneOf', i])
      const prop = branch.node?.properties?.[discriminator.propertyName]
      const resolved = prop && deref(spec.doc, prop, [...branch.segments, 'properties', discriminator.propertyName]).node
      if (resolved?.const === value || (Array.isArray(resolved?.enum) && resolved.enum.includes(value))) return branch.segments
    }
    return undefined
  }

  return {
    spec,
    operations: operations.filter((op) => op.requestBody).map((op) => op.operationId),
    /**
     * @param {string} operationId
     * @param {unknown} body
     * @param {{ mediaType?: string }} [options]
     */
    validate(operationId, body, options = {}) {
      const op = byId.get(operationId)
      if (!op) throw new Error(`${spec.id}: unknown operation ${operationId}`)
      if (!op.requestBody) return { valid: body === undefined, errors: [], message: 'operation takes no body' }
      if (body === undefined) {
        const valid = !op.requestBody.required
        return { valid, errors: [], message: valid ? 'ok' : 'request body is required' }
      }
      const content = contentFor(op, options.mediaType)
      if (!content?.schemaAt) return { valid: true, errors: [], message: 'no schema' }
      const errors = validator.errors(content.schemaAt, body)
      if (errors.length === 0) return { valid: true, errors, message: 'ok' }
      const branch = branchFor(content.schemaAt, body)
      const precise = branch ? validator.errors(branch, body) : []
      const shown = precise.length ? precise : errors
      return { valid: false, errors: shown, message: formatErrors(shown) }
    },
    /** Throws RequestValidationError when the body is invalid. */
    assertValid(operationId, body, options) {
      const result = this.validate(operationId, body, options)
      if (!result.valid) throw new RequestValidationError(operationId, result.errors)
    },
    /** The operation a method + URL path belongs to (path templates matched against the path's end). */
    match(method, pathname) {
      // The pattern is anchored at the end only (a base URL may add a path prefix), so a short template such
      // as `/{owner}/{app}` also matches the tail of `/{owner}/{app}/edit`: the template with the most segments wins.
      let best
      for (const op of operations) {
        if (op.method !== method.toLowerCase()) continue
        const pattern = new RegExp(op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+') + '/?$')
        if (pattern.test(pathname) && (!best || op.path.split('/').length > best.path.split('/').length)) best = op
      }
      return best?.operationId
    },
  }
}

/**
 * A fetch that validates JSON request bodies against the spec and throws RequestValidationError
 * before anything goes on the wire. Pass it as `fetch` to a generated client.
 * @param {{ spec: any, fetch?: typeof fetch }} options
 * @returns {typeof fetch}
 */
export function createValidatingFetch({ spec, fetch: inner = globalThis.fetch }) {
  const requests = createRequestValidator(spec)
  return async (input, init = {}) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url)
    const method = init.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET')
    const operationId = requests.match(method, url.pathname)
    if (operationId && typeof init.body === 'string') {
      const headers = new Headers(init.headers)
      const mediaType = headers.get('content-type') ?? 'application/json'
      if (isJsonMediaType(mediaType)) requests.assertValid(operationId, JSON.parse(init.body), { mediaType })
    }
    return inner(input, init)
  }
}
