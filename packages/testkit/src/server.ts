// A local HTTP server for tests: 127.0.0.1 on a free port, every request recorded, and a handler that a
// test replaces (`server.handle = ...`) to play the provider, the CDN or the callback receiver it needs.
import { EventEmitter } from 'node:events'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { type WaitOptions, waitFor } from './wait.js'

export interface RecordedRequest {
  method: string
  /** Path and query as sent (`/v1/tasks/1?x=y`). */
  url: string
  /** The path without the query. */
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  bytes: Buffer
  text: string
  /** The parsed JSON body; the text when it is not JSON; undefined when empty. */
  body: unknown
  /** `Date.now()` when the body had arrived. */
  at: number
}

export interface Reply {
  status?: number
  headers?: Record<string, string>
  /** A string or bytes are sent as they are, anything else as JSON (default `{}`). */
  body?: unknown
  /** Drop the connection without an answer (a connection error for the client). */
  destroy?: boolean
}

/** What a handler may answer: a Reply, or a web `Response` (streamed as it is). */
export type Handler = (request: RecordedRequest) => Reply | Response | Promise<Reply | Response>

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  port: number
  /** Every request so far, in arrival order. */
  requests: RecordedRequest[]
  /** Decides each answer; replace it per test. The default answers 500 `{ error: 'no handler' }`. */
  handle: Handler
  /** Emits `request` with each RecordedRequest once it is recorded. */
  events: EventEmitter
  /** Resolves with the first request (from index `from`) that passes `predicate`, waiting for it if need be. */
  nextRequest(predicate?: (request: RecordedRequest) => boolean, options?: WaitOptions & { from?: number }): Promise<RecordedRequest>
  /** Forgets the recorded requests (the handler stays). */
  reset(): void
  close(): Promise<void>
}

export interface TestServerOptions {
  handle?: Handler
}

const NO_HANDLER: Handler = () => ({ status: 500, body: { error: 'no handler' } })

function parseBody(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

async function send(res: ServerResponse, reply: Reply | Response): Promise<void> {
  if (reply instanceof Response) {
    res.writeHead(reply.status, Object.fromEntries(reply.headers))
    if (reply.body) {
      for await (const chunk of Readable.fromWeb(reply.body as import('node:stream/web').ReadableStream<Uint8Array>)) res.write(chunk)
    }
    res.end()
    return
  }
  if (reply.destroy) {
    res.socket?.destroy()
    return
  }
  const raw = reply.body
  const binary = raw instanceof Uint8Array
  const payload = binary || typeof raw === 'string' ? raw : JSON.stringify(raw ?? {})
  res.writeHead(reply.status ?? 200, { 'content-type': binary ? 'application/octet-stream' : 'application/json', ...reply.headers })
  res.end(payload)
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const events = new EventEmitter()
  const state: TestServer = {
    url: '',
    port: 0,
    requests: [],
    handle: options.handle ?? NO_HANDLER,
    events,
    nextRequest(predicate = () => true, { from = 0, ...wait } = {}) {
      return waitFor(() => state.requests.slice(from).find(predicate), { what: 'a matching request', ...wait })
    },
    reset() {
      state.requests.length = 0
    },
    close: async () => {},
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const bytes = Buffer.concat(chunks)
      const text = bytes.toString('utf8')
      const url = req.url ?? '/'
      const parsed = new URL(url, 'http://127.0.0.1')
      const request: RecordedRequest = {
        method: req.method ?? '',
        url,
        path: parsed.pathname,
        query: parsed.searchParams,
        headers: req.headers,
        bytes,
        text,
        body: parseBody(text),
        at: Date.now(),
      }
      state.requests.push(request)
      events.emit('request', request)
      void (async () => {
        let reply: Reply | Response
        try {
          reply = await state.handle(request)
        } catch (error) {
          // A throwing handler is a bug in the test: answer 599 so it shows instead of hanging.
          reply = { status: 599, body: { error: String(error) } }
        }
        await send(res, reply)
      })().catch(() => res.destroy())
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  state.port = (server.address() as AddressInfo).port
  state.url = `http://127.0.0.1:${state.port}`
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return state
}
