import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { renderImage } from '@nano-banana/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalImageHost, readLocalImage, sniffImage } from '../src/local-images.js'

describe('local reference images', () => {
  let dir: string
  let picture: string
  let bytes: Buffer
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nb-mcp-local-'))
    bytes = renderImage({ prompt: 'reference', seed: 'mcp', index: 0, width: 8, height: 8, format: 'png' })
    picture = join(dir, 'ref.png')
    await writeFile(picture, bytes)
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('reads an image by path or file:// URL and tells its type from the bytes', async () => {
    for (const value of [picture, pathToFileURL(picture).href]) {
      const image = await readLocalImage(value, bytes.length)
      expect(image.bytes.equals(bytes)).toBe(true)
      expect(image.mimeType).toBe('image/png')
    }
    const disguised = join(dir, 'photo.jpg')
    await writeFile(disguised, bytes)
    expect((await readLocalImage(disguised, bytes.length)).mimeType).toBe('image/png')
  })

  it('refuses a file over the size limit, a directory and a missing file', async () => {
    await expect(readLocalImage(picture, bytes.length - 1)).rejects.toThrow(/above the \d+-byte limit/)
    await expect(readLocalImage(dir, 1024)).rejects.toThrow(/not a regular file/)
    await expect(readLocalImage(join(dir, 'missing.png'), 1024)).rejects.toThrow(/no such readable file/)
  })

  it('knows the image signatures and nothing else', () => {
    expect(sniffImage(bytes)?.extension).toBe('png')
    expect(sniffImage(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))?.mimeType).toBe('image/webp')
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))?.mimeType).toBe('image/jpeg')
    expect(sniffImage(Buffer.from('GIF89a'))?.mimeType).toBe('image/gif')
    expect(sniffImage(Buffer.from('#!/bin/sh\n'))).toBeUndefined()
  })

  it('serves added images on loopback under unguessable paths, and nothing else', async () => {
    const host = createLocalImageHost()
    try {
      const url = await host.add({ bytes, mimeType: 'image/png', extension: 'png' })
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}\.png$/)
      const answer = await fetch(url)
      expect(answer.headers.get('content-type')).toBe('image/png')
      expect(Buffer.from(await answer.arrayBuffer()).equals(bytes)).toBe(true)
      expect((await fetch(new URL('/ref.png', url))).status).toBe(404)
      expect((await fetch(url, { method: 'POST' })).status).toBe(404)
      host.remove([url])
      expect((await fetch(url)).status).toBe(404)
    } finally {
      await host.close()
    }
  })
})
