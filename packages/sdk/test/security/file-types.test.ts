// Security, issue 15 item 5: the file type comes from the bytes, never from the server's content type. A
// malicious image host on 127.0.0.1 labels scripts, pages and executables as images.
import { afterEach, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '@nano-banana/testkit'
import { DEFAULT_DOWNLOAD_RETRY, downloadImage, providerIds, ResponseFormatError, type NanoBananaError } from '../../src/index.js'
import { imageTypeOf } from '../../src/image-type.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((fn) => fn()))
})
async function imageHost(handle: TestServer['handle']): Promise<TestServer> {
  const server = await startTestServer({ handle })
  cleanups.push(() => server.close())
  return server
}
const context = {
  provider: providerIds[0]!,
  taskId: 'task-1',
  fetch: globalThis.fetch,
  retry: { ...DEFAULT_DOWNLOAD_RETRY, baseDelayMs: 1, maxDelayMs: 2 },
  urlPolicy: { allowLoopback: true },
}
const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)))

const IMAGES = {
  png: bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], '....IHDR....IEND', [0xae, 0x42, 0x60, 0x82]),
  jpg: bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF....', [0xff, 0xd9]),
  webp: bytes('RIFF', [0x10, 0, 0, 0], 'WEBPVP8 ....'),
  gif: bytes('GIF89a', [1, 0, 1, 0, 0, 0, 0, 0x3b]),
}
const NOT_IMAGES = {
  'a shell script': bytes('#!/bin/sh\nrm -rf ~\n'),
  'an HTML page': bytes('<!doctype html><script>alert(1)</script>'),
  'an SVG with a script': bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
  'a Windows executable': bytes('MZ', [0x90, 0, 3, 0, 0, 0]),
  'an ELF binary': bytes([0x7f], 'ELF', [2, 1, 1, 0]),
  'a PDF': bytes('%PDF-1.7\n'),
  'empty bytes': bytes(),
  'AVIF-looking bytes': bytes([0, 0, 0, 0x1c], 'ftypavif'),
}

describe('the bytes decide the type and extension, whatever the label', () => {
  const labels = ['image/png', 'image/jpeg', 'image/svg+xml', 'image/x-sh', 'image/exe', 'application/octet-stream', '']
  describe.each(Object.entries(IMAGES))('%s bytes', (extension, image) => {
    it.each(labels)('labelled %j: saved as the bytes say', async (label) => {
      const host = await imageHost(() => new Response(image, { headers: label ? { 'content-type': label } : {} }))
      const result = await downloadImage(`${host.url}/file.${label.replace(/\W/g, '')}`, undefined, context)
      expect(result.extension).toBe(extension)
      expect(result.contentType).toBe(imageTypeOf(image)!.contentType)
    })
  })

  describe.each(Object.entries(NOT_IMAGES))('%s', (_, payload) => {
    it.each(['image/png', 'image/svg+xml', 'image/x-sh', 'image/html', 'application/octet-stream'])(
      'labelled %s: refused (not_an_image), not retried',
      async (label) => {
        const host = await imageHost(() => new Response(payload, { headers: { 'content-type': label } }))
        const error = (await downloadImage(`${host.url}/x`, undefined, context).catch((e: unknown) => e)) as NanoBananaError
        expect(error).toBeInstanceOf(ResponseFormatError)
        expect(error.code).toBe('not_an_image')
        expect(host.requests).toHaveLength(1)
      },
    )
  })
})
