import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import jpeg from 'jpeg-js'
import pngjs from 'pngjs'
import type { ProviderId, Sandbox } from '../../src/index.js'
import { validateAgainstSpec } from './spec.js'

export const PROVIDERS: ProviderId[] = ['odkkk', 'evolink', 'crun', 'uniall', 'aivideoapi']

type Json = Record<string, any>

/** How a test speaks to one provider: paths, body shapes, where the id, status and URLs are. */
export interface Driver {
  createPath: string
  queryPath: (id: string) => string
  creditsPath: string | undefined
  /** A valid create body; `extra` adds the aspect ratio / format / n fields in the provider's own names. */
  createBody: (prompt: string, extra?: { aspect?: string; jpeg?: boolean; n?: number; callbackUrl?: string }) => Json
  idOf: (created: Json) => string
  statusOf: (queried: Json) => string
  urlsOf: (queried: Json) => string[]
  words: { queued: string; running: string; done: string; failed: string }
  authHeader: (key: string) => Record<string, string>
}

const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` })

const evolinkLike = (model: string): Driver => ({
  createPath: '/v1/images/generations',
  queryPath: (id) => `/v1/tasks/${id}`,
  creditsPath: '/v1/credits',
  createBody: (prompt, extra = {}) => ({
    model,
    prompt,
    ...(extra.aspect ? { size: extra.aspect } : {}),
    ...(extra.callbackUrl ? { callback_url: extra.callbackUrl } : {}),
  }),
  idOf: (created) => created.id,
  statusOf: (queried) => queried.status,
  urlsOf: (queried) => queried.results ?? [],
  words: { queued: 'pending', running: 'processing', done: 'completed', failed: 'failed' },
  authHeader: bearer,
})

export const DRIVERS: Record<ProviderId, Driver> = {
  odkkk: evolinkLike('nano-banana-2-lite'),
  evolink: evolinkLike('gemini-3-pro-image-preview'),
  crun: {
    createPath: '/client/job/CreateTask',
    queryPath: (id) => `/client/job/TaskInfo?task_id=${encodeURIComponent(id)}`,
    creditsPath: '/client/account/balance',
    createBody: (prompt, extra = {}) => ({
      model: 'google/nano-banana',
      input: { prompt, ...(extra.aspect ? { aspect_ratio: extra.aspect } : {}), output_format: extra.jpeg ? 'jpg' : 'png' },
      ...(extra.callbackUrl ? { callback_url: extra.callbackUrl } : {}),
    }),
    idOf: (created) => created.data.task_id,
    statusOf: (queried) => queried.data.status,
    urlsOf: (queried) => queried.data.result?.media_urls ?? [],
    words: { queued: 'pending', running: 'running', done: 'success', failed: 'failed' },
    authHeader: (key) => ({ 'x-api-key': key }),
  },
  uniall: {
    createPath: '/v1/images/tasks',
    queryPath: (id) => `/v1/images/tasks/${id}`,
    creditsPath: undefined,
    createBody: (prompt, extra = {}) => ({
      model: 'NanoBanana2-1K',
      prompt,
      ...(extra.aspect ? { aspect_ratio: extra.aspect } : {}),
      output_format: extra.jpeg ? 'jpeg' : 'png',
      ...(extra.n ? { n: extra.n } : {}),
      ...(extra.callbackUrl ? { callback_url: extra.callbackUrl } : {}),
    }),
    idOf: (created) => created.data.task_id,
    statusOf: (queried) => queried.data.status,
    urlsOf: (queried) => queried.data.result_urls ?? (queried.data.result_url ? [queried.data.result_url] : []),
    words: { queued: 'queued', running: 'running', done: 'succeeded', failed: 'failed' },
    authHeader: bearer,
  },
  aivideoapi: {
    createPath: '/v1/images/generations',
    queryPath: (id) => `/v1/tasks/${id}`,
    creditsPath: '/v1/credits',
    createBody: (prompt, extra = {}) => ({
      model: 'nano-banana-2',
      input: { prompt, ...(extra.aspect ? { aspect_ratio: extra.aspect } : {}), output_format: extra.jpeg ? 'jpg' : 'png' },
      ...(extra.callbackUrl ? { callback_url: extra.callbackUrl } : {}),
    }),
    idOf: (created) => created.data.taskId,
    statusOf: (queried) => queried.status,
    urlsOf: (queried) => queried.output?.urls ?? [],
    words: { queued: 'pending', running: 'processing', done: 'completed', failed: 'failed' },
    authHeader: bearer,
  },
}

export interface CallResult {
  status: number
  headers: Headers
  text: string
  /** Parsed JSON, undefined when the body is not JSON. */
  body: any
  ms: number
}

export interface CallOptions {
  method?: 'GET' | 'POST'
  body?: unknown
  /** The key to send; null sends none. Default: the sandbox's key. */
  key?: string | null
  headers?: Record<string, string>
  /** Skip the spec check (only for answers that are deliberately not JSON). */
  raw?: boolean
}

/**
 * One request to a provider operation. Every JSON answer is validated against the spec's response schema for
 * that operation and status before the test sees it.
 */
export async function call(sandbox: Sandbox, provider: ProviderId, operationId: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const started = Date.now()
  const key = options.key === undefined ? sandbox.apiKey : options.key
  const response = await fetch(sandbox.baseUrl(provider) + path, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(key === null ? {} : DRIVERS[provider].authHeader(key)),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  })
  const text = await response.text()
  let body: any
  if ((response.headers.get('content-type') ?? '').includes('application/json') && !options.raw) {
    body = JSON.parse(text)
    validateAgainstSpec(provider, operationId, response.status, body)
  }
  return { status: response.status, headers: response.headers, text, body, ms: Date.now() - started }
}

export function create(sandbox: Sandbox, provider: ProviderId, body: unknown, headers: Record<string, string> = {}): Promise<CallResult> {
  return call(sandbox, provider, 'createImageTask', DRIVERS[provider].createPath, { body, headers })
}

export function query(sandbox: Sandbox, provider: ProviderId, id: string, headers: Record<string, string> = {}): Promise<CallResult> {
  return call(sandbox, provider, 'getImageTask', DRIVERS[provider].queryPath(id), { headers })
}

/** Polls until the task leaves the in-progress words; returns every answer seen. */
export async function pollToEnd(sandbox: Sandbox, provider: ProviderId, id: string, everyMs = 15, timeoutMs = 5000): Promise<CallResult[]> {
  const driver = DRIVERS[provider]
  const seen: CallResult[] = []
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const answer = await query(sandbox, provider, id)
    seen.push(answer)
    const status = driver.statusOf(answer.body)
    if (status === driver.words.done || status === driver.words.failed) return seen
    if (Date.now() > deadline) throw new Error(`${provider} task ${id} still ${status} after ${timeoutMs} ms`)
    await sleep(everyMs)
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export async function waitUntil(predicate: () => boolean, timeoutMs = 3000, label = 'condition', context?: () => unknown): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}${context ? `: ${JSON.stringify(context())}` : ''}`)
    await sleep(5)
  }
}

