import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { renderImage, startSandbox } from '@nano-banana/sandbox'
import { imageTypeOf } from '@nano-banana/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readLocalImage } from '../src/local-images.js'

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

  it('types images by the sdk signature table (one table for the sdk, CLI and MCP server), and nothing else', () => {
    expect(imageTypeOf(bytes)?.extension).toBe('png')
    expect(imageTypeOf(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))?.contentType).toBe('image/webp')
    expect(imageTypeOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))?.contentType).toBe('image/jpeg')
    expect(imageTypeOf(Buffer.from('GIF89a'))?.contentType).toBe('image/gif')
    expect(imageTypeOf(Buffer.from('#!/bin/sh\n'))).toBeUndefined()
  })

  it('in sandbox mode the sandbox serves a read image under an unguessable path, and nothing else', async () => {
    const sandbox = await startSandbox()
    try {
      const image = await readLocalImage(picture, bytes.length)
      const served = sandbox.serveImage(image.bytes, image.mimeType)
      expect(served.url).toMatch(new RegExp(`^${sandbox.url}/uploads/[0-9a-f]{32}$`))
      const answer = await fetch(served.url)
      expect(answer.headers.get('content-type')).toBe('image/png')
      expect(Buffer.from(await answer.arrayBuffer()).equals(bytes)).toBe(true)
      expect((await fetch(new URL('/uploads/ref.png', served.url))).status).toBe(404)
      expect((await fetch(served.url, { method: 'POST' })).status).toBe(404)
      served.stop()
      expect((await fetch(served.url)).status).toBe(404)
    } finally {
      await sandbox.close()
    }
  })
})
