// Downloads: result.images[i].download({ maxBytes, signal }) streams with a size cap, checks that the
// bytes are an image, retries transient failures and says ExpiredResultError once the URL has expired;
// saveImages(result, dir) writes files that decode as PNG/JPEG.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Sandbox } from '@nano-banana/sandbox'
import {
  AbortError,
  ConnectionError,
  DEFAULT_DOWNLOAD_RETRY,
  downloadImage,
  ExpiredResultError,
  providers,
  ResponseFormatError,
  type NanoBananaError,
} from '../../src/index.js'
import { FIXTURES } from '../support.js'
import { decodeImage, fastSandbox, PROVIDERS, requestsOf, sandboxClient, sleep } from './support.js'

// One provider whose default model returns PNG and that follows plain HTTP semantics (its fixture asks for nothing special).
const ONE = PROVIDERS.find((p) => !FIXTURES[p].downloadRequest && !FIXTURES[p].faultOutcomes && !FIXTURES[p].statusClasses)!
import { saveImages } from '../../src/node.js'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  vi.useRealTimers()
  await Promise.all(cleanups.splice(0).map((fn) => fn()))
})
async function sandbox(options: Parameters<typeof fastSandbox>[0] = {}): Promise<Sandbox> {
  const s = await fastSandbox(options)
  cleanups.push(() => s.close())
  return s
}
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nb-download-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** A file server for what the sandbox never serves: an endless body, an HTML page with 200, mislabelled bytes. */
async function fileServer(handle: Parameters<typeof createServer>[1]): Promise<{ url: string; hits: () => number }> {
  let hits = 0
  const server: Server = createServer((req, res) => {
    hits++
    handle!(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits }
}

const context = () => ({
  provider: PROVIDERS[0]!,
  taskId: 'task-unified-1-test',
  fetch: globalThis.fetch,
  retry: { ...DEFAULT_DOWNLOAD_RETRY, baseDelayMs: 1, maxDelayMs: 2 },
  // The file servers listen on 127.0.0.1, as the sandbox does: loopback result hosts are allowed.
  urlPolicy: { allowLoopback: true },
})

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

describe('saveImages (@nano-banana/sdk/node) writes decodable images', () => {
  it.each(PROVIDERS)('%s', async (provider) => {
    const s = await sandbox({ imageLongSide: 64 })
    // Some providers' fixtures ask for a JPEG or several images, so that both formats and n > 1 are saved.
    const request = FIXTURES[provider].downloadRequest ?? {}
    const result = await sandboxClient(s, provider).generate({ prompt: `save ${provider}`, aspectRatio: '16:9', ...request })
    const dir = await tempDir()
    const paths = await saveImages(result, dir)
    const task = s.tasks.get(provider, result.taskId)!
    expect(paths).toHaveLength(task.n)
    expect((await readdir(dir)).sort()).toEqual(paths.map((p) => p.slice(dir.length + 1)).sort())
    for (const path of paths) {
      const image = decodeImage(await readFile(path))
      expect(image).toEqual({ format: task.format, width: task.width, height: task.height })
      expect(path.endsWith(task.format === 'jpeg' ? '.jpg' : '.png')).toBe(true)
    }
    expect(task.width).toBe(64)
    expect(task.height).toBe(36)
  })
})

describe('download()', () => {
  it('streams: an endless body is cut at maxBytes', async () => {
    let sent = 0
    let closed!: () => void
    const cut = new Promise<void>((resolve) => (closed = resolve))
    const server = await fileServer((_, res) => {
      res.writeHead(200, { 'content-type': 'image/png' })
      res.write(Buffer.from(PNG_SIGNATURE))
      const timer = setInterval(() => {
        sent++
        res.write(Buffer.alloc(64 * 1024))
      }, 1)
      res.on('close', () => {
        clearInterval(timer)
        closed()
      })
    })
    const error = (await downloadImage(`${server.url}/endless.png`, undefined, context(), { maxBytes: 256 * 1024 }).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(ResponseFormatError)
    expect(error.code).toBe('too_large')
    // The client hung up on the endless body (the event), a few chunks past the cap.
    await cut
    expect(sent).toBeGreaterThanOrEqual(4)
    expect(server.hits()).toBe(1)
  })

  it('respects maxBytes against a declared Content-Length, without reading the body', async () => {
    const s = await sandbox()
    const result = await sandboxClient(s, ONE).generate({ prompt: 'big' })
    const error = (await result.images[0]!.download({ maxBytes: 50 }).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toMatchObject({ code: 'too_large', taskId: result.taskId })
    expect(requestsOf(s, 'download')).toHaveLength(1)
    const ok = await result.images[0]!.download({ maxBytes: 1024 * 1024 })
    expect(ok.bytes.length).toBeGreaterThan(50)
  })

  it.each([
    ['an HTML page answered 200', 'text/html; charset=utf-8', '<html><body>Login</body></html>'],
    ['JSON answered 200', 'application/json', '{"error":"nope"}'],
    ['HTML labelled image/png', 'image/png', '<html><body>Not found</body></html>'],
    ['garbage labelled application/octet-stream', 'application/octet-stream', 'hello world'],
  ])('refuses %s (not an image, not retried)', async (_, type, text) => {
    const server = await fileServer((_req, res) => {
      res.writeHead(200, { 'content-type': type })
      res.end(text)
    })
    const error = (await downloadImage(`${server.url}/x.png`, undefined, context()).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(ResponseFormatError)
    expect(error.code).toBe('not_an_image')
    expect(server.hits()).toBe(1)
  })

  it('accepts an untyped or mislabelled image under the type its bytes say', async () => {
    const s = await sandbox()
    const result = await sandboxClient(s, ONE).generate({ prompt: 'bytes decide' })
    const png = Buffer.from((await result.images[0]!.download()).bytes)
    for (const type of ['application/octet-stream', 'image/jpeg', '']) {
      const server = await fileServer((_req, res) => {
        res.writeHead(200, type ? { 'content-type': type } : {})
        res.end(png)
      })
      const image = await downloadImage(`${server.url}/x`, undefined, context())
      expect(image, type).toMatchObject({ contentType: 'image/png', extension: 'png' })
    }
  })

  it.each([
    ['server-error', 2],
    ['reset-before-accept', 2],
    ['bad-gateway', 3],
    ['html-error', 2],
    ['malformed-json', 2],
  ] as const)('retries %s (x%i), then returns the whole image', async (fault, count) => {
    const s = await sandbox()
    const result = await sandboxClient(s, ONE).generate({ prompt: `retry ${fault}` })
    s.faults.add({ provider: ONE, phase: 'download', fault, count })
    const image = await result.images[0]!.download()
    expect(decodeImage(image.bytes).format).toBe('png')
    expect(requestsOf(s, 'download')).toHaveLength(count + 1)
  })

  it('a body cut short on every try ends as ResponseFormatError truncated_image', async () => {
    const s = await sandbox()
    const result = await sandboxClient(s, ONE).generate({ prompt: 'always cut' })
    s.faults.add({ provider: ONE, phase: 'download', fault: 'malformed-json', count: Infinity })
    const error = (await result.images[0]!.download().catch((e: unknown) => e)) as NanoBananaError
    expect(error).toMatchObject({ code: 'truncated_image', taskId: result.taskId })
    expect(error).toBeInstanceOf(ResponseFormatError)
  })

  it('a 500 that persists: ConnectionError with the status and task id after the retries', async () => {
    const s = await sandbox()
    const result = await sandboxClient(s, ONE, { retry: { download: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 } } }).generate({ prompt: 'down' })
    s.faults.add({ provider: ONE, phase: 'download', fault: 'server-error', count: Infinity })
    const error = (await result.images[0]!.download().catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error).toMatchObject({ status: 500, taskId: result.taskId })
    expect(requestsOf(s, 'download')).toHaveLength(3)
  })

  it('an abort signal: AbortError with the task id', async () => {
    const s = await sandbox()
    const result = await sandboxClient(s, ONE).generate({ prompt: 'abort download' })
    s.faults.add({ provider: ONE, phase: 'download', fault: 'slow', delayMs: 2000 })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const error = (await result.images[0]!.download({ signal: controller.signal }).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(AbortError)
    expect(error.taskId).toBe(result.taskId)
  })
})

describe('expired results', () => {
  it.each(PROVIDERS)('%s: the expired-url fault gives ExpiredResultError with the task id, not retried', async (provider) => {
    const s = await sandbox({ faults: [{ provider, phase: 'poll', fault: 'expired-url' }] })
    const result = await sandboxClient(s, provider).generate({ prompt: 'gone' })
    const error = (await result.images[0]!.download().catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(ExpiredResultError)
    expect(error).toMatchObject({ status: 404, taskId: result.taskId, provider })
    expect(error.message).toMatch(/expired/)
    expect(requestsOf(s, 'download')).toHaveLength(1)
  })

  it('after the provider’s result TTL (sandbox resultTtlMs)', async () => {
    const s = await sandbox({ resultTtlMs: 50 })
    const result = await sandboxClient(s, ONE).generate({ prompt: 'short lived' })
    await sleep(80)
    const dir = await tempDir()
    const error = await saveImages(result, dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ExpiredResultError)
    expect(await readdir(dir)).toEqual([])
  })

  // A provider whose spec documents how long result URLs live.
  const withTtl = PROVIDERS.find((p) => providers[p].resultTtlSeconds !== undefined)!

  it(`locally, once the documented lifetime (${withTtl}: ${providers[withTtl].resultTtlSeconds} s) has passed: no request is sent`, async () => {
    const s = await sandbox()
    const result = await sandboxClient(s, withTtl).generate({ prompt: 'a day later' })
    const expiresAt = result.images[0]!.expiresAt!
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan((providers[withTtl].resultTtlSeconds! - 360) * 1000)
    vi.useFakeTimers({ toFake: ['Date'], now: expiresAt.getTime() + 1000 })
    const before = requestsOf(s, 'download').length
    const error = await result.images[0]!.download().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ExpiredResultError)
    expect(requestsOf(s, 'download')).toHaveLength(before)
  })
})
