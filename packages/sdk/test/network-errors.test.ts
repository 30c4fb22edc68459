// What a failed fetch proves about whether the request left: the error shapes below are the ones the
// real runtimes threw (recorded with runtime-tests' runtimes: Node 20, Bun 1.4, Deno 2.9, workerd,
// Chromium 156) for a refused connection, an unknown host, a blocked port, a reset after the request
// was sent, and a fetch called with the wrong `this`.
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { classifyNetworkError, corsHint } from '../src/retry.js'

const typeError = (message: string, cause?: unknown, code?: string) =>
  Object.assign(new TypeError(message, cause === undefined ? {} : { cause }), code ? { code } : {})
const error = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {})

describe('classifyNetworkError', () => {
  it.each([
    ['Node: connection refused', typeError('fetch failed', error('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'))],
    ['Node: unknown host', typeError('fetch failed', error('getaddrinfo ENOTFOUND nonexistent.invalid', 'ENOTFOUND'))],
    ['Node: a port fetch refuses', typeError('fetch failed', error('bad port'))],
    ['Bun: connection refused', typeError('ECONNREFUSED: Unable to connect. Is the computer able to access the url?', undefined, 'ECONNREFUSED')],
    ['Bun: unknown host', typeError('getaddrinfo ENOTFOUND nonexistent.invalid', undefined, 'ENOTFOUND')],
    [
      'Deno: connection refused',
      typeError(
        'fetch failed',
        error('error sending request for url (http://127.0.0.1:1/): client error (Connect): tcp connect error: Connection refused (os error 111)'),
      ),
    ],
    [
      'Deno: unknown host',
      typeError('fetch failed', error('error sending request for url (http://x.invalid/): client error (Connect): dns error: failed to lookup address information')),
    ],
    ['Deno: a blocked port', typeError('Fetch failed: Requests to port 6000 are blocked')],
    ['Chromium: fetch called with a wrong this', typeError("Failed to execute 'fetch' on 'Window': Illegal invocation")],
    ['workerd: fetch called with a wrong this', typeError('Illegal invocation: function called with incorrect `this` reference.')],
  ])('%s: not sent', (_, thrown) => {
    expect(classifyNetworkError(thrown)).toBe('not-sent')
  })

  it.each([
    ['Node: reset after sending', typeError('fetch failed', error('read ECONNRESET', 'ECONNRESET'))],
    ['Bun: reset after sending', typeError('ECONNRESET: The socket connection was closed unexpectedly.', undefined, 'ECONNRESET')],
    ['Deno: reset after sending', typeError('fetch failed', error('Connection reset by peer (os error 104)'))],
    // A browser says the same for a CORS block (a POST whose answer lacks the CORS header was sent),
    // a refused connection and a reset after sending.
    ['Chromium: any network failure, a CORS block included', typeError('Failed to fetch')],
    ['Firefox: any network failure', typeError('NetworkError when attempting to fetch resource.')],
    ['Safari: any network failure', typeError('Load failed')],
    // workerd: the same message for a refused connection and a reset after sending.
    ['workerd: connection lost', error('Network connection lost.')],
    ['anything else', new Error('boom')],
  ])('%s: maybe sent', (_, thrown) => {
    expect(classifyNetworkError(thrown)).toBe('maybe-sent')
  })

  it('a real refused connection in this Node is not sent, a real reset after the request is maybe sent', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port: refusedPort } = closed.address() as AddressInfo
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const refused = await fetch(`http://127.0.0.1:${refusedPort}/`).catch((e: unknown) => e)
    expect(classifyNetworkError(refused)).toBe('not-sent')

    let received = 0
    const resetting = createServer((socket) => {
      socket.once('data', () => {
        received++
        socket.resetAndDestroy()
      })
    })
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve))
    const { port } = resetting.address() as AddressInfo
    const reset = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' }).catch((e: unknown) => e)
    await new Promise<void>((resolve) => resetting.close(() => resolve()))
    expect(received).toBe(1)
    expect(classifyNetworkError(reset)).toBe('maybe-sent')
  })

  it('an abort or a timeout is neither', () => {
    const controller = new AbortController()
    controller.abort()
    expect(classifyNetworkError(typeError('Failed to fetch'), controller.signal)).toBe('aborted')
    expect(classifyNetworkError(new DOMException('late', 'TimeoutError'))).toBe('timeout')
  })

  it("a browser's bare network error gets the CORS hint; Node's and workerd's do not", () => {
    for (const message of ['Failed to fetch', 'NetworkError when attempting to fetch resource.', 'Load failed']) expect(corsHint(typeError(message))).toMatch(/CORS/)
    expect(corsHint(typeError('fetch failed', error('read ECONNRESET', 'ECONNRESET')))).toBe('')
    expect(corsHint(error('Network connection lost.'))).toBe('')
  })
})
