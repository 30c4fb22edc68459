// RequestOptions.onHeaders: the hook that lets a caller without a fetch signal stop reading an answer.
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient, type OnHeaders } from '../src/index.js'

let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

/** Sends the headers and `first` of a JSON body, then nothing; `closed` resolves when the connection closes. */
async function stalling(first: string, contentLength?: number): Promise<{ url: string; closed: Promise<void> }> {
  let markClosed!: () => void
  const closed = new Promise<void>((resolve) => (markClosed = resolve))
  server = createServer((req, res: ServerResponse) => {
    req.resume()
    req.socket.once('close', () => markClosed())
    res.writeHead(200, { 'content-type': 'application/json', ...(contentLength !== undefined ? { 'content-length': String(contentLength) } : {}) })
    res.write(first)
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, closed }
}

describe('onHeaders', () => {
  it.each([
    ['a chunked body', undefined],
    ['a declared Content-Length', 1000],
  ])('%s that stalls: cancelling rejects the call with the reason and closes the connection', async (_, length) => {
    const api = await stalling('{"id": "', length)
    const client = createClient({ baseUrl: api.url })
    let onHeaders!: OnHeaders
    // The hook runs once the headers arrived, before the body is read.
    const headersCame = new Promise<(reason: unknown) => void>((resolve) => (onHeaders = resolve))
    const pending = client.get({ url: '/task', onHeaders }).catch((e: unknown) => e)
    const cancel = await headersCame
    const reason = new Error('given up')
    cancel(reason)
    expect(await pending).toBe(reason)
    await api.closed
  })

  it('a hook that cancels at once (the caller gave up before the headers came): nothing of the body is read', async () => {
    const api = await stalling('{"id": "')
    const client = createClient({ baseUrl: api.url })
    const reason = new Error('too late')
    const error = await client.get({ url: '/task', onHeaders: (cancel) => cancel(reason) }).catch((e: unknown) => e)
    expect(error).toBe(reason)
    await api.closed
  })
})
