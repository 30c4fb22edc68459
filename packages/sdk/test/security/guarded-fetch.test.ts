// The Node guard (`createGuardedFetch`, `@nano-banana/sdk/node`): a result or reference URL whose public-looking
// name resolves to a loopback, private or link-local address is refused in the connection's own lookup, before a
// byte reaches it. The resolver is injected (the guard's test seam); the targets are real servers on 127.0.0.1
// that count the connections and requests they get.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createNanoBanana,
  DEFAULT_DOWNLOAD_RETRY,
  downloadImage,
  InvalidRequestError,
  NotSentError,
  providerIds,
  providers,
  ResponseFormatError,
  type NanoBananaError,
  type ProviderId,
} from '../../src/index.js'
import { isNonPublicAddress } from '../../src/ip-ranges.js'
import { guardedFetch, type GuardedSend } from '../../src/node/guarded-fetch.js'
import { refusedAddress, type GuardedFetchOptions, type ResolvedAddress } from '../../src/node.js'
import { thrown } from './core-support.js'

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new TextEncoder().encode('....IEND....')])
const SECRET = 'sk-guard-Vb7qT2mX9pLw'
/** An address the resolver may answer that is public by every table (example.com's). */
const PUBLIC = { address: '93.184.216.34', family: 4 }
const LOOPBACK = { address: '127.0.0.1', family: 4 }

interface Target {
  url: string
  port: number
  /** TCP connections accepted: a refused address never gets one. */
  connections: number
  requests: string[]
  respond: (req: IncomingMessage, res: ServerResponse) => void
}

const open: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()))
})

/** A server on 127.0.0.1 that serves a PNG unless told otherwise, and counts what reaches it. */
async function target(): Promise<Target> {
  const state: Target = {
    url: '',
    port: 0,
    connections: 0,
    requests: [],
    respond: (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG),
  }
  const server = createServer((req, res) => {
    state.requests.push(`${req.method} ${req.url}`)
    state.respond(req, res)
  })
  server.on('connection', () => state.connections++)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.port = (server.address() as AddressInfo).port
  state.url = `http://127.0.0.1:${state.port}`
  open.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return state
}

/** A resolver answering `answers` in turn (the last one again once they run out), counting its lookups per name. */
function resolver(...answers: ResolvedAddress[][]) {
  const lookups: string[] = []
  const resolve = async (hostname: string) => {
    lookups.push(hostname)
    return answers[Math.min(lookups.length - 1, answers.length - 1)]!
  }
  return { resolve, lookups }
}

// Both senders run every case on this Node: Node's fetch with the guard's dispatcher (Node 20-24) and
// undici's own fetch (Node 26, whose bundled undici refuses a dispatcher of another copy).
let send: GuardedSend = 'node'
const make = (options: GuardedFetchOptions) => guardedFetch(options, send)

function guard(answers: ResolvedAddress[][], options: Omit<GuardedFetchOptions, 'resolve'> = {}) {
  const r = resolver(...answers)
  return { fetch: make({ ...options, resolve: r.resolve }), lookups: r.lookups }
}

describe('refusedAddress: the decision on one resolved address', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.45.1.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.9', 'private'],
    ['192.168.1.1', 'private'],
    ['fd00::1', 'private'],
    ['fc12:3456::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['::ffff:169.254.169.254', 'link-local (cloud metadata)'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['192.0.2.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['64:ff9b::7f00:1', 'reserved'],
    ['::ffff:8.8.8.8', 'reserved'],
  ])('%s is refused as %s', (address, range) => {
    expect(refusedAddress(address)).toMatch(new RegExp(`^${range.replace(/[()]/g, '\\$&')}`))
  })

  it.each(['8.8.8.8', '93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e'])('%s is public', (address) => {
    expect(refusedAddress(address)).toBeUndefined()
  })

  it('allowLoopback lets loopback through (IPv4, IPv6, IPv4-mapped) and nothing else', () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(refusedAddress(address, { allowLoopback: true })).toBeUndefined()
    for (const address of ['10.0.0.1', '169.254.169.254', 'fe80::1', '::ffff:192.168.0.1']) expect(refusedAddress(address, { allowLoopback: true })).toBeDefined()
  })

  it('refuses exactly what the SDK refuses in URLs (ip-ranges.ts), for any IPv4 or IPv6 address', () => {
    const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join('.'))
    fc.assert(fc.property(fc.oneof(v4, fc.ipV6()), (address) => (refusedAddress(address) !== undefined) === isNonPublicAddress(address)))
  })

  it('a text that is no address is refused', () => {
    expect(refusedAddress('example.com')).toBe('not an IP address')
  })
})

