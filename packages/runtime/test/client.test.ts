import { afterEach, describe, expect, it } from 'vitest'
import { ClientConfigurationError, createClient, createProviderClient, ResponseParseError, ResponseTooLargeError } from '../src/index.js'
import { startTestServer, type TestServer } from '@nano-banana/testkit'

let recorder: TestServer | undefined
afterEach(async () => {
  await recorder?.close()
  recorder = undefined
})

describe('createClient', () => {
  it('builds path, query, auth header and JSON body the way the generated SDK asks', async () => {
    recorder = await startTestServer({ handle: () => ({ body: { id: 'task-1' } }) })
    const client = createClient({ baseUrl: `${recorder.url}/api/v1/`, auth: 'k-123' })
    const result = await client.post({
      url: '/tasks/{task_id}',
      path: { task_id: 'a b/c' },
      query: { tag: ['x', 'y'], skip: undefined },
      security: [{ scheme: 'bearer', type: 'http' }],
      body: { prompt: 'hi' },
      headers: { 'Content-Type': 'application/json' },
    })
    expect(result.data).toEqual({ id: 'task-1' })
    const [req] = recorder.requests
    expect(req?.method).toBe('POST')
    expect(req?.url).toBe('/api/v1/tasks/a%20b%2Fc?tag=x&tag=y')
    expect(req?.headers.authorization).toBe('Bearer k-123')
    expect(req?.headers['content-type']).toBe('application/json')
    expect(req?.body).toEqual({ prompt: 'hi' })
  })

  it('puts an apiKey scheme in its named header and sends no body or content type on GET', async () => {
    recorder = await startTestServer({ handle: () => ({ body: { ok: true } }) })
    const client = createClient({ baseUrl: recorder.url, auth: () => 'secret' })
    await client.get({ url: '/x', security: [{ type: 'apiKey', name: 'x-api-key', in: 'header' }] })
    const [req] = recorder.requests
    expect(req?.headers['x-api-key']).toBe('secret')
    expect(req?.headers.authorization).toBeUndefined()
    expect(req?.headers['content-type']).toBeUndefined()
    expect(req?.text).toBe('')
  })

  it.each([
    ['a key', (auth: { name?: string }) => (auth.name === 'x-first' ? undefined : 'k-9')],
    ['a promise of a key', async (auth: { name?: string }) => (auth.name === 'x-first' ? undefined : 'k-9')],
  ])('an auth function returning %s: the first scheme it gives a token for is used, once', async (_, auth) => {
    recorder = await startTestServer({ handle: () => ({ body: { ok: true } }) })
    const client = createClient({ baseUrl: recorder.url, auth })
    await client.get({
      url: '/x',
      security: [
        { type: 'apiKey', name: 'x-first', in: 'header' },
        { type: 'apiKey', name: 'x-second', in: 'header' },
        { type: 'apiKey', name: 'x-third', in: 'header' },
      ],
    })
    const [req] = recorder.requests
    expect(req?.headers['x-first']).toBeUndefined()
    expect(req?.headers['x-second']).toBe('k-9')
    expect(req?.headers['x-third']).toBeUndefined()
  })

  it('returns error bodies on the error path with the response', async () => {
    recorder = await startTestServer({ handle: () => ({ status: 402, body: { error: { code: 402 } } }) })
    const client = createClient({ baseUrl: recorder.url })
    const result = await client.get({ url: '/x' })
    expect(result.data).toBeUndefined()
    expect(result.error).toEqual({ error: { code: 402 } })
    expect(result.response.status).toBe(402)
  })

  it('keeps a non-JSON error page as text and rejects an unreadable 2xx', async () => {
    recorder = await startTestServer({
      handle: (r) =>
        r.path === '/html' ? { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad gateway</html>' } : { status: 200, body: '{"id": "tr' },
    })
    const client = createClient({ baseUrl: recorder.url })
    const page = await client.get({ url: '/html' })
    expect(page.error).toBe('<html>Bad gateway</html>')
    await expect(client.get({ url: '/broken' })).rejects.toBeInstanceOf(ResponseParseError)
  })

  it('rejects a 2xx declared as JSON with its length whose body does not parse', async () => {
    const text = '{"id": "tr'
    const fetch = async () => new Response(text, { status: 200, headers: { 'content-type': 'application/json', 'content-length': String(text.length) } })
    const client = createClient({ baseUrl: 'https://api.example', fetch })
    const error = await client.get({ url: '/x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ResponseParseError)
    expect((error as ResponseParseError).cause).toBeInstanceOf(SyntaxError)
  })
})

describe('answers read as a stream (an onHeaders hook, or no declared length)', () => {
  const answer = (status: number, text: string, headers: Record<string, string>) => async () => new Response(text, { status, headers })
  const streamed = (text: string) => async () => new Response(new Blob([text]).stream(), { status: 200, headers: { 'content-type': 'application/json' } })
  const onHeaders = () => undefined

  it('parses JSON, keeps an error page as text, rejects a 2xx that is not JSON', async () => {
    const json = createClient({ baseUrl: 'https://api.example', fetch: answer(200, '{"id":"t1"}', { 'content-type': 'application/json', 'content-length': '11' }) })
    expect((await json.get({ url: '/x', onHeaders })).data).toEqual({ id: 't1' })
    const page = createClient({ baseUrl: 'https://api.example', fetch: answer(502, '<html>Bad gateway</html>', { 'content-type': 'text/html' }) })
    expect((await page.get({ url: '/x', onHeaders })).error).toBe('<html>Bad gateway</html>')
    const html = createClient({ baseUrl: 'https://api.example', fetch: answer(200, '<html></html>', { 'content-type': 'text/html' }) })
    expect(await html.get({ url: '/x', onHeaders }).catch((e: unknown) => e)).toBeInstanceOf(ResponseParseError)
  })

  it('a chunked 2xx over maxResponseBytes is ResponseTooLargeError, within it is parsed', async () => {
    const text = JSON.stringify({ id: 'x'.repeat(100) })
    const over = createClient({ baseUrl: 'https://api.example', fetch: streamed(text), maxResponseBytes: 50 })
    expect(await over.get({ url: '/x' }).catch((e: unknown) => e)).toBeInstanceOf(ResponseTooLargeError)
    const within = createClient({ baseUrl: 'https://api.example', fetch: streamed(text) })
    expect((await within.get({ url: '/x' })).data).toEqual({ id: 'x'.repeat(100) })
  })
})

describe('createProviderClient', () => {
  const provider = { id: 'demo', name: 'Demo', defaultBaseUrl: undefined }
  it('requires a base URL when the provider publishes none, before any request', () => {
    expect(() => createProviderClient(provider, { apiKey: 'k' })).toThrow(ClientConfigurationError)
    expect(() => createProviderClient(provider, { apiKey: 'k' })).toThrow(/pass `baseUrl`/)
    expect(() => createProviderClient(provider, { baseUrl: 'ftp://x' })).toThrow(/http\(s\) URL/)
  })
  it('sends the key with the prefix on an API-key scheme and with the scheme word on a bearer one', async () => {
    const sent: Headers[] = []
    const fetch = async (_url: string | URL | Request, init?: RequestInit) => {
      sent.push(new Headers(init?.headers))
      return new Response(null, { status: 204 })
    }
    const client = createProviderClient({ ...provider, defaultBaseUrl: 'https://api.example', authPrefix: 'Key ' }, { apiKey: 'sk-1', fetch })
    await client.get({ url: '/a', security: [{ type: 'apiKey', in: 'header', name: 'Authorization' }] })
    await client.get({ url: '/b', security: [{ type: 'http', scheme: 'bearer' }] })
    expect(sent.map((headers) => headers.get('authorization'))).toEqual(['Key sk-1', 'Bearer sk-1'])
    const keyless = createProviderClient({ ...provider, defaultBaseUrl: 'https://api.example', authPrefix: 'Key ' }, { fetch })
    await keyless.get({ url: '/c', security: [{ type: 'apiKey', in: 'header', name: 'Authorization' }] })
    expect(sent[2]?.has('authorization')).toBe(false)
  })
  it('keeps the key out of the visible config', () => {
    const client = createProviderClient({ ...provider, defaultBaseUrl: 'https://api.example' }, { apiKey: 'sk-very-secret' })
    expect(JSON.stringify(client.getConfig())).not.toContain('sk-very-secret')
  })
})
