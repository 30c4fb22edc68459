// Item 6: an API answer is read up to `maxResponseBytes` (default 8 MiB) and no further; a request that
// times out is aborted, so no body keeps streaming after the client gave up; a wait leaves no timer behind.
import { describe, expect, it } from 'vitest'
import { AmbiguousSubmitError, AuthenticationError, ResponseFormatError, type NanoBananaError } from '../../src/index.js'
import { client, createdAnswer, PROVIDERS, providerHandler, server, streamServer, thrown } from './core-support.js'

const PROVIDER = PROVIDERS[0]!
const MiB = 1024 * 1024
const JSON_HEAD = { status: 200, headers: { 'content-type': 'application/json' } }
// An endless JSON array, 64 KiB at a time: only the client can end it.
const FILLER = new TextEncoder().encode(`[${'0,'.repeat(32 * 1024 - 1)}`)

describe('answer size cap', () => {
  it.each([
    ['default cap (8 MiB), chunked', undefined, 8 * MiB],
    ['maxResponseBytes: 100000', 100_000, 100_000],
  ] as const)('submit answered with an endless 2xx body, %s: AmbiguousSubmitError, the stream is cut near the cap', async (_, maxResponseBytes, cap) => {
    const api = await streamServer(JSON_HEAD, FILLER, Infinity)
    const nb = client(PROVIDER, api.url, maxResponseBytes !== undefined ? { maxResponseBytes } : {})
    const error = await thrown<NanoBananaError>(() => nb.submit({ prompt: 'a banana' }))
    expect(error).toBeInstanceOf(AmbiguousSubmitError)
    expect(error.code).toBe('answer_too_large')
    // The server saw the connection close after about the cap (socket buffers add a few MiB at most).
    const written = await api.closed
    expect(written).toBeGreaterThan(cap)
    expect(written).toBeLessThan(cap + 16 * MiB)
    expect(api.requests).toBe(1)
  })

  it('a declared Content-Length over the cap is refused without reading the body', async () => {
    const big = JSON.stringify({ ...createdAnswer(PROVIDER).body, padding: 'x'.repeat(4096) })
    const api = await server(() => ({ body: big, headers: { 'content-length': String(Buffer.byteLength(big)) } }))
    const error = await thrown<NanoBananaError>(() => client(PROVIDER, api.url, { maxResponseBytes: 1024 }).submit({ prompt: 'a banana' }))
    expect(error).toMatchObject({ name: 'AmbiguousSubmitError', code: 'answer_too_large' })
  })

  it('a poll answer over the cap is a ResponseFormatError (answer_too_large)', async () => {
    const api = await server(() => ({ body: { status: 'running', padding: 'y'.repeat(4096) } }))
    const error = await thrown<NanoBananaError>(() => client(PROVIDER, api.url, { maxResponseBytes: 1024, retry: { poll: { maxRetries: 0 } } }).getTask('task-1'))
    expect(error).toBeInstanceOf(ResponseFormatError)
    expect(error).toMatchObject({ code: 'answer_too_large', taskId: 'task-1' })
  })

  it('an error answer over the cap still says what its status says (its body is dropped)', async () => {
    const api = await server(() => ({ status: 401, body: { error: { message: 'z'.repeat(4096) } } }))
    const error = await thrown<NanoBananaError>(() => client(PROVIDER, api.url, { maxResponseBytes: 1024 }).submit({ prompt: 'a banana' }))
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(JSON.stringify(error.body ?? null)).not.toContain('zzzz')
  })
})

describe('a request that times out is aborted', () => {
  it.each([
    ['headers, then silence', null],
    ['headers, then a body that never ends', FILLER],
  ] as const)('submit: %s: AmbiguousSubmitError (timeout), and the connection is closed by the client', async (_, chunk) => {
    // Backpressure keeps an endless body bounded; with no chunk nothing follows the headers.
    const api = await streamServer(JSON_HEAD, chunk, chunk ? Infinity : 0)
    const error = await thrown<NanoBananaError>(() => client(PROVIDER, api.url, { requestTimeoutMs: 150 }).submit({ prompt: 'a banana' }))
    expect(error).toBeInstanceOf(AmbiguousSubmitError)
    expect(['timeout', 'answer_too_large']).toContain(error.code)
    // Resolves only when the client closed the connection: a request left running would keep it open.
    await api.closed
    expect(api.requests).toBe(1)
  })
})

describe('nothing left behind', () => {
  it('after wait() ends, no timer of the client is pending', async () => {
    const api = await server(providerHandler(PROVIDER))
    const nb = client(PROVIDER, api.url)
    const { taskId } = await nb.submit({ prompt: 'a banana' })
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
    const before = timers()
    const result = await nb.wait(taskId)
    expect(result.taskId).toBe(taskId)
    expect(timers()).toBeLessThanOrEqual(before)
  })
})
