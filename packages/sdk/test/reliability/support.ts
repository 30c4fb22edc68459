// Shared pieces of the reliability tests: a sandbox-backed client with short delays, a node:http
// adapter for the web-standard callback handler, image decoding, and a deep search for a secret.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { inspect } from 'node:util'
import { startSandbox, type Sandbox, type SandboxOptions } from '@nano-banana/sandbox'
import { createNanoBanana, providerIds, providers, type NanoBananaClient, type NanoBananaOptions, type ProviderId } from '../../src/index.js'

/** A key no code path could produce by accident: any hit in an error or an output is a leak. */
export const SECRET_KEY = 'sk-nbleak-7Qm2Zr9XwK4vT8pL'

/** Task providers (the fault matrix and the lifecycle suites); synchronous ones are covered by synchronous.test.ts. */
export const PROVIDERS: readonly ProviderId[] = providerIds.filter((id) => !providers[id].synchronous)
/** Synchronous providers (the answer is the result): the fault matrix's submit rows, synchronous.test.ts. */
export const SYNC_PROVIDERS: readonly ProviderId[] = providerIds.filter((id) => providers[id].synchronous)

/** Providers whose spec documents callbacks, and the ones whose spec does not (their `callbackUrl` is refused locally). */
export const CALLBACK_PROVIDERS: readonly ProviderId[] = PROVIDERS.filter((p) => providers[p].supportsCallback)
export const NO_CALLBACK_PROVIDERS: readonly ProviderId[] = PROVIDERS.filter((p) => !providers[p].supportsCallback)

/** The first provider that satisfies `test` (a capability), for tests that need one such provider, whichever it is. */
export function providerWith(test: (id: ProviderId) => boolean, what: string): ProviderId {
  const found = PROVIDERS.find(test)
  if (!found) throw new Error(`no provider ${what}`)
  return found
}

/** Polls every few ms instead of every second. */
export const FAST_POLLING = { initialDelayMs: 15, minDelayMs: 10, maxDelayMs: 40 }

/**
 * Backoffs of a few ms. The sandbox's `Retry-After: 1` is honoured (1 s); EvoLink's documented
 * "retry after 30 seconds" hint on a 503 is capped at the same second.
 */
export const FAST_RETRY = {
  submit: { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1000 },
  poll: { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1000 },
  download: { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1000 },
}

/** A sandbox with short tasks, tiny images and callbacks 1000x faster than documented. */
export function fastSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({
    apiKey: SECRET_KEY,
    taskDurationMs: 60,
    estimatedTimeHints: false,
    callbackDelayScale: 0.001,
    imageLongSide: 32,
    ...options,
  })
}

/** A client of one provider of the sandbox, with fast polling and backoffs. */
export function sandboxClient(sandbox: Sandbox, provider: ProviderId, options: Partial<NanoBananaOptions> = {}): NanoBananaClient {
  return createNanoBanana({
    provider,
    apiKey: SECRET_KEY,
    baseUrl: sandbox.baseUrl(provider),
    polling: FAST_POLLING,
    retry: FAST_RETRY,
    allowInsecureCallbackUrl: true,
    ...options,
  })
}

/** Requests the sandbox logged from `from` on, of one phase. */
export const requestsOf = (sandbox: Sandbox, phase: string, from = 0) => sandbox.requests.slice(from).filter((r) => r.phase === phase)

/** A node:http listener around a web-standard `(Request) => Promise<Response>` handler (the body is streamed). */
export function nodeListener(handler: (request: Request) => Promise<Response>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      const headers = new Headers()
      for (const [name, value] of Object.entries(req.headers)) {
        for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item)
      }
      const method = req.method ?? 'GET'
      const hasBody = method !== 'GET' && method !== 'HEAD'
      const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, {
        method,
        headers,
        ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
      } as RequestInit)
      const response = await handler(request)
      const body = Buffer.from(await response.arrayBuffer())
      res.writeHead(response.status, Object.fromEntries(response.headers))
      res.end(body)
      // Whatever the handler did not read is drained so the connection can close cleanly.
      req.resume()
    })().catch((error: unknown) => {
      // The handler promises never to throw: reaching this is a test failure, reported as 599.
      res.writeHead(599)
      res.end(String(error))
    })
  }
}

export interface LocalHttp {
  url: string
  close(): Promise<void>
}

/** Serves a web-standard handler on 127.0.0.1 behind the node:http adapter. */
export async function serveHandler(handler: (request: Request) => Promise<Response>): Promise<LocalHttp> {
  const server = createServer(nodeListener(handler))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Proves a downloaded PNG or JPEG is whole (PNG CRCs and pixel data, JPEG EOI): the test kit's check. */
export { checkImage as decodeImage, type ImageInfo as DecodedImage } from '@nano-banana/testkit'

/**
 * Every rendering of a value a log line or a crash report could show: for an error its message,
 * `toString()`, `JSON.stringify` (its toJSON), `util.inspect` (stack, own fields, nested causes) and,
 * one by one, each `cause` of the chain and the `body`.
 */
export function renderings(value: unknown): string[] {
  const out: string[] = []
  const seen = new Set<unknown>()
  const visit = (item: unknown, depth: number) => {
    if (depth > 8 || seen.has(item)) return
    seen.add(item)
    if (typeof item === 'string') {
      out.push(item)
      return
    }
    try {
      out.push(JSON.stringify(item) ?? '')
    } catch {
      // cyclic: inspect covers it
    }
    out.push(inspect(item, { depth: 12, showHidden: false, getters: true }))
    if (item instanceof Error) {
      out.push(item.message, String(item), item.stack ?? '')
      visit((item as { cause?: unknown }).cause, depth + 1)
      visit((item as { body?: unknown }).body, depth + 1)
    }
  }
  visit(value, 0)
  return out
}

/** The renderings of `values` that contain `secret`. */
export function leaks(values: readonly unknown[], secret: string): string[] {
  return values.flatMap((value) => renderings(value).filter((text) => text.includes(secret)))
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves when `check` returns a value, polling every 5 ms; rejects after `timeoutMs`. */
export async function until<T>(check: () => T | undefined, timeoutMs = 3000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(5)
  }
}
