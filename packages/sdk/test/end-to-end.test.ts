// generate() end to end against a local server per provider that answers with the spec's own example
// bodies: submit, polls through the provider's real status words, success with URLs; a failed task;
// every documented error status and code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  providers,
  AmbiguousSubmitError,
  AuthenticationError,
  createNanoBanana,
  type NanoBananaError,
  RateLimitError,
  ResponseFormatError,
  UpstreamError,
  type NanoBananaOptions,
  type Submission,
  type Task,
} from '../src/index.js'
import {
  API_KEY,
  authHeader,
  effectiveStatus,
  errorCodeOf,
  errorExamples,
  expectedErrorClass,
  FAST,
  FIXTURES,
  ids,
  NO_RETRY,
  operation,
  pathPattern,
  sampleTaskId,
  spec,
  startServer,
  successExample,
  type LocalServer,
  type ServerRequest,
  metaOf,
} from './support.js'

/** The code an error carries: the body's, as a string, or none when the body has none (a plain `detail` message). */
const codeString = (code: unknown) => (code === undefined ? undefined : String(code))

describe.each(ids)('%s end to end', (id) => {
  const fixture = FIXTURES[id]
  const create = operation(id, 'createImageTask')
  const query = operation(id, 'getImageTask')
  const createPath = pathPattern(create.path)
  const queryPath = pathPattern(query.path)
  const created = successExample(id, 'createImageTask', fixture.created)
  const taskId = fixture.taskIdOf(created)
  let server: LocalServer

  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())

  const client = (retry: NanoBananaOptions['retry'] = NO_RETRY) => createNanoBanana({ provider: id, apiKey: API_KEY, baseUrl: server.url, polling: FAST, retry })
  const isCreate = (r: ServerRequest) => r.method === create.method.toUpperCase() && createPath.test(r.url)
  const isQuery = (r: ServerRequest) => r.method === query.method.toUpperCase() && queryPath.test(r.url.split('?')[0]!)
  // Where the status answer carries no output (`meta.operations.result`), the output is read from the result operation.
  const resultOp = metaOf(id).operations.result ? operation(id, metaOf(id).operations.result!.operationId) : undefined
  const isResult = (r: ServerRequest) => resultOp !== undefined && r.method === resultOp.method.toUpperCase() && pathPattern(resultOp.path).test(r.url)
  const resultAnswer = (failing: boolean) => {
    if (!resultOp) return { status: 404, body: {} }
    if (failing && fixture.failedResult) {
      const failure = errorExamples(id, resultOp.op.operationId).find((e) => e.status === fixture.failedResult!.status && e.name === fixture.failedResult!.example)!
      return { status: failure.status, body: failure.value }
    }
    return { body: successExample(id, resultOp.op.operationId, Object.keys(successContent(resultOp))[0]!) }
  }
  const successContent = (op: typeof create) =>
    (spec(id).paths[op.path][op.method].responses['200'].content['application/json'].examples ?? {}) as Record<string, unknown>
  /** Requests of one poll: the query, plus the result read when the provider has one. */
  const pollRequests = resultOp ? 4 : 3

  /** Serves the create example, then the named query examples in order (the last one repeats). */
  function serve(sequence: string[], failing = false) {
    server.requests.length = 0
    let poll = 0
    server.handle = (request) => {
      if (isCreate(request)) return { body: created }
      if (isResult(request)) return resultAnswer(failing)
      if (isQuery(request)) {
        const name = sequence[Math.min(poll++, sequence.length - 1)]!
        return { body: fixture.withId(successExample(id, 'getImageTask', name), taskId) }
      }
      return { status: 404, body: { error: `unexpected ${request.method} ${request.url}` } }
    }
  }

  it('submits, polls through every status word and returns the result URLs', async () => {
    serve(fixture.sequence)
    const seen: Task[] = []
    let submission: Submission | undefined
    const result = await client().generate({
      prompt: 'A nano banana on a sunny desk',
      onProgress: (task) => seen.push(task),
      onSubmitted: (s) => (submission = s),
    })
    const completed = successExample(id, 'getImageTask', fixture.sequence.at(-1)!)
    expect(submission?.taskId).toBe(taskId)
    expect(result.taskId).toBe(taskId)
    expect(result.provider).toBe(id)
    expect(result.images.map((image) => image.url)).toEqual(fixture.urlsOf(completed))
    expect(seen.map((task) => task.status)).toEqual(['queued', 'running', 'succeeded'])

    const [header, value] = authHeader(id)
    const creates = server.requests.filter(isCreate)
    const queries = server.requests.filter(isQuery)
    expect(creates).toHaveLength(1)
    expect(creates[0]!.headers[header]).toBe(value)
    expect(queries).toHaveLength(3)
    // The poll asks about the task the create call returned (path or query parameter).
    for (const q of queries) for (const part of taskId.split('/')) expect(decodeURIComponent(q.url)).toContain(part)
    expect(server.requests).toHaveLength(1 + pollRequests)
  })

  it('resumes a task by id with wait() and reads one poll with getTask()', async () => {
    serve([fixture.sequence[1]!, fixture.sequence[2]!])
    const nb = client()
    const task = await nb.getTask(taskId)
    expect(task).toMatchObject({ taskId, provider: id, status: 'running' })
    const result = await nb.wait(taskId)
    expect(result.images.length).toBeGreaterThan(0)
  })

  it(`a failed task rejects with ${fixture.failedClass.name} carrying the task id`, async () => {
    serve([fixture.sequence[0]!, fixture.failed], true)
    const error = await client()
      .generate({ prompt: 'A nano banana' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(fixture.failedClass)
    expect((error as NanoBananaError).taskId).toBe(taskId)
    expect((error as NanoBananaError).provider).toBe(id)
  })

  describe('every documented error of the create call maps to its class', () => {
    it.each(errorExamples(id, 'createImageTask').map((e) => [`${e.status} ${e.name}`, e] as const))('%s', async (_, example) => {
      server.requests.length = 0
      server.handle = () => ({ status: example.status, body: example.value })
      const error = await client()
        .submit({ prompt: 'A nano banana' })
        .catch((e: unknown) => e)
      const Expected = expectedErrorClass(id, example.status, example.value)
      expect(error).toBeInstanceOf(Expected)
      expect(error).toMatchObject({ provider: id, status: effectiveStatus(id, example.status, example.value), code: codeString(errorCodeOf(example.value, id)) })
      expect((error as NanoBananaError).body).toEqual(example.value)
      expect(server.requests).toHaveLength(1)
    })
  })

  describe('every documented error of the query call maps to its class, with the task id', () => {
    it.each(errorExamples(id, 'getImageTask').map((e) => [`${e.status} ${e.name}`, e] as const))('%s', async (_, example) => {
      server.handle = () => ({ status: example.status, body: example.value })
      const error = await client()
        .getTask(sampleTaskId(id))
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(expectedErrorClass(id, example.status, example.value))
      expect(error).toMatchObject({ provider: id, taskId: sampleTaskId(id), code: codeString(errorCodeOf(example.value, id)) })
    })
  })

  it('an HTML error page from a proxy gives the class of its status, not a TypeError', async () => {
    server.handle = () => ({
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>',
    })
    const error = await client()
      .submit({ prompt: 'A nano banana' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UpstreamError)
    expect((error as NanoBananaError).message).toContain('502 Bad Gateway')
  })

  it('a plain-text 401 gives AuthenticationError', async () => {
    server.handle = () => ({ status: 401, headers: { 'content-type': 'text/plain' }, body: 'Unauthorized' })
    await expect(client().submit({ prompt: 'A nano banana' })).rejects.toBeInstanceOf(AuthenticationError)
  })

  it('an unreadable 2xx create answer is ambiguous (never resent)', async () => {
    server.requests.length = 0
    server.handle = () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>ok</html>' })
    await expect(client({ submit: { maxRetries: 3 }, poll: { maxRetries: 0 } }).submit({ prompt: 'A nano banana' })).rejects.toBeInstanceOf(AmbiguousSubmitError)
    expect(server.requests).toHaveLength(1)
  })

  it('a 2xx create answer without a task id is ambiguous', async () => {
    server.handle = () => ({ status: 200, body: { hello: 'world' } })
    await expect(client().submit({ prompt: 'A nano banana' })).rejects.toBeInstanceOf(AmbiguousSubmitError)
  })

  it('an unreadable poll answer is a ResponseFormatError', async () => {
    server.handle = () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'not json' })
    await expect(client().getTask(taskId)).rejects.toBeInstanceOf(ResponseFormatError)
  })

  it('a 429 is retried after Retry-After, then succeeds', async () => {
    server.requests.length = 0
    let calls = 0
    server.handle = (request) => {
      if (isCreate(request) && calls++ === 0) {
        const rateLimited = errorExamples(id, 'createImageTask').find((e) => expectedErrorClass(id, e.status, e.value) === RateLimitError)!
        return { status: rateLimited.status, headers: { 'retry-after': '0' }, body: rateLimited.value }
      }
      return { body: created }
    }
    const submission = await client({ submit: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 }, poll: { maxRetries: 0 } }).submit({ prompt: 'A nano banana' })
    expect(submission.taskId).toBe(taskId)
    expect(server.requests).toHaveLength(2)
  })

  it('Retry-After reaches the error as retryAfterMs', async () => {
    server.handle = () => ({ status: 429, headers: { 'retry-after': '7' }, body: {} })
    const error = await client()
      .submit({ prompt: 'A nano banana' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as NanoBananaError).retryAfterMs).toBe(7000)
  })
})
