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

/** The key the request carries, the way the provider's security scheme says. */
export function apiKeyOf(req: IncomingMessage, scheme: 'bearer' | 'x-api-key'): string | undefined {
  if (scheme === 'x-api-key') {
    const value = req.headers['x-api-key']
    return Array.isArray(value) ? value[0] : value
  }
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')
  return match?.[1]?.trim()
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

/**
 * CORS on every answer, so that a page on another origin (a dev server, a test page) can use the
 * sandbox. Any origin: the sandbox is a local test server holding no user data. Exposed: the
 * headers the SDK reads beyond the CORS-safelisted ones.
 */
const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'retry-after, x-sandbox-violation',
}

/** Request headers a page may send: the providers' auth and JSON bodies (the sandbox adds its own fault controls). */
const CORS_ALLOWED_HEADERS = ['authorization', 'x-api-key', 'content-type']

/**
 * The answer to a CORS preflight (OPTIONS): every method the providers use, the headers above,
 * `extraHeaders`, and any other header the page asks for (custom headers a client is given).
 */
export function preflight(req: IncomingMessage, res: ServerResponse, extraHeaders: readonly string[]): void {
  const asked = String(req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => /^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name))
  res.writeHead(204, {
    ...CORS_HEADERS,
    'access-control-allow-methods': 'GET, HEAD, POST, OPTIONS',
    'access-control-allow-headers': [...new Set([...CORS_ALLOWED_HEADERS, ...extraHeaders, ...asked])].join(', '),
    'access-control-max-age': '600',
    'content-length': '0',
  })
  res.end()
}

export function write(res: ServerResponse, answer: RawAnswer, headOnly = false): void {
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body
  res.writeHead(answer.status, { ...CORS_HEADERS, ...answer.headers, 'content-length': String(body.length) })
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
