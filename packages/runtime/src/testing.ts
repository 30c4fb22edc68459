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
