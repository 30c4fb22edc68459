// The runtime's own guards: redirects (same origin only, the key never leaves it), the answer size cap,
// and requests that fail while being built (nothing sent).
import { gzipSync } from 'node:zlib'
import { startTestServer, type Handler, type TestServer } from '@nano-banana/testkit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient, RedirectRefusedError, RequestNotSentError, ResponseTooLargeError } from '../src/index.js'

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
async function serve(handle: Handler) {
  const s = await startTestServer({ handle })
  servers.push(s)
  return s
}
const bearer = [{ type: 'http', scheme: 'bearer' }] as const

describe('redirects', () => {
  it('another origin: RedirectRefusedError naming only its origin; the key never goes there', async () => {
    const other = await serve(() => ({ body: { stolen: true } }))
    const api = await serve(() => ({ status: 302, headers: { location: `${other.url}/x?token=abc` }, body: '' }))
    const client = createClient({ baseUrl: api.url, auth: 'k-secret-1' })
    const error = await client.get({ url: '/task', security: bearer }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RedirectRefusedError)
    expect(error).toMatchObject({ status: 302, location: other.url })
    expect((error as Error).message).not.toContain('token=abc')
    expect(other.requests).toHaveLength(0)
  })

  it('the same origin: a GET follows 301/302/303/307/308, a POST without a body only 307/308', async () => {
    const api = await serve((r) =>
      r.path.startsWith('/to') ? { body: { at: r.path } } : { status: Number(r.path.slice(1)), headers: { location: `/to${r.path}` }, body: '' },
    )
    const client = createClient({ baseUrl: api.url, auth: 'k-secret-1' })
    for (const status of [301, 302, 303, 307, 308]) expect((await client.get({ url: `/${status}`, security: bearer })).data).toEqual({ at: `/to/${status}` })
    for (const status of [307, 308]) expect((await client.post({ url: `/${status}`, security: bearer })).data).toEqual({ at: `/to/${status}` })
    for (const status of [301, 302, 303]) expect(await client.post({ url: `/${status}` }).catch((e: unknown) => e)).toBeInstanceOf(RedirectRefusedError)
    expect(api.requests.filter((r) => r.path.startsWith('/to')).every((r) => r.headers.authorization === 'Bearer k-secret-1')).toBe(true)
  })

  it('a request with a body follows no redirect, not even to its own origin: sent once, RedirectRefusedError', async () => {
    const api = await serve((r) =>
      r.path.startsWith('/to') ? { body: { at: r.path } } : { status: Number(r.path.slice(1)), headers: { location: `/to${r.path}` }, body: '' },
    )
    const client = createClient({ baseUrl: api.url, auth: 'k-secret-1' })
    for (const status of [301, 302, 303, 307, 308]) {
      const error = await client.post({ url: `/${status}`, body: { a: 1 }, security: bearer }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(RedirectRefusedError)
      expect((error as Error).message).not.toContain('k-secret-1')
    }
    expect(api.requests.map((r) => r.path)).toEqual(['/301', '/302', '/303', '/307', '/308'])
  })

  it("a fetch of one's own that shows the redirect of a request with a body: refused with its status and origin, not followed", async () => {
    const seen: RequestInit[] = []
    const fetch = async (_url: string | URL | Request, init?: RequestInit) => {
      seen.push(init!)
      return new Response(null, { status: 307, headers: { location: 'https://api.example/moved' } })
    }
    const client = createClient({ baseUrl: 'https://api.example', fetch: fetch as typeof globalThis.fetch })
    const error = await client.post({ url: '/x', body: { a: 1 } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RedirectRefusedError)
    expect(error).toMatchObject({ status: 307, location: 'https://api.example' })
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ redirect: 'error', window: null })
  })

  it("a runtime whose fetch refuses 'error' mode (workerd): a request with a body goes in 'manual' mode and its redirect is refused", async () => {
    const NodeRequest = globalThis.Request
    // workerd's words; its fetch refuses the value too, so a submit sent in 'error' mode would fail there.
    class EdgeRequest extends NodeRequest {
      constructor(input: RequestInfo | URL, init?: RequestInit) {
        if (init?.redirect === 'error') throw new TypeError('Invalid redirect value, must be one of "follow" or "manual"')
        super(input, init)
      }
    }
    vi.stubGlobal('Request', EdgeRequest)
    try {
      const seen: RequestInit[] = []
      const fetch = async (_url: string | URL | Request, init?: RequestInit) => {
        seen.push({ ...init! })
        if (init?.redirect === 'error') throw new TypeError('Invalid redirect value, must be one of "follow" or "manual"')
        return new Response(null, { status: 307, headers: { location: '/moved' } })
      }
      const client = createClient({ baseUrl: 'https://api.example', fetch: fetch as typeof globalThis.fetch })
      const error = await client.post({ url: '/x', body: { a: 1 } }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(RedirectRefusedError)
      expect(error).toMatchObject({ status: 307, location: 'https://api.example' })
      expect(seen.map((init) => init.redirect)).toEqual(['manual'])
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it.each([
    ["undici's", new TypeError('fetch failed', { cause: new Error('unexpected redirect') })],
    ["Deno's", new TypeError("Fetch failed: Encountered redirect while redirect mode is set to 'error'")],
  ])("a redirect refused by fetch in 'error' mode (%s words) is RedirectRefusedError; other failures stay as they are", async (_, refusal) => {
    const reset = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) })
    let answer: Error = refusal
    const fetch = async () => {
      throw answer
    }
    const client = createClient({ baseUrl: 'https://api.example', fetch: fetch as typeof globalThis.fetch })
    const error = await client.post({ url: '/x', body: { a: 1 } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RedirectRefusedError)
    expect(error).toMatchObject({ status: 0, location: undefined, cause: refusal })
    answer = reset
    expect(await client.post({ url: '/x', body: { a: 1 } }).catch((e: unknown) => e)).toBe(reset)
  })

  it('a GET in an endless same-origin redirect loop: RedirectRefusedError after 5 hops', async () => {
    const api = await serve((r) => ({ status: 307, headers: { location: `/again${r.path}` }, body: '' }))
    expect(
      await createClient({ baseUrl: api.url })
        .get({ url: '/x' })
        .catch((e: unknown) => e),
    ).toBeInstanceOf(RedirectRefusedError)
    expect(api.requests).toHaveLength(6)
  })

  it("a caller's own redirect policy is left alone", async () => {
    const other = await serve(() => ({ body: { moved: true } }))
    const api = await serve(() => ({ status: 307, headers: { location: `${other.url}/x` }, body: '' }))
    const client = createClient({ baseUrl: api.url, redirect: 'follow' })
    expect((await client.get({ url: '/x' })).data).toEqual({ moved: true })
  })
})

describe('answer size', () => {
  it.each([
    ['a declared length', true],
    ['a chunked body', false],
  ])('%s over maxResponseBytes: ResponseTooLargeError for a 2xx, no body for an error answer', async (_, declared) => {
    const big = JSON.stringify({ pad: 'x'.repeat(5000) })
    const api = await serve((r) =>
      declared
        ? { status: r.path === '/err' ? 500 : 200, body: big, headers: { 'content-length': String(big.length) } }
        : new Response(
            new ReadableStream({
              start(c) {
                c.enqueue(new TextEncoder().encode(big))
                c.close()
              },
            }),
            { status: r.path === '/err' ? 500 : 200, headers: { 'content-type': 'application/json' } },
          ),
    )
    const client = createClient({ baseUrl: api.url, maxResponseBytes: 1000 })
    expect(await client.get({ url: '/ok' }).catch((e: unknown) => e)).toBeInstanceOf(ResponseTooLargeError)
    const error = await client.get({ url: '/err' })
    expect(error.response.status).toBe(500)
    expect(error.error).toEqual({})
    // Within the cap, the same answer reads.
    expect((await createClient({ baseUrl: api.url }).get({ url: '/ok' })).data).toEqual(JSON.parse(big))
  })
})

describe('a compressed answer', () => {
  // Its Content-Length counts compressed bytes; fetch hands over the inflated ones, which the cap must count.
  const big = JSON.stringify({ pad: 'x'.repeat(200_000) })
  const gzipped = new Uint8Array(gzipSync(big))
  const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(gzipped.byteLength) }

  it.each([
    ['read at once', undefined],
    ['read through onHeaders', () => undefined],
  ])('inflating past maxResponseBytes (%s) is ResponseTooLargeError, though its declared length is within it', async (_, onHeaders) => {
    const api = await serve(() => ({ body: gzipped, headers }))
    expect(gzipped.byteLength).toBeLessThan(1000)
    const client = createClient({ baseUrl: api.url, maxResponseBytes: 10_000 })
    expect(await client.get({ url: '/ok', onHeaders }).catch((e: unknown) => e)).toBeInstanceOf(ResponseTooLargeError)
    // Within the cap, the same answer reads inflated.
    expect((await createClient({ baseUrl: api.url }).get({ url: '/ok', onHeaders })).data).toEqual(JSON.parse(big))
  })
})

describe('a request that cannot be built', () => {
  it.each([
    ['an auth function that throws', { auth: () => Promise.reject(new Error('vault down')) }, {}],
    [
      'an auth function that throws synchronously',
      {
        auth: () => {
          throw new Error('vault down')
        },
      },
      {},
    ],
    ['a missing path parameter', {}, { url: '/tasks/{task_id}', path: {} }],
    ['a lone surrogate in a path parameter', {}, { url: '/tasks/{task_id}', path: { task_id: 'a\uD800' } }],
  ])('%s: RequestNotSentError, fetch never called', async (_, config, options) => {
    let calls = 0
    const client = createClient({ baseUrl: 'http://127.0.0.1:9', fetch: (async () => (calls++, new Response('{}'))) as typeof fetch, ...config })
    const error = await client.get({ url: '/x', security: bearer, ...options }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RequestNotSentError)
    expect(calls).toBe(0)
  })
})
