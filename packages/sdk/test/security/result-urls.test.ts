// Security, issue 15 item 7: result URLs come from the provider and are fetched only when they are http(s)
// to a public host. A malicious image host on 127.0.0.1 counts the requests that reached it.
import { afterEach, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '@nano-banana/testkit'
import { DEFAULT_DOWNLOAD_RETRY, downloadImage, providerIds, providers, ResponseFormatError, type NanoBananaError, type Task } from '../../src/index.js'
import { isLoopbackHost, keptResultUrls, unsafeResultUrl, type ResultUrlPolicy } from '../../src/result-url.js'
import { fastSandbox, sandboxClient } from '../reliability/support.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((fn) => fn()))
})
async function imageHost(handle: TestServer['handle']): Promise<TestServer> {
  const server = await startTestServer({ handle })
  cleanups.push(() => server.close())
  return server
}
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new TextEncoder().encode('....IEND....')])
const context = (urlPolicy?: ResultUrlPolicy) => ({
  provider: providerIds[0]!,
  taskId: 'task-1',
  fetch: globalThis.fetch,
  retry: { ...DEFAULT_DOWNLOAD_RETRY, baseDelayMs: 1, maxDelayMs: 2 },
  ...(urlPolicy ? { urlPolicy } : {}),
})

describe('unsafeResultUrl: which URLs are refused', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'cloud metadata (link-local)'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'GCP metadata name'],
    ['http://metadata/computeMetadata/v1/', 'single-label metadata name'],
    ['http://127.0.0.1:6379/', 'loopback (Redis)'],
    ['http://2130706433/', 'loopback, decimal form'],
    ['http://0x7f.1/', 'loopback, hex form'],
    ['http://localhost/x.png', 'localhost'],
    ['http://a.localhost/x.png', 'a localhost subdomain'],
    ['http://[::1]/x.png', 'IPv6 loopback'],
    ['http://[::ffff:127.0.0.1]/x.png', 'IPv4-mapped loopback'],
    ['http://[::ffff:169.254.169.254]/', 'IPv4-mapped metadata'],
    ['http://10.0.0.1/x.png', 'RFC 1918 10/8'],
    ['http://172.16.5.4/x.png', 'RFC 1918 172.16/12'],
    ['http://192.168.1.1/x.png', 'RFC 1918 192.168/16'],
    ['http://100.64.0.1/x.png', 'CGNAT'],
    ['http://0.0.0.0/x.png', 'this network'],
    ['http://[fd00::1]/x.png', 'IPv6 unique-local'],
    ['http://[fe80::1]/x.png', 'IPv6 link-local'],
    ['http://printer.local/x.png', 'mDNS name'],
    ['http://intranet/x.png', 'single-label intranet name'],
    ['javascript:alert(1)', 'javascript:'],
    ['file:///etc/passwd', 'file:'],
    ['ftp://cdn.example.com/x.png', 'ftp:'],
    ['data:image/png;base64,iVBORw0KGgo=', 'data: (no provider documents inline images here)'],
    ['/relative/x.png', 'not absolute'],
  ])('%s (%s)', (url) => {
    expect(unsafeResultUrl(url)).toEqual(expect.any(String))
  })

  it.each(['https://cdn.example.com/a.png', 'http://8.8.8.8/x.png', 'https://[2606:4700:4700::1111]/x.png'])('public: %s', (url) => {
    expect(unsafeResultUrl(url)).toBeUndefined()
  })

  it('loopback only when allowed (the client base URL is loopback); allowHosts for a private CDN; data: only when allowed', () => {
    expect(unsafeResultUrl('http://127.0.0.1:8080/x.png', { allowLoopback: true })).toBeUndefined()
    expect(unsafeResultUrl('http://10.0.0.1/x.png', { allowLoopback: true })).toEqual(expect.any(String))
    expect(unsafeResultUrl('http://10.1.2.3/x.png', { allowHosts: ['10.1.2.3'] })).toBeUndefined()
    expect(unsafeResultUrl('http://cdn.corp/x.png', { allowHosts: ['CDN.corp'] })).toBeUndefined()
    expect(unsafeResultUrl('http://169.254.169.254/', { allowHosts: ['*'] })).toBeUndefined()
    expect(unsafeResultUrl('javascript:alert(1)', { allowHosts: ['*'] })).toEqual(expect.any(String))
    expect(unsafeResultUrl('data:image/png;base64,iVBORw0KGgo=', { allowData: true })).toBeUndefined()
    expect(isLoopbackHost('[::ffff:7f00:1]')).toBe(true)
  })
})

