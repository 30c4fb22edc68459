// Parsers never crash: fast-check feeds arbitrary status codes, headers and bodies (random JSON, the
// providers' own field names with wrong types, huge strings, non-JSON text) into every adapter's
// response and error mapping, into parseCallback and the callback handler, and through the whole
// client (runtime body reading included). The answer is always a normalized task or one of our error
// classes: never a raw TypeError, never a throw from a parser.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { callbackVerifiers, createCallbackHandler, parseCallback } from '../../src/callbacks.js'
import { createNanoBanana, InvalidRequestError, NanoBananaError, providers, type ProviderId, type Task } from '../../src/index.js'
import { callbackExamples, responseExamples } from '../support.js'
import { PROVIDERS } from './support.js'

/**
 * Runs per property: 100 in `pnpm test`, 300 in `pnpm test:integration` (NB_SDK_INTEGRATION=1, see
 * vitest.config.ts). Raise with FC_RUNS=5000 for a deeper search.
 */
const RUNS = Number(process.env.FC_RUNS ?? (process.env.NB_SDK_INTEGRATION === '1' ? 300 : 100))
/**
 * A hang guard, not a budget: a property's time is CPU time, which a loaded machine stretches (the whole-client
 * property took 5.06 s at load 11 on 2 cores, past vitest's default 5 s, and failed having found nothing).
 */
const PROPERTY_TIMEOUT_MS = 120_000

const HUGE = ['x'.repeat(1_000_000), '<html>'.repeat(100_000), '{"id":"'.padEnd(500_000, 'a'), '9'.repeat(400)]
const STATUS_WORDS = [
  'pending',
  'processing',
  'completed',
  'failed',
  'cancelled',
  'running',
  'success',
  'queued',
  'succeeded',
  'error',
  'in_progress',
  'PENDING',
  'Completed',
  '',
  '__proto__',
  'constructor',
  'toString',
]
/** Field names the five providers use, so random bodies hit the parsers' real paths with wrong types. */
const KEYS = [
  'id',
  'taskId',
  'task_id',
  'status',
  'progress',
  'results',
  'result',
  'result_url',
  'result_urls',
  'media_urls',
  'output',
  'urls',
  'error',
  'code',
  'msg',
  'message',
  'data',
  'task_info',
  'estimated_time',
  'model',
  'param',
  'credits',
  'type',
  'fallback_suggestion',
  'object',
  'created',
  '__proto__',
  'constructor',
]

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...STATUS_WORDS),
  fc.constantFrom(...HUGE),
  fc.constantFrom(200, 0, -1, 455, 501, 1e308, Number.NaN, Number.POSITIVE_INFINITY, -0, '200', '100%', '55', 'retry after 9 seconds'),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
)

/** Objects built from the providers' field names, nested, with values of any type. */
const shaped: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('object'), fc.array(tie('node'), { maxLength: 4 })),
  object: fc.dictionary(fc.constantFrom(...KEYS), tie('node'), { maxKeys: 8 }),
})).node

type Path = (string | number)[]

/** Every path to a value inside a JSON document (objects and arrays included). */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (!value || typeof value !== 'object') return [prefix]
  const children = Array.isArray(value) ? value.map((item, i) => [i, item] as const) : Object.entries(value)
  return [prefix, ...children.flatMap(([key, item]) => pathsOf(item, [...prefix, key]))]
}

/**
 * The provider's own documented bodies (spec examples of create, query and callback), then a few
 * mutations: a field deleted, or its value replaced by anything (wrong type, huge string, a status word).
 * This reaches the deep paths a random object never would (a valid id and status with a broken field).
 */
function mutated(examples: unknown[]): fc.Arbitrary<unknown> {
  const mutation = fc.record({ at: fc.nat(), op: fc.constantFrom('delete', 'replace', 'replace'), value: fc.oneof(leaf, shaped) })
  return fc.tuple(fc.constantFrom(...examples), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([example, mutations]) => {
    let doc: unknown = structuredClone(example)
    for (const { at, op, value } of mutations) {
      const paths = pathsOf(doc)
      const path = paths[at % paths.length]!
      if (path.length === 0) {
        doc = value
        continue
      }
      const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], doc) as Record<string | number, unknown>
      const key = path[path.length - 1]!
      if (op === 'delete') {
        if (Array.isArray(parent)) parent.splice(Number(key), 1)
        else delete parent[key]
      } else parent[key] = value
    }
    return doc
  })
}

