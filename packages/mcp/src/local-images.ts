import { randomBytes } from 'node:crypto'
import { open } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const SIGNATURES: readonly { mimeType: string; extension: string; at: number; bytes: readonly number[] }[] = [
  { mimeType: 'image/png', extension: 'png', at: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mimeType: 'image/jpeg', extension: 'jpg', at: 0, bytes: [0xff, 0xd8, 0xff] },
  { mimeType: 'image/gif', extension: 'gif', at: 0, bytes: [0x47, 0x49, 0x46, 0x38] },
  { mimeType: 'image/webp', extension: 'webp', at: 8, bytes: [0x57, 0x45, 0x42, 0x50] }, // RIFF....WEBP
]

/** The image type the bytes themselves declare (a file name or a server's header can lie). */
export function sniffImage(bytes: Uint8Array): { mimeType: string; extension: string } | undefined {
  const found = SIGNATURES.find((s) => s.bytes.every((b, i) => bytes[s.at + i] === b))
  return found && { mimeType: found.mimeType, extension: found.extension }
}

export const isRemote = (value: string) => /^https?:\/\//i.test(value)

/**
 * Reads a local image given as a path or `file://` URL: a regular file, at most `maxBytes`, whose bytes
 * are an image. The argument comes from a model, so nothing else of the disk is read or exposed.
 */
export async function readLocalImage(value: string, maxBytes: number): Promise<{ bytes: Buffer; mimeType: string; extension: string; path: string }> {
  const path = value.startsWith('file:') ? fileURLToPath(value) : value
  if (!isAbsolute(path)) throw new Error(`image ${JSON.stringify(value)}: give an absolute path (the server's working directory is not yours) or an http(s) URL`)
  const full = resolve(path)
  const file = await open(full, 'r').catch(() => {
    throw new Error(`image ${JSON.stringify(value)}: no such readable file`)
  })
  try {
    const info = await file.stat()
    if (!info.isFile()) throw new Error(`image ${JSON.stringify(value)}: not a regular file`)
    if (info.size > maxBytes) throw new Error(`image ${JSON.stringify(value)}: ${info.size} bytes, above the ${maxBytes}-byte limit (--max-image-bytes)`)
    // Read at most maxBytes + 1 so a file that grows after the stat is still caught.
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1)
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0)
    if (bytesRead > maxBytes) throw new Error(`image ${JSON.stringify(value)}: above the ${maxBytes}-byte limit (--max-image-bytes)`)
    const bytes = buffer.subarray(0, bytesRead)
    const type = sniffImage(bytes)
    if (!type) throw new Error(`image ${JSON.stringify(value)}: not a PNG, JPEG, WebP or GIF file`)
    return { bytes, ...type, path: full }
  } finally {
    await file.close()
  }
}

/**
 * Serves local reference images on 127.0.0.1 under unguessable paths, so the embedded sandbox can take
 * them like URLs (the sdk accepts only http(s) URLs for reference images). Sandbox mode only: a real
 * provider cannot reach a loopback address, and none documents an upload API.
 */
export function createLocalImageHost() {
  const files = new Map<string, { bytes: Buffer; mimeType: string }>()
  let listening: Promise<{ server: Server; origin: string }> | undefined
  let origin: string | undefined
  const start = () =>
    (listening ??= new Promise((done, fail) => {
      const server = createServer((req, res) => {
        const file = files.get(req.url ?? '')
        if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) return void res.writeHead(404).end()
        res.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.bytes.length }).end(req.method === 'GET' ? file.bytes : undefined)
      })
      server.once('error', fail)
      server.listen(0, '127.0.0.1', () => done({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }))
    }))
  return {
    async add(image: { bytes: Buffer; mimeType: string; extension: string }): Promise<string> {
      origin = (await start()).origin
      const path = `/${randomBytes(16).toString('hex')}.${image.extension}`
      files.set(path, image)
      return `${origin}${path}`
    },
    /** Stops serving the images of a call once its task has ended. */
    remove(urls: readonly string[]): void {
      for (const url of urls) if (origin && url.startsWith(`${origin}/`)) files.delete(new URL(url).pathname)
    },
    async close(): Promise<void> {
      const current = listening
      listening = undefined
      if (!current) return
      const { server } = await current
      server.closeAllConnections()
      await new Promise<void>((done) => server.close(() => done()))
    },
  }
}
