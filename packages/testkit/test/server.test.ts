import { afterEach, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../src/index.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('startTestServer', () => {
  it('listens on 127.0.0.1 on a free port and records each request with its parsed body', async () => {
    server = await startTestServer({ handle: (request) => ({ status: 201, headers: { 'x-seen': request.path }, body: { got: request.body } }) })
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const response = await fetch(`${server.url}/v1/tasks?id=7`, { method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, body: '{"a":1}' })
    expect(response.status).toBe(201)
    expect(response.headers.get('x-seen')).toBe('/v1/tasks')
    expect(await response.json()).toEqual({ got: { a: 1 } })
    const [recorded] = server.requests
    expect(recorded).toMatchObject({ method: 'POST', url: '/v1/tasks?id=7', path: '/v1/tasks', text: '{"a":1}', body: { a: 1 } })
    expect(recorded?.query.get('id')).toBe('7')
    expect(recorded?.headers.authorization).toBe('Bearer k')
  })

  it('keeps a non-JSON body as text and an empty one as undefined', async () => {
    server = await startTestServer({ handle: () => ({ body: 'plain' }) })
    expect(await (await fetch(server.url, { method: 'POST', body: 'not json' })).text()).toBe('plain')
    await fetch(server.url)
    expect(server.requests.map((r) => r.body)).toEqual(['not json', undefined])
  })

  it('answers 500 without a handler, 599 when the handler throws, and takes a replaced handler', async () => {
    server = await startTestServer()
    expect((await fetch(server.url)).status).toBe(500)
    server.handle = () => {
      throw new Error('boom')
    }
    const failed = await fetch(server.url)
    expect(failed.status).toBe(599)
    expect(await failed.json()).toEqual({ error: 'Error: boom' })
    server.handle = async () => ({ body: new Uint8Array([1, 2, 3]) })
    const bytes = await fetch(server.url)
    expect(bytes.headers.get('content-type')).toBe('application/octet-stream')
    expect([...new Uint8Array(await bytes.arrayBuffer())]).toEqual([1, 2, 3])
  })

  it('streams a web Response and can drop the connection', async () => {
    server = await startTestServer({ handle: () => new Response('streamed', { status: 203, headers: { 'content-type': 'text/plain' } }) })
    const response = await fetch(server.url)
    expect(response.status).toBe(203)
    expect(await response.text()).toBe('streamed')
    server.handle = () => ({ destroy: true })
    await expect(fetch(server.url)).rejects.toThrow()
  })

  it('waits for a request instead of sleeping, emits each one, and resets', async () => {
    server = await startTestServer({ handle: () => ({ body: {} }) })
    const seen: string[] = []
    server.events.on('request', (r: { path: string }) => seen.push(r.path))
    const next = server.nextRequest((r) => r.path === '/late')
    await fetch(`${server.url}/early`)
    void fetch(`${server.url}/late`)
    expect((await next).path).toBe('/late')
    expect(seen).toEqual(['/early', '/late'])
    await expect(server.nextRequest((r) => r.path === '/never', { timeoutMs: 30 })).rejects.toThrow(/timed out after 30 ms waiting for a matching request/)
    server.reset()
    expect(server.requests).toEqual([])
  })
})
