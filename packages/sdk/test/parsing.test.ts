// Status words, progress, callbacks and error envelopes, straight from the specs; and garbage in,
// an error class out (never a TypeError).
import { describe, expect, it } from 'vitest'
import {
  AmbiguousSubmitError,
  ContentPolicyError,
  createNanoBanana,
  InsufficientCreditsError,
  NanoBananaError,
  PermissionError,
  ResponseFormatError,
  ServerError,
  TaskFailedError,
  UpstreamError,
  providers,
  taskFailure,
  type Task,
} from '../src/index.js'
import {
  API_KEY,
  callbackExamples,
  effectiveStatus,
  errorCodeOf,
  errorExamples,
  expectedErrorClass,
  FIXTURES,
  ids,
  operation,
  responseExamples,
  spec,
  successExample,
  WORDS,
  type Json,
} from './support.js'

const response = (status = 200) => new Response(null, { status: status === 204 ? 204 : status })

describe.each(ids)('%s status words', (id) => {
  const adapter = providers[id]
  const fixture = FIXTURES[id]
  const words: string[] = spec(id).components.schemas.TaskStatus.enum
  const template = () => fixture.withId(successExample(id, 'getImageTask', fixture.sequence.at(-1)!), 'task-1')

  it.each(words)('"%s" maps to its normalized status', (word) => {
    const body = template()
    const { holder, key } = fixture.statusOf(body)
    holder[key] = word
    const task = adapter.parseTask(body, response())
    expect(task).not.toBeInstanceOf(NanoBananaError)
    expect((task as Task).status).toBe(WORDS[word.toLowerCase()])
    expect((task as Task).taskId).toBe('task-1')
    expect((task as Task).provider).toBe(id)
  })

  it.each(['exploded', 'COMPLETED?', '', 3, null])('unknown word %j gives ResponseFormatError', (word) => {
    const body = template()
    const { holder, key } = fixture.statusOf(body)
    holder[key] = word
    const task = adapter.parseTask(body, response())
    expect(task).toBeInstanceOf(ResponseFormatError)
    expect((task as NanoBananaError).message).toMatch(/status/)
  })

  it('an unknown word is not retried by polling: it fails at once', async () => {
    const body = template()
    const { holder, key } = fixture.statusOf(body)
    holder[key] = 'exploded'
    let calls = 0
    const created = successExample(id, 'createImageTask', fixture.created)
    const nb = createNanoBanana({
      provider: id,
      apiKey: API_KEY,
      baseUrl: 'http://127.0.0.1:9',
      polling: { initialDelayMs: 1, minDelayMs: 1, maxDelayMs: 5 },
      fetch: async (_input, init) => {
        calls++
        return Response.json(init?.method === 'POST' ? created : body)
      },
    })
    await expect(nb.generate({ prompt: 'p' })).rejects.toBeInstanceOf(ResponseFormatError)
    expect(calls).toBe(2)
  })

  it('every documented query example parses', () => {
    const failures = new Set(errorExamples(id, 'getImageTask').map((e) => e.name))
    for (const example of responseExamples(id, 'getImageTask').filter((e) => e.status === 200 && !failures.has(e.name))) {
      const task = adapter.parseTask(example.value, response())
      if (task instanceof NanoBananaError) {
        // Only Crun/UniAll failures-in-200 may come back as errors, and those are in errorExamples.
        throw new Error(`${example.name}: ${task.message}`)
      }
      expect(Object.keys(WORDS).map((w) => WORDS[w])).toContain(task.status)
      // Where the output has its own operation (`meta.operations.result`), a status answer carries no URLs.
      if (task.status === 'succeeded' && !adapter.meta?.operations.result) expect(task.urls.length).toBeGreaterThan(0)
      if (task.status === 'failed') expect(task.error).toBeDefined()
    }
  })

  it('every documented callback body parses to the same normalized task', () => {
    const examples = callbackExamples(id)
    if (adapter.supportsCallback === false) return expect(examples).toHaveLength(0)
    expect(examples.length).toBeGreaterThan(0)
    const nb = createNanoBanana({ provider: id, apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9' })
    for (const { name, value } of examples) {
      const task = nb.parseCallback(value)
      expect(task.provider).toBe(id)
      expect(['succeeded', 'failed']).toContain(task.status)
      if (name === 'completed' || name === 'success') expect(task.urls.length).toBeGreaterThan(0)
      if (name === 'failed') expect(taskFailure(task)).toBeInstanceOf(NanoBananaError)
    }
  })

  it('the create example yields the task id (and estimated time where given)', () => {
    const created = successExample(id, 'createImageTask', fixture.created)
    const parsed = adapter.parseSubmit(created, response())
    expect(parsed).toMatchObject({ taskId: fixture.taskIdOf(created) })
    const estimate = created.task_info?.estimated_time
    if (estimate !== undefined) expect(parsed).toMatchObject({ estimatedSeconds: estimate })
  })
})

describe.each(ids)('%s error envelopes (every documented example of every operation)', (id) => {
  const adapter = providers[id]
  const operations: string[] = Object.values<Json>(spec(id).paths).flatMap((item) => Object.values<Json>(item).map((op) => op?.operationId))

  it.each(operations.flatMap((op) => errorExamples(id, op).map((e) => [`${op} ${e.status} ${e.name}`, e] as const)))('%s', (_, example) => {
    const headers = new Headers()
    const error = adapter.parseError(example.status === 200 ? effectiveStatus(id, 200, example.value) : example.status, example.value, headers)
    expect(error).toBeInstanceOf(expectedErrorClass(id, example.status, example.value))
    const envelope =
      FIXTURES[id].errorEnvelopeOf?.(example.value) ?? (example.value.error && typeof example.value.error === 'object' ? example.value.error : example.value)
    expect(error.provider).toBe(id)
    const code = errorCodeOf(example.value, id)
    expect(error.code).toBe(code === undefined ? undefined : String(code))
    expect(error.type).toBe(envelope.type)
    expect(error.param).toBe(envelope.param ?? undefined)
    expect(error.suggestion).toBe(envelope.fallback_suggestion)
    expect(error.body).toBe(example.value)
    expect(error.message).toContain(envelope.message ?? envelope.msg ?? envelope.detail ?? envelope.title)
    const hint = /retry after (\d+) seconds/.exec(envelope.fallback_suggestion ?? '')
    expect(error.retryAfterMs).toBe(hint ? Number(hint[1]) * 1000 : undefined)
  })

  it('a failure inside a 2xx body is returned by parseSubmit/parseTask as the mapped error', () => {
    for (const op of ['createImageTask', 'getImageTask'] as const) {
      for (const example of errorExamples(id, op).filter((e) => e.status === 200)) {
        const parse = op === 'createImageTask' ? adapter.parseSubmit : adapter.parseTask
        const result = parse(example.value, response())
        expect(result).toBeInstanceOf(expectedErrorClass(id, 200, example.value))
      }
    }
    expect(operation(id, 'createImageTask').path).toMatch(/^\//)
  })
})

describe.each(ids)('%s never throws on garbage', (id) => {
  const adapter = providers[id]
  const garbage: unknown[] = [
    undefined,
    null,
    '',
    '<!DOCTYPE html><html><head><title>Bad Gateway</title></head><body>nginx</body></html>',
    'Service Unavailable',
    42,
    true,
    [],
    [1, 2],
    {},
    { error: 'boom' },
    { error: { code: { nested: true }, message: 7 } },
    { code: 'weird', data: 5 },
    { code: 200, data: { task_id: 5, status: {} } },
    { data: { status: 'running' } },
    { id: {}, status: 'completed', results: 'x' },
    { id: 't', status: 'completed', results: [1, null, 'https://x/y.png'], output: 'nope', result: 7 },
  ]

  it.each([400, 401, 403, 404, 418, 429, 500, 502, 503, 200])('parseError(%i, ...) returns an error class', (status) => {
    for (const body of garbage) {
      const error = adapter.parseError(status, body, new Headers())
      expect(error).toBeInstanceOf(NanoBananaError)
      expect(error.provider).toBe(id)
      expect(typeof error.message).toBe('string')
    }
  })

  it('parseSubmit and parseTask return a value or an error, never throw', () => {
    for (const body of garbage) {
      const submitted = adapter.parseSubmit(body, response())
      if (submitted instanceof NanoBananaError) expect(submitted.provider).toBe(id)
      else expect(typeof submitted.taskId).toBe('string')
      const task = adapter.parseTask(body, response())
      if (task instanceof NanoBananaError) expect(task.provider).toBe(id)
      else expect(task.urls.every((u) => typeof u === 'string')).toBe(true)
    }
  })

  it('a 2xx create answer without an id is ambiguous, not a format error', () => {
    expect(adapter.parseSubmit({}, response())).toBeInstanceOf(AmbiguousSubmitError)
  })
})