/** Decodes a PNG or JPEG and returns its kind and size. */
export function decodeImage(bytes: Buffer): { kind: 'png' | 'jpeg'; width: number; height: number } {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    const png = pngjs.PNG.sync.read(bytes)
    return { kind: 'png', width: png.width, height: png.height }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const image = jpeg.decode(bytes)
    return { kind: 'jpeg', width: image.width, height: image.height }
  }
  throw new Error(`not a PNG or JPEG (starts with ${bytes.subarray(0, 4).toString('hex')})`)
}

export interface Receiver {
  url: string
  hits: Array<{ headers: IncomingHttpHeaders; text: string; body: any; at: number }>
  close: () => Promise<void>
}

/**
 * A callback receiver on 127.0.0.1 that answers `statuses` in turn (then 200); a status of 0 drops the
 * connection without an answer (a connection error for the sender).
 */
export async function startReceiver(statuses: number[] = []): Promise<Receiver> {
  const hits: Receiver['hits'] = []
  let requests = 0
  const server: Server = createServer((req, res) => {
    if (statuses[requests++] === 0) {
      req.socket.destroy()
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        body = undefined
      }
      hits.push({ headers: req.headers, text, body, at: Date.now() })
      res.writeHead(statuses[requests - 1] ?? 200, { 'content-type': 'application/json' })
      res.end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks/nano-banana`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