const examplesOf = (provider: ProviderId): unknown[] => [
  ...responseExamples(provider, 'createImageTask').map((e) => e.value),
  ...responseExamples(provider, 'getImageTask').map((e) => e.value),
  ...callbackExamples(provider).map((e) => e.value),
]

const generic: fc.Arbitrary<unknown> = fc.oneof(shaped, fc.jsonValue(), fc.anything(), fc.constantFrom(...HUGE), fc.string())
const bodyOf = (provider: ProviderId): fc.Arbitrary<unknown> => fc.oneof({ weight: 3, arbitrary: mutated(examplesOf(provider)) }, { weight: 2, arbitrary: generic })

const headerValue = fc.oneof(
  fc.stringMatching(/^[\x20-\x7e]{0,40}$/),
  fc.constantFrom('1', '0', '-5', '1e999', 'NaN', 'Wed, 21 Oct 2015 07:28:00 GMT', 'Fri, 31 Dec 9999 23:59:59 GMT', '  3  ', '99999999999999999999'),
)
const headers: fc.Arbitrary<Headers> = fc
  .dictionary(fc.constantFrom('retry-after', 'content-type', 'content-length', 'x-request-id'), headerValue, { maxKeys: 4 })
  .map((record) => new Headers(record))
const anyStatus = fc.oneof(fc.integer({ min: -1000, max: 100_000 }), fc.constantFrom(200, 400, 401, 402, 403, 404, 413, 422, 429, 455, 500, 501, 502, 503, 505))
const httpStatus = fc.integer({ min: 200, max: 599 })
const response = fc.tuple(httpStatus, headers).map(([status, h]) => new Response(null, { status, headers: h }))

const STATUSES = new Set(['queued', 'running', 'succeeded', 'failed', 'canceled'])

/** A normalized task, or one of our errors; anything else (or a wrapped TypeError) fails. */
function checkTaskOrError(provider: ProviderId, value: Task | NanoBananaError): void {
  if (value instanceof NanoBananaError) {
    expect(value.provider).toBe(provider)
    // The defensive readers must not even reach a TypeError that guard() would wrap.
    expect(value.cause).not.toBeInstanceOf(TypeError)
    expect(typeof value.message).toBe('string')
    return
  }
  expect(typeof value.taskId).toBe('string')
  expect(value.taskId.length).toBeGreaterThan(0)
  expect(value.provider).toBe(provider)
  expect(STATUSES.has(value.status)).toBe(true)
  expect(Array.isArray(value.urls) && value.urls.every((u) => typeof u === 'string' && u.length > 0)).toBe(true)
  if (value.progress !== undefined) expect(value.progress >= 0 && value.progress <= 1).toBe(true)
  if (value.estimatedSeconds !== undefined) expect(Number.isFinite(value.estimatedSeconds)).toBe(true)
}

