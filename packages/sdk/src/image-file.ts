// Reading one local image file for a request (`@nano-banana/sdk/node`): the CLI's `--image` and the MCP
// server's `images` both come here. The path is untrusted (a user's typo, a model's guess): only a regular
// file is opened, never more than the cap is read, and the type comes from the bytes, never from the name.
import { constants } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { InvalidRequestError } from './errors.js'
import { imageTypeOf, type ImageContentType } from './image-type.js'
import { DEFAULT_REFERENCE_MAX_BYTES } from './inline-images.js'

export interface ImageFile {
  path: string
  bytes: Uint8Array
  contentType: ImageContentType
}

export interface ReadImageFileOptions {
  /** The largest file read, in bytes; default `DEFAULT_REFERENCE_MAX_BYTES` (one reference image). */
  maxBytes?: number
}

/** Why a file was refused: `not_found`, `not_a_file`, `too_large`, `not_an_image`, `changed` (while it was read), `unreadable`. */
export type ImageFileErrorCode = 'not_found' | 'not_a_file' | 'too_large' | 'not_an_image' | 'changed' | 'unreadable'

/** A local image file that cannot be used; nothing was sent. `param` is `'images'`. */
export class ImageFileError extends InvalidRequestError {
  override name = 'ImageFileError'
  declare readonly code: ImageFileErrorCode
  constructor(
    message: string,
    code: ImageFileErrorCode,
    readonly path: string,
    readonly maxBytes: number,
    /** The file's size when known (`too_large`: the size that was refused). */
    readonly size?: number,
    cause?: unknown,
  ) {
    super(message, { code, param: 'images', cause })
  }
}

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`

/**
 * Reads one local image: a regular file of at most `maxBytes` whose bytes are a PNG, JPEG, WebP or GIF.
 * Throws an ImageFileError (an InvalidRequestError, `param: 'images'`) otherwise, before reading more than
 * the cap: a FIFO or device is refused without being opened for a blocking read, a huge file without being read.
 *
 * ```ts
 * import { readImageFile } from '@nano-banana/sdk/node'
 * const { bytes, contentType } = await readImageFile('./ref.png', { maxBytes: 5_000_000 })
 * ```
 */
export async function readImageFile(path: string, options: ReadImageFileOptions = {}): Promise<ImageFile> {
  const maxBytes = options.maxBytes ?? DEFAULT_REFERENCE_MAX_BYTES
  const fail = (message: string, code: ImageFileErrorCode, size?: number, cause?: unknown) =>
    new ImageFileError(`${path}: ${message}`, code, path, maxBytes, size, cause)
  const unreadable = (error: unknown) => {
    const code = (error as { code?: string }).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return fail('no such file', 'not_found', undefined, error)
    return fail(`cannot be read (${code ?? String(error)})`, 'unreadable', undefined, error)
  }
  const tooLarge = (size: number) => fail(`${size} bytes, more than the ${mib(maxBytes)} (${maxBytes} bytes) allowed`, 'too_large', size)
  const notAFile = () => fail('not a regular file', 'not_a_file')

  // Checked before opening: opening a FIFO or a device for reading could block or never end.
  const info = await stat(path).catch((error: unknown) => {
    throw unreadable(error)
  })
  if (!info.isFile()) throw notAFile()
  if (info.size > maxBytes) throw tooLarge(info.size)
  // O_NONBLOCK: should the path be swapped for a FIFO after the stat, open() still returns at once (and the
  // fstat below refuses it); on a regular file the flag changes nothing.
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0)).catch((error: unknown) => {
    throw unreadable(error)
  })
  let bytes: Uint8Array
  try {
    const opened = await handle.stat()
    if (!opened.isFile()) throw notAFile()
    if (opened.size > maxBytes) throw tooLarge(opened.size)
    // One byte more than the size: a file that grew meanwhile is noticed without reading it all.
    const buffer = Buffer.alloc(opened.size + 1)
    let length = 0
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length > opened.size) throw fail('the file changed while it was read', 'changed')
    bytes = buffer.subarray(0, length)
  } catch (error) {
    throw error instanceof ImageFileError ? error : unreadable(error)
  } finally {
    await handle.close()
  }
  const type = imageTypeOf(bytes)
  if (!type) throw fail('not a PNG, JPEG, WebP or GIF image (judged by its bytes, not its name)', 'not_an_image', bytes.length)
  return { path, bytes, contentType: type.contentType }
}
