// readImageFile (`@nano-banana/sdk/node`): one reader of local reference images for the CLI and the MCP server.
import { execFileSync } from 'node:child_process'
import { open, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidRequestError } from '../src/errors.js'
import { ImageFileError, readImageFile } from '../src/node.js'

// A complete 1x1 PNG (signature, IHDR, IDAT, IEND).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nb-image-file-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const refusal = async (path: string, maxBytes?: number) => {
  const error = await readImageFile(path, maxBytes === undefined ? {} : { maxBytes }).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ImageFileError)
  expect(error).toBeInstanceOf(InvalidRequestError)
  expect((error as ImageFileError).param).toBe('images')
  expect((error as ImageFileError).path).toBe(path)
  return error as ImageFileError
}

describe('readImageFile', () => {
  it('reads an image and types it by its bytes, whatever its name says', async () => {
    const path = join(dir, 'photo.jpg')
    await writeFile(path, PNG)
    const image = await readImageFile(path, { maxBytes: PNG.length })
    expect(image.path).toBe(path)
    expect(image.contentType).toBe('image/png')
    expect(Buffer.from(image.bytes).equals(PNG)).toBe(true)
  })

  it('refuses a missing file: not_found', async () => {
    const error = await refusal(join(dir, 'missing.png'))
    expect(error.code).toBe('not_found')
    expect(error.message).toMatch(/no such file/)
  })

  it('refuses a directory: not_a_file', async () => {
    expect((await refusal(dir)).code).toBe('not_a_file')
  })

  it.skipIf(process.platform === 'win32')('refuses a FIFO without opening it for a blocking read (no writer ever comes)', async () => {
    const fifo = join(dir, 'pipe.png')
    execFileSync('mkfifo', [fifo])
    const error = await refusal(fifo)
    expect(error.code).toBe('not_a_file')
    expect(error.message).toMatch(/not a regular file/)
  })

  it('refuses a file over the cap from its size, without reading it (a sparse file of 4 GiB)', async () => {
    const path = join(dir, 'huge.png')
    await writeFile(path, PNG)
    const handle = await open(path, 'r+')
    await handle.truncate(4 * 1024 ** 3)
    await handle.close()
    const error = await refusal(path)
    expect(error.code).toBe('too_large')
    expect(error.size).toBe(4 * 1024 ** 3)
    expect(error.message).toContain(`${4 * 1024 ** 3} bytes, more than`)
    // One byte over an explicit cap is enough.
    const small = join(dir, 'small.png')
    await writeFile(small, PNG)
    const over = await refusal(small, PNG.length - 1)
    expect([over.code, over.size, over.maxBytes]).toEqual(['too_large', PNG.length, PNG.length - 1])
  })

  it('refuses bytes that are no image (an HTML page named .png): not_an_image', async () => {
    const path = join(dir, 'page.png')
    await writeFile(path, '<!doctype html><script>alert(1)</script>')
    const error = await refusal(path)
    expect(error.code).toBe('not_an_image')
    expect(error.message).toMatch(/not a PNG, JPEG, WebP or GIF image/)
  })
})
