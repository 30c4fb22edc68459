// Shared pieces of the security suite's part A files: malicious provider servers on 127.0.0.1 (the test
// kit's), a provider's own documented answers to serve from them, and a client with no waiting in it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startTestServer, type Handler, type TestServer } from '@nano-banana/testkit'
import { afterEach } from 'vitest'
import { createNanoBanana, providerIds, providers, type NanoBananaClient, type NanoBananaOptions, type ProviderId } from '../../src/index.js'
import { FIXTURES, metaOf, successExample, type Json } from '../support.js'

/** A key no code path could produce by accident: any hit in an output is a leak. */
export const SECRET = 'sk-sec-core-Yq83vRm2Lp7wX'
// Task providers (create, then query); the synchronous ones have their own suite (test/synchronous.test.ts).
export const PROVIDERS: readonly ProviderId[] = providerIds.filter((id) => providers[id].query !== undefined)

/** The provider's documented create answer (its spec example) and the task id in it. */
export function createdAnswer(provider: ProviderId): { body: Json; taskId: string } {
  const body = successExample(provider, metaOf(provider).operations.create.operationId, FIXTURES[provider].created)
  // The id the client hands out (the adapter's reading: some ids carry the model path, `x-task-id`).
  const parsed = providers[provider].parseSubmit(body, new Response(null))
  return { body, taskId: parsed instanceof Error ? FIXTURES[provider].taskIdOf(body) : parsed.taskId }
}

/** The provider's documented answer for a finished task, about `taskId`. */
export function succeededAnswer(provider: ProviderId, taskId: string): Json {
  const fixture = FIXTURES[provider]
  return fixture.withId(successExample(provider, metaOf(provider).operations.get!.operationId, fixture.sequence.at(-1)!), taskId)
}

/** Answers like the provider: its create example for a POST, its finished task for anything else. */
export function providerHandler(provider: ProviderId): Handler {
  const created = createdAnswer(provider)
  return (request) => ({ body: request.method === 'POST' ? created.body : succeededAnswer(provider, created.taskId) })
}

/** No backoff worth waiting for, no submit retries, polls every few ms. */
export const QUICK = {
  retry: {
    submit: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 2 },
    poll: { baseDelayMs: 1, maxDelayMs: 5 },
    download: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 2 },
  },
  polling: { initialDelayMs: 1, minDelayMs: 2, maxDelayMs: 10 },
}

export function client(provider: ProviderId, baseUrl: string, options: Partial<NanoBananaOptions> = {}): NanoBananaClient {
  return createNanoBanana({ provider, apiKey: SECRET, baseUrl, ...QUICK, ...options } as NanoBananaOptions)
}

const open: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()))
})

/** A test kit server, closed after the test. */
export async function server(handle?: Handler): Promise<TestServer> {
  const s = await startTestServer(handle ? { handle } : {})
  open.push(s)
  return s
}

/** A raw server for what the test kit's cannot show: how far a streamed answer got, and when its connection closed. */
export interface StreamServer {
  url: string
  requests: number
  /** Resolves once the connection of the first request has closed, with the bytes written to it by then. */
  closed: Promise<number>
  close(): Promise<void>
}

/**
 * Answers every request with `head`, then streams `chunk` after `chunk` (with backpressure), `chunks`
 * times (Infinity: until the client goes away).
 */
export async function streamServer(head: { status: number; headers: Record<string, string> }, chunk: Uint8Array | null, chunks: number): Promise<StreamServer> {
  let resolveClosed!: (bytes: number) => void
  const closed = new Promise<number>((resolve) => (resolveClosed = resolve))
  const state = { requests: 0 }
  const raw: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    state.requests++
    req.resume()
    let written = 0
    res.on('close', () => resolveClosed(written))
    res.writeHead(head.status, head.headers)
    res.flushHeaders()
    let sent = 0
    const pump = () => {
      while (chunk && sent < chunks && !res.destroyed) {
        written += chunk.byteLength
        sent++
        if (!res.write(chunk)) {
          res.once('drain', pump)
          return
        }
      }
      if (chunk && !res.destroyed && sent >= chunks) res.end()
    }
    pump()
  })
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve))
  const closeServer = () =>
    new Promise<void>((resolve) => {
      raw.closeAllConnections()
      raw.close(() => resolve())
    })
  open.push({ close: closeServer })
  return {
    url: `http://127.0.0.1:${(raw.address() as AddressInfo).port}`,
    get requests() {
      return state.requests
    },
    closed,
    close: closeServer,
  }
}

/** A port nothing listens on: a connection to it is refused. */
export async function closedPort(): Promise<string> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}

/** Runs `fn` and returns what it threw (or rejected with); fails when it succeeded. */
export async function thrown<E = Error>(fn: () => unknown): Promise<E> {
  try {
    await fn()
  } catch (error) {
    return error as E
  }
  throw new Error('expected an error, got a result')
}