describe.each(PROVIDERS)('%s adapter', { timeout: PROPERTY_TIMEOUT_MS }, (provider) => {
  const adapter = providers[provider]
  const body = bodyOf(provider)

  it('parseTask: a task or our error, for any body (with or without a response)', () => {
    fc.assert(
      fc.property(body, fc.option(response, { nil: undefined }), (data, res) => {
        checkTaskOrError(provider, adapter.parseTask(data, res))
      }),
      { numRuns: RUNS },
    )
  })

  it('parseSubmit: a task id or our error, for any body and response', () => {
    fc.assert(
      fc.property(body, response, (data, res) => {
        const parsed = adapter.parseSubmit(data, res)
        if (parsed instanceof NanoBananaError) {
          expect(parsed.provider).toBe(provider)
          expect(parsed.cause).not.toBeInstanceOf(TypeError)
        } else {
          expect(typeof parsed.taskId === 'string' && parsed.taskId.length > 0).toBe(true)
          if (parsed.estimatedSeconds !== undefined) expect(Number.isFinite(parsed.estimatedSeconds)).toBe(true)
        }
      }),
      { numRuns: RUNS },
    )
  })

  it('parseError: always one of our errors, whatever the status, headers and body', () => {
    fc.assert(
      fc.property(anyStatus, body, headers, (status, data, h) => {
        const error = adapter.parseError(status, data, h)
        expect(error).toBeInstanceOf(NanoBananaError)
        expect(error.provider).toBe(provider)
        expect(error.cause).not.toBeInstanceOf(TypeError)
        if (error.retryAfterMs !== undefined) expect(error.retryAfterMs >= 0).toBe(true)
        expect(() => JSON.stringify(error)).not.toThrow()
      }),
      { numRuns: RUNS },
    )
  })

  it('parseCallback: a task, or InvalidRequestError', () => {
    fc.assert(
      fc.property(body, (data) => {
        let task: Task
        try {
          task = parseCallback(provider, data)
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidRequestError)
          return
        }
        checkTaskOrError(provider, task)
      }),
      { numRuns: RUNS },
    )
  })

  it('the whole client (runtime body reading included): resolves or rejects with our error', async () => {
    const wire = fc.record({
      status: httpStatus,
      type: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/html', 'text/plain', ''),
      text: fc.oneof(
        body.map((b) => {
          try {
            return JSON.stringify(b) ?? 'undefined'
          } catch {
            return '{'
          }
        }),
        fc.string(),
        fc.constantFrom('', '{', '<html><title>502</title></html>', 'null', '[]', '"str"'),
      ),
      retryAfter: fc.option(headerValue, { nil: undefined }),
    })
    await fc.assert(
      fc.asyncProperty(wire, wire, async (create, query) => {
        let call = 0
        const nb = createNanoBanana({
          provider,
          apiKey: 'sk-property',
          baseUrl: 'http://provider.test',
          retry: { submit: { maxRetries: 0 }, poll: { maxRetries: 0 } },
          fetch: async () => {
            const w = call++ === 0 ? create : query
            const h = new Headers(w.type ? { 'content-type': w.type } : {})
            if (w.retryAfter !== undefined) h.set('retry-after', w.retryAfter)
            return new Response([204, 205, 304].includes(w.status) ? null : w.text, { status: w.status, headers: h })
          },
        })
        const outcome = await nb
          .submit({ prompt: 'property' })
          .then((s) => nb.getTask(s.taskId))
          .catch((e: unknown) => e as Error)
        if (outcome instanceof Error) {
          expect(outcome).toBeInstanceOf(NanoBananaError)
          expect((outcome as NanoBananaError).cause).not.toBeInstanceOf(TypeError)
        } else checkTaskOrError(provider, outcome)
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    )
  })

  it('the callback handler answers 2xx/4xx/500 and never throws', async () => {
    const request = fc.record({
      method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE'),
      text: fc.oneof(
        body.map((b) => {
          try {
            return JSON.stringify(b) ?? ''
          } catch {
            return '{'
          }
        }),
        fc.string(),
        fc.uint8Array({ maxLength: 64 }),
      ),
      length: fc.option(fc.constantFrom('0', '5', '-1', 'abc', '99999999999'), { nil: undefined }),
    })
    let delivered = 0
    const handler = createCallbackHandler({ allowUnverified: true, provider, maxBytes: 64 * 1024, onTask: () => void delivered++ })
    await fc.assert(
      fc.asyncProperty(request, async ({ method, text, length }) => {
        const h = new Headers({ 'content-type': 'application/json' })
        if (length !== undefined) h.set('content-length', length)
        const res = await handler(new Request('http://hooks.test/nb', { method, headers: h, ...(method === 'GET' ? {} : { body: text }) }))
        // 401: a provider that signs its callbacks refuses an unsigned one.
        expect([200, 400, 405, 413, ...(callbackVerifiers[provider] ? [401] : [])]).toContain(res.status)
        if (method !== 'POST') expect(res.status).toBe(405)
        const text2 = await res.text()
        expect(() => JSON.parse(text2) as unknown).not.toThrow()
      }),
      { numRuns: RUNS },
    )
  })
})