describe.each(['node', 'undici'] as const)('sent by %s fetch', (sender) => {
  beforeAll(() => {
    send = sender
  })

  describe('createGuardedFetch against a counting server', () => {
    const name = (t: Target, host = 'images.example.com') => `http://${host}:${t.port}/a.png`

    it.each([
      ['127.0.0.1', [LOOPBACK], 'loopback'],
      ['::1', [{ address: '::1', family: 6 }], 'loopback'],
      ['::ffff:127.0.0.1', [{ address: '::ffff:127.0.0.1', family: 6 }], 'loopback'],
      ['fe80::1', [{ address: 'fe80::1', family: 6 }], 'link-local'],
      ['169.254.169.254', [{ address: '169.254.169.254', family: 4 }], 'link-local (cloud metadata)'],
      ['10.0.0.8', [{ address: '10.0.0.8', family: 4 }], 'private'],
      ['a public and a loopback address', [PUBLIC, LOOPBACK], 'loopback'],
    ] as const)('a name resolving to %s: NotSentError naming the host and the range; no connection', async (_, answer, range) => {
      const t = await target()
      const g = guard([[...answer]])
      const error = await thrown<NotSentError>(() => g.fetch(name(t)))
      expect(error).toBeInstanceOf(NotSentError)
      expect(error.code).toBe('unsafe_url')
      expect(error.message).toContain('images.example.com')
      expect(error.message).toContain(`(${range}`)
      expect(g.lookups).toEqual(['images.example.com'])
      expect(t.connections).toBe(0)
      expect(t.requests).toHaveLength(0)
    })

    it('the same name in allowHosts is fetched: one request', async () => {
      const t = await target()
      const g = guard([[LOOPBACK]], { allowHosts: ['Images.Example.com'] })
      const response = await g.fetch(name(t))
      expect(response.status).toBe(200)
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(PNG)
      expect(t.requests).toEqual(['GET /a.png'])
    })

    it("allowHosts ['*'] turns the guard off: a name resolving to loopback and a loopback literal are both fetched", async () => {
      const t = await target()
      const g = guard([[LOOPBACK]], { allowHosts: ['*'] })
      for (const url of [name(t), `${t.url}/a.png`]) {
        const response = await g.fetch(url)
        expect(response.status).toBe(200)
        await response.arrayBuffer()
      }
      expect(t.requests).toHaveLength(2)
    })

    it('allowLoopback (or a loopback baseUrl) fetches a name resolving to loopback, and still refuses a private one', async () => {
      const t = await target()
      for (const options of [{ allowLoopback: true }, { baseUrl: 'http://127.0.0.1:1/v1' }]) {
        const ok = await guard([[LOOPBACK]], options).fetch(name(t))
        expect(ok.status).toBe(200)
        await ok.arrayBuffer()
        const refused = await thrown<NotSentError>(() => guard([[{ address: '10.9.8.7', family: 4 }]], options).fetch(name(t)))
        expect(refused).toMatchObject({ name: 'NotSentError', code: 'unsafe_url' })
      }
      expect(t.requests).toHaveLength(2)
    })

    it('the baseUrl host is connected to whatever it resolves to: the API host the caller configured', async () => {
      const t = await target()
      const g = guard([[LOOPBACK]], { baseUrl: `https://proxy.corp.example/v1` })
      const response = await g.fetch(name(t, 'proxy.corp.example'))
      expect(response.status).toBe(200)
      await response.arrayBuffer()
      await expect(g.fetch(name(t, 'other.corp.example'))).rejects.toBeInstanceOf(NotSentError)
      expect(t.requests).toHaveLength(1)
    })

    it.each(['127.0.0.1', '[::1]', '[::ffff:127.0.0.1]'])('an IP literal %s is judged without a lookup', async (host) => {
      const t = await target()
      const g = guard([[PUBLIC]])
      const error = await thrown<NotSentError>(() => g.fetch(`http://${host}:${t.port}/a.png`))
      expect(error).toMatchObject({ name: 'NotSentError', code: 'unsafe_url' })
      expect(error.message).toMatch(/\(loopback/)
      expect(g.lookups).toHaveLength(0)
      expect(t.connections).toBe(0)
    })

    it('DNS rebinding: public to a check made first, loopback to the connection: the connection`s own lookup is checked', async () => {
      const t = await target()
      const g = resolver([PUBLIC], [LOOPBACK])
      // What a guard that resolves, checks, then lets fetch resolve again would see: a public address.
      expect(await g.resolve('rebind.example.com')).toEqual([PUBLIC])
      const error = await thrown<NotSentError>(() => make({ resolve: g.resolve })(name(t, 'rebind.example.com')))
      expect(error).toMatchObject({ name: 'NotSentError', code: 'unsafe_url' })
      expect(error.message).toContain('resolves to 127.0.0.1')
      expect(g.lookups).toHaveLength(2)
      expect(t.connections).toBe(0)
    })

    it('every new connection is looked up and checked again: an answer that turns private later is refused then', async () => {
      const t = await target()
      const g = guard([[LOOPBACK], [{ address: '10.0.0.1', family: 4 }]], { allowLoopback: true })
      const first = await g.fetch(name(t), { headers: { connection: 'close' } })
      expect(first.status).toBe(200)
      await first.arrayBuffer()
      // The first connection closed (`connection: close`): the next request opens a new one and resolves again.
      await expect(g.fetch(name(t))).rejects.toMatchObject({ code: 'unsafe_url' })
      expect(g.lookups).toHaveLength(2)
      expect(t.requests).toHaveLength(1)
    })

    it('a redirect followed by fetch itself is a connection too: refused when its name resolves to loopback', async () => {
      const inner = await target()
      const outer = await target()
      outer.respond = (_req, res) => res.writeHead(302, { location: name(inner, 'evil.example.net') }).end()
      const answers: Record<string, ResolvedAddress[]> = { 'cdn.example.com': [LOOPBACK], 'evil.example.net': [LOOPBACK] }
      const fetch = make({ allowHosts: ['cdn.example.com'], resolve: async (host) => answers[host]! })
      await expect(fetch(name(outer, 'cdn.example.com'))).rejects.toMatchObject({ name: 'NotSentError', code: 'unsafe_url' })
      expect(outer.requests).toHaveLength(1)
      expect(inner.connections).toBe(0)
    })

    it('a name that resolves to nothing fails like an unknown host (ENOTFOUND), not as a refusal', async () => {
      const t = await target()
      const error = await thrown<TypeError>(() => guard([[]]).fetch(name(t)))
      expect(error).not.toBeInstanceOf(NotSentError)
      expect((error.cause as { code?: string }).code).toBe('ENOTFOUND')
    })
  })

  describe('the guard as a client`s fetch: downloads and reference images', () => {
    const provider = providerIds.find((id) => providers[id].query !== undefined)!
    const context = (fetch: typeof globalThis.fetch) => ({
      provider,
      taskId: 'task-guard-1',
      fetch,
      retry: { ...DEFAULT_DOWNLOAD_RETRY, baseDelayMs: 1, maxDelayMs: 2 },
    })

    it('download(): the result URL refusal (ResponseFormatError unsafe_url) with the provider and task id; not retried, nothing sent', async () => {
      const t = await target()
      const g = guard([[LOOPBACK]])
      const error = await thrown<NanoBananaError>(() => downloadImage(`http://images.example.com:${t.port}/a.png`, undefined, context(g.fetch)))
      expect(error).toBeInstanceOf(ResponseFormatError)
      expect(error).toMatchObject({ code: 'unsafe_url', provider, taskId: 'task-guard-1' })
      expect(error.message).toMatch(/images\.example\.com \(resolves to 127\.0\.0\.1\): not a public address \(loopback\)/)
      expect(g.lookups).toHaveLength(1)
      expect(t.connections).toBe(0)
    })

    it('download(): a public-looking redirect target resolving to loopback is refused at its connection', async () => {
      const inner = await target()
      const outer = await target()
      outer.respond = (_req, res) => res.writeHead(302, { location: `http://evil.example.net:${inner.port}/a.png` }).end()
      const answers: Record<string, ResolvedAddress[]> = { 'cdn.example.com': [LOOPBACK], 'evil.example.net': [LOOPBACK] }
      const fetch = make({ allowHosts: ['cdn.example.com'], resolve: async (host) => answers[host]! })
      const error = await thrown<NanoBananaError>(() => downloadImage(`http://cdn.example.com:${outer.port}/a.png`, undefined, context(fetch)))
      expect(error).toMatchObject({ name: 'ResponseFormatError', code: 'unsafe_url' })
      expect(error.message).toContain('evil.example.net')
      expect(outer.requests).toHaveLength(1)
      expect(inner.connections).toBe(0)
    })

    it('one refused image of a result leaves the task id and the other images', async () => {
      const t = await target()
      const answers: Record<string, ResolvedAddress[]> = { 'good.example.com': [LOOPBACK], 'bad.example.com': [LOOPBACK] }
      const fetch = make({ allowHosts: ['good.example.com'], resolve: async (host) => answers[host]! })
      const nb = createNanoBanana({ provider, apiKey: SECRET, baseUrl: 'https://api.example.com', fetch })
      const urls = [`http://bad.example.com:${t.port}/1.png`, `http://good.example.com:${t.port}/2.png`]
      const result = await nb.wait('task-guard-2', { task: { provider, taskId: 'task-guard-2', status: 'succeeded', urls, raw: {} }, n: 2 })
      expect(result.taskId).toBe('task-guard-2')
      expect(result.images.map((image) => image.url)).toEqual(urls)
      const refused = await thrown<NanoBananaError>(() => result.images[0]!.download())
      expect(refused).toMatchObject({ code: 'unsafe_url', taskId: 'task-guard-2' })
      expect(JSON.stringify(refused)).not.toContain(SECRET)
      expect((await result.images[1]!.download()).bytes).toEqual(PNG)
      expect(t.requests).toEqual(['GET /2.png'])
    })

    it('a reference image whose name resolves to loopback: InvalidRequestError naming images[0], nothing sent anywhere', async () => {
      const byteTaker = providerIds.find((id) => providers[id].inlineReferenceImages) as ProviderId | undefined
      expect(byteTaker, 'a provider that takes reference images as bytes').toBeDefined()
      const api = await target()
      const image = await target()
      const fetch = make({ baseUrl: `http://api.example.com:${api.port}`, resolve: async () => [LOOPBACK] })
      const nb = createNanoBanana({ provider: byteTaker!, apiKey: SECRET, baseUrl: `http://api.example.com:${api.port}`, fetch })
      const error = await thrown<NanoBananaError>(() => nb.submit({ prompt: 'a banana', images: [`http://refs.example.com:${image.port}/r.png`] }))
      expect(error).toBeInstanceOf(InvalidRequestError)
      expect(error).toMatchObject({ param: 'images[0]' })
      expect(error.message).toMatch(/refs\.example\.com \(resolves to 127\.0\.0\.1\): not a public address \(loopback\)/)
      expect(error.message).not.toContain(SECRET)
      expect(image.connections).toBe(0)
      expect(api.connections).toBe(0)
    })

    it('an API host refused by the guard: NotSentError, not resent (one lookup), nothing sent', async () => {
      const api = await target()
      const g = guard([[{ address: '10.0.0.2', family: 4 }]])
      const nb = createNanoBanana({ provider, apiKey: SECRET, baseUrl: `http://api.example.com:${api.port}`, fetch: g.fetch })
      const error = await thrown<NanoBananaError>(() => nb.submit({ prompt: 'a banana' }))
      expect(error).toBeInstanceOf(NotSentError)
      expect(error.message).not.toContain(SECRET)
      expect(g.lookups).toHaveLength(1)
      expect(api.connections).toBe(0)
    })
  })
})
