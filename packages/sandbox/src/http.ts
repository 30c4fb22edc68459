import type { IncomingMessage, ServerResponse } from 'node:http'

/** Far above any real create body; stops a runaway client from filling memory. */
const MAX_BODY_BYTES = 16 * 1024 * 1024

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

export interface RawAnswer {
  status: number
  headers: Record<string, string>
  body: Buffer | string
}

export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}, truncate = false): RawAnswer {
  let text = JSON.stringify(body)
  // Half a document is never valid JSON, so the client's parser must fail.
  if (truncate) text = text.slice(0, Math.max(1, Math.floor(text.length / 2)))
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: text }
}

export function write(res: ServerResponse, answer: RawAnswer, headOnly = false): void {
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(body.length) })
  res.end(headOnly ? undefined : body)
}

/** Drops the connection without an HTTP answer; a TCP RST where the platform allows it. */
export function resetConnection(req: IncomingMessage): void {
  const socket = req.socket as IncomingMessage['socket'] & { resetAndDestroy?: () => void }
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
  else socket.destroy()
}

export function intHeader(req: IncomingMessage, name: string): number | undefined {
  const raw = req.headers[name]
  const value = Number(Array.isArray(raw) ? raw[0] : raw)
  return raw !== undefined && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined
}