describe('download(): refused URLs send no request', () => {
  it('a loopback image host is refused by default (0 requests), fetched when the policy allows loopback', async () => {
    const host = await imageHost(() => new Response(PNG, { headers: { 'content-type': 'image/png' } }))
    const error = (await downloadImage(`${host.url}/x.png`, undefined, context()).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(ResponseFormatError)
    expect(error.code).toBe('unsafe_url')
    expect(host.requests).toHaveLength(0)
    expect((await downloadImage(`${host.url}/x.png`, undefined, context({ allowLoopback: true }))).contentType).toBe('image/png')
    expect(host.requests).toHaveLength(1)
  })

  it.each([
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['a private host', 'http://10.0.0.1/x.png'],
    ['file:', 'file:///etc/passwd'],
    ['a relative path', '/x.png'],
  ])('a redirect to %s is refused; the redirecting host got 1 request and nothing followed', async (_, target) => {
    const host = await imageHost(() => ({ status: 302, headers: { location: target }, body: '' }))
    const error = (await downloadImage(`${host.url}/x.png`, undefined, context({ allowLoopback: true })).catch((e: unknown) => e)) as NanoBananaError
    expect(error.code).toBe('unsafe_url')
    // A relative redirect stays on the (allowed) host: it loops until the hop limit.
    expect(host.requests.length).toBe(target.startsWith('/') ? 6 : 1)
  })

  it('a redirect between allowed hosts is followed', async () => {
    const host = await imageHost((request) =>
      request.path === '/moved' ? { status: 301, headers: { location: '/x.png' }, body: '' } : new Response(PNG, { headers: { 'content-type': 'image/png' } }),
    )
    expect((await downloadImage(`${host.url}/moved`, undefined, context({ allowLoopback: true }))).extension).toBe('png')
    expect(host.requests.map((r) => r.path)).toEqual(['/moved', '/x.png'])
  })

  it('through a client: a provider on loopback (the sandbox) may serve loopback images, never a private host', async () => {
    const s = await fastSandbox()
    cleanups.push(() => s.close())
    const id = providerIds[0]!
    const result = await sandboxClient(s, id).generate({ prompt: 'x' })
    expect((await result.images[0]!.download()).bytes.byteLength).toBeGreaterThan(0)
    // A malicious provider: its answers point the result at a private address.
    const origin = new URL(s.baseUrl(id)).origin
    const fetched: string[] = []
    const rewriting: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input)
      fetched.push(url)
      const response = await fetch(input, init)
      const text = await response.text()
      return new Response(text.split(origin).join('http://10.0.0.1'), { status: response.status, headers: response.headers })
    }
    const forged = await sandboxClient(s, id, { fetch: rewriting }).generate({ prompt: 'x' })
    expect(forged.images[0]!.url.startsWith('http://10.0.0.1/')).toBe(true)
    const error = (await forged.images[0]!.download().catch((e: unknown) => e)) as NanoBananaError
    expect(error.code).toBe('unsafe_url')
    expect(fetched.filter((u) => u.startsWith('http://10.0.0.1'))).toEqual([])
  })
})

describe('keptResultUrls: javascript:/file:/ftp: dropped, images capped by what was asked', () => {
  describe.each(providerIds)('%s', (id) => {
    const adapter = providers[id]
    const model = adapter.defaultModel
    const task = (urls: string[]): Task => ({ taskId: 't', provider: id, status: 'succeeded', urls, raw: {} })

    it('n=1 with 300 URLs keeps n times the model maximum, with a warning', () => {
      const urls = Array.from({ length: 300 }, (_, i) => `https://cdn.example.com/${i}.png`)
      const kept = keptResultUrls(task(urls), adapter, model, 1)
      // One image per request where n is n requests (`x-repeat-for-n`).
      const limit = adapter.repeatForN ? 1 : Math.max(1, adapter.models[model]!.maxN)
      // n unknown (a wait() that was not told it): as many as could have been asked for.
      expect(keptResultUrls(task(urls), adapter, model).urls).toHaveLength(Math.max(1, adapter.models[model]!.maxN))
      expect(kept.urls).toEqual(urls.slice(0, limit))
      expect(kept.warnings.map((w) => w.message).join()).toContain(`${limit}`)
    })

    it('dangerous schemes are dropped with a warning, http(s) kept', () => {
      const kept = keptResultUrls(task(['javascript:alert(1)', 'https://cdn.example.com/a.png', 'file:///etc/passwd', 'ftp://x/y', 'nonsense']), adapter, model, 1)
      expect(kept.urls).toEqual(['https://cdn.example.com/a.png'])
      expect(kept.warnings).toHaveLength(1)
    })
  })
})
