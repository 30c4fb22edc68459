import { createReadStream } from 'node:fs'
import { access } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { basename, extname, resolve } from 'node:path'

const TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp' }

export const isUrl = (value: string) => /^https?:\/\//i.test(value)

/**
 * Serves local reference images on 127.0.0.1 so the embedded sandbox can take them like URLs.
 * Real providers need public URLs (none documents an upload API), so this is sandbox-only.
 */
export async function serveLocalFiles(paths: string[]): Promise<{ urls: string[]; close(): Promise<void> }> {
  const files = new Map<string, string>()
  for (const [i, path] of paths.entries()) {
    const full = resolve(path)
    await access(full).catch(() => {
      throw new Error(`--image ${path}: no such file`)
    })
    files.set(`/${i}/${encodeURIComponent(basename(full))}`, full)
  }
  const server = createServer((req, res) => {
    const file = files.get(req.url ?? '')
    if (!file) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' })
    createReadStream(file).pipe(res)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    urls: [...files.keys()].map((p) => `http://127.0.0.1:${port}${p}`),
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}
