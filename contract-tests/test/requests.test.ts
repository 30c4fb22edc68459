// Requests generated from each create request schema: a valid request per oneOf branch (plus every
// enum value and the length/count/number boundaries) must pass both Prism's validation and the local
// ajv validator; a request breaking exactly one constraint must be rejected by both, and by the
// validating fetch before anything is sent.
import { describe, inject, it, vi } from 'vitest'
import { operationArguments, requestCases } from '../src/cases.mjs'
import { RequestValidationError, createRequestValidator, createValidatingFetch } from '../src/request-validator.mjs'
import { schemaView } from '../src/schema-walk.mjs'
import { isJsonMediaType, loadSpec, toPointer } from '../src/spec.mjs'
import type { LoadedSpec, RequestCase } from '../src/types.js'
import { TESTED_PROVIDERS } from './support/sample.js'
import { callOperation, createClient, sdkOptions } from './support/sdk.js'

/** Prism's violations: the `sl-violations` header, or the `validation` list of its 422 problem+json. */
function violationsOf(result: { response: Response; error: unknown }) {
  const header = result.response.headers.get('sl-violations')
  if (header) return JSON.parse(header) as { location: string[]; code: string | number; message: string }[]
  const body = result.error as { validation?: { location: string[]; code: string; message: string }[] } | undefined
  return body?.validation ?? []
}

const isPrefix = (a: (string | number)[], b: (string | number)[]) => a.every((s, i) => String(s) === String(b[i]))

/** multipart/form-data: every part is a string or a file. */
function toFormData(spec: LoadedSpec, c: RequestCase) {
  const view = schemaView(spec.doc, c.branchAt)
  const data = new FormData()
  for (const [key, value] of Object.entries(c.body as Record<string, unknown>)) {
    const propAt = view.properties[key]
    const binary = propAt !== undefined && isBinary(spec, propAt)
    for (const item of Array.isArray(value) ? value : [value]) {
      if (binary && typeof item === 'string') data.append(key, new Blob([item], { type: 'image/png' }), 'image.png')
      else data.append(key, typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item))
    }
  }
  return data
}
function isBinary(spec: LoadedSpec, at: (string | number)[]): boolean {
  const view = schemaView(spec.doc, at)
  if (view.format === 'binary') return true
  const members = view.oneOf ?? view.anyOf ?? (view.items ? [view.items] : [])
  return members.some((m) => isBinary(spec, m))
}
/**
 * A multipart violation survives the wire only if the string form of the body is still invalid
 * (a number where a string is expected becomes a valid string part).
 */
function expressibleAsMultipart(requests: ReturnType<typeof createRequestValidator>, c: RequestCase) {
  const stringify = (v: unknown): unknown => (Array.isArray(v) ? v.map(stringify) : v === null || typeof v === 'object' ? JSON.stringify(v) : String(v))
  const wire = Object.fromEntries(Object.entries(c.body as Record<string, unknown>).map(([k, v]) => [k, stringify(v)]))
  return !requests.validate(c.operationId, wire, { mediaType: c.mediaType }).valid
}

for (const provider of TESTED_PROVIDERS) {
  const spec = loadSpec(provider.specPath)
  const requests = createRequestValidator(spec)
  const { cases } = requestCases(spec)

  describe.concurrent(`${provider.id} requests (prism mock + local validator)`, () => {
    for (const c of cases) {
      const json = isJsonMediaType(c.mediaType)
      const wireOk = json || c.expect === 'valid' || expressibleAsMultipart(requests, c)
      const name = `${c.id} -> ${c.expect === 'valid' ? 'accepted' : 'rejected'}${wireOk ? '' : ' [Prism part skipped: not expressible in multipart/form-data]'}`
      it(name, async ({ expect, task }) => {
        task.meta.contract = { provider: provider.id, kind: 'request', ...(c.constraint ? { constraint: c.constraint } : {}) }
        // 1. The local ajv request validator.
        const local = requests.validate(c.operationId, c.body, { mediaType: c.mediaType })
        if (c.expect === 'valid') {
          expect(local.valid, local.message).toBe(true)
        } else {
          expect(local.valid, 'local validator accepted it').toBe(false)
          expect(
            local.errors.some((e) => e.keyword === c.keyword && e.instancePath === toPointer(c.instancePath!)),
            local.message,
          ).toBe(true)
        }

        const args = operationArguments(spec, c.operationId)
        const url = inject('prism')[provider.id]!.url

        // 2. The validating fetch stops an invalid JSON body before it is sent.
        if (json && c.expect === 'invalid') {
          const wire = vi.fn(globalThis.fetch)
          const guarded = createClient(provider.id, url, { fetch: createValidatingFetch({ spec, fetch: wire }) })
          await expect(callOperation(provider.id, c.operationId, { client: guarded, ...sdkOptions(args), body: c.body })).rejects.toBeInstanceOf(
            RequestValidationError,
          )
          expect(wire).not.toHaveBeenCalled()
        }

        // 3. Prism, through the generated client.
        if (!wireOk) return
        const client = createClient(provider.id, url)
        const options = json
          ? { client, ...sdkOptions(args), body: c.body }
          : { client, ...sdkOptions(args), body: c.body, bodySerializer: () => toFormData(spec, c) }
        const result = await callOperation(provider.id, c.operationId, options)
        const status = result.response.status
        const violations = violationsOf(result)
        if (c.expect === 'valid') {
          expect(status, `Prism rejected it: ${JSON.stringify(violations)}`).toBeGreaterThanOrEqual(200)
          expect(status).toBeLessThan(300)
          expect(result.data).toBeDefined()
        } else {
          expect(status, 'Prism accepted it').toBeGreaterThanOrEqual(400)
          expect(status).toBeLessThan(500)
          expect(status === 422 || result.response.headers.has('sl-violations'), `HTTP ${status} without sl-violations`).toBe(true)
          // One of Prism's violations is at the place the case breaks.
          const where = c.instancePath!
          expect(
            violations.some((v) => {
              const loc = v.location[0] === 'request' ? v.location.slice(2) : v.location.slice(1)
              return isPrefix(loc, where) || isPrefix(where, loc)
            }),
            `no violation at ${where.join('.') || '(body)'}: ${JSON.stringify(violations)}`,
          ).toBe(true)
        }
      })
    }
  })
}
