// sandbox.serveImage: the sandbox hosts a program's local reference image on its own origin, at an
// unguessable path, until it is stopped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderImage, startSandbox, type Sandbox } from '../src/index.js'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox?.close())

const bytes = renderImage({ prompt: 'reference', seed: 'serve', index: 0, width: 8, height: 8, format: 'png' })

describe('serveImage', () => {
  it('serves the bytes with the content type given, on the sandbox origin, at a 128-bit random path', async () => {
    const served = sandbox.serveImage(bytes, 'image/png')
    try {
      expect(served.url.startsWith(`${sandbox.url}/uploads/`)).toBe(true)
      expect(served.url).toMatch(/\/uploads\/[0-9a-f]{32}$/)
      const answer = await fetch(served.url)
      expect(answer.status).toBe(200)
      expect(answer.headers.get('content-type')).toBe('image/png')
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff')
      expect(Buffer.from(await answer.arrayBuffer()).equals(bytes)).toBe(true)
      const head = await fetch(served.url, { method: 'HEAD' })
      expect([head.status, (await head.arrayBuffer()).byteLength]).toEqual([200, 0])
      // Two files, two different URLs.
      const other = sandbox.serveImage(bytes, 'image/png')
      expect(other.url).not.toBe(served.url)
      other.stop()
    } finally {
      served.stop()
    }
  })

  it('answers 404 for a path it never handed out, and for a POST', async () => {
    const served = sandbox.serveImage(bytes, 'image/png')
    try {
      expect((await fetch(`${sandbox.url}/uploads/${'0'.repeat(32)}`)).status).toBe(404)
      expect((await fetch(`${sandbox.url}/uploads/`)).status).toBe(404)
      expect((await fetch(served.url, { method: 'POST' })).status).toBe(404)
    } finally {
      served.stop()
    }
  })

  it('answers 404 once stopped (stop twice is harmless)', async () => {
    const served = sandbox.serveImage(bytes, 'image/png')
    expect((await fetch(served.url)).status).toBe(200)
    served.stop()
    served.stop()
    expect((await fetch(served.url)).status).toBe(404)
  })

  it('refuses a content type that is no image type (no header injection, no HTML)', () => {
    for (const type of ['text/html', 'image/png\r\nset-cookie: a=b', '']) expect(() => sandbox.serveImage(bytes, type)).toThrow(TypeError)
  })
})
