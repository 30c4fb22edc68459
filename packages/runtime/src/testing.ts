// Test helper shared by the provider packages: a real HTTP server on 127.0.0.1 that records what
// a client sent. Not part of the main entry, so it never reaches a user's bundle.
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: string
  json: unknown
}

export interface Recorder {
  url: string
  requests: RecordedRequest[]
  close(): Promise<void>
}

export type Responder = (request: RecordedRequest) => { status?: number; headers?: Record<string, string>; body?: unknown }

export async function startRecorder(respond: Responder = () => ({ body: { ok: true } })): Promise<Recorder> {
  const requests: RecordedRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      let json: unknown
      try {
        json = body ? JSON.parse(body) : undefined
      } catch {
        json = undefined
      }
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json }
      requests.push(recorded)
      const answer = respond(recorded)
      const payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {})
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers })
      res.end(payload)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export interface CreateCallCase<Body> {
  /** Package name, for the suite title. */
  name: string
  /** The documented base URL the client must default to (undefined: the provider publishes none). */
  defaultBaseUrl: string | undefined
  provider: { defaultBaseUrl: string | undefined }
  createClient(options: { apiKey: string; baseUrl: string; fetch?: typeof fetch }): unknown
  createImageTask(options: { client: never; body: Body }): Promise<{ response: Response }>
  body: Body
  apiKey: string
  /** The spec's create path. */
  path: string
  /** Header name (lower case) and value the spec's security scheme requires. */
  auth: [header: string, value: string]
}

/**
 * One provider package's create call against a local server: right path, auth, JSON body, custom
 * fetch. Shared by the five provider packages so that each runs the same checks on its own client.
 */
export async function describeCreateCall<Body>(spec: CreateCallCase<Body>): Promise<void> {
  const { afterAll, beforeAll, describe, expect, it } = await import('vitest')
  let server: Recorder
  beforeAll(async () => {
    server = await startRecorder(() => ({ body: {} }))
  })
  afterAll(() => server.close())
  const call = (client: unknown) => spec.createImageTask({ client: client as never, body: spec.body })

  describe(`${spec.name} client`, () => {
    it('documents its base URL from the spec', () => {
      expect(spec.provider.defaultBaseUrl).toBe(spec.defaultBaseUrl)
    })

    it('sends the create call to the spec path with auth and JSON body', async () => {
      const result = await call(spec.createClient({ apiKey: spec.apiKey, baseUrl: `${server.url}/prefix` }))
      expect(result.response.status).toBe(200)
      const sent = server.requests.at(-1)
      expect(sent?.method).toBe('POST')
      expect(sent?.path).toBe(`/prefix${spec.path}`)
      expect(sent?.headers[spec.auth[0]]).toBe(spec.auth[1])
      expect(sent?.headers['content-type']).toBe('application/json')
      expect(sent?.json).toEqual(spec.body)
    })

    it('uses a custom fetch when given one', async () => {
      const seen: string[] = []
      const tracing: typeof fetch = (input, init) => {
        seen.push(String(input))
        return fetch(input, init)
      }
      await call(spec.createClient({ apiKey: spec.apiKey, baseUrl: server.url, fetch: tracing }))
      expect(seen).toEqual([`${server.url}${spec.path}`])
    })
  })
}
