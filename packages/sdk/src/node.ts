// Node-only helpers: `@nano-banana/sdk/node`. The main entry (`@nano-banana/sdk`), `/core`,
// `/callbacks` and the providers use web-standard APIs only (fetch, URL, AbortSignal, Web Streams)
// and run in browsers, Deno, Bun and edge runtimes; whatever needs the file system, or Node's own
// connections (the DNS guard of node/guarded-fetch.ts), lives here.
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { copyFile, link, mkdir, open, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { DownloadedImage, DownloadOptions } from './download.js'
import { InvalidRequestError, NanoBananaError } from './errors.js'
import { imageTypeOf, type ImageContentType } from './image-type.js'
import { DEFAULT_REFERENCE_MAX_BYTES } from './inline-images.js'

export { createGuardedFetch, refusedAddress } from './node/guarded-fetch.js'
export type { GuardedFetchOptions, HostResolver, ResolvedAddress } from './node/guarded-fetch.js'

/** What `saveImages` needs of a result: a `GenerateResult` fits. */
export interface SavableResult {
  taskId: string
  images: readonly { download(options?: DownloadOptions): Promise<DownloadedImage> }[]
}

export interface SaveImagesOptions extends DownloadOptions {
  /**
   * When `<taskId>-<n>.<ext>` already exists: `'suffix'` (default) writes `<taskId>-<n>-2.<ext>` (then `-3`...),
   * `'error'` throws a NanoBananaError (`code: 'file_exists'`). An existing file is never replaced.
   */
  onExisting?: 'suffix' | 'error'
}

const isCode = (error: unknown, ...codes: string[]) => codes.includes((error as { code?: string })?.code ?? '')

/** Creates `path` exclusively and writes `bytes`: `wx` fails on any existing entry, a symlink (even dangling) included. */
async function writeExclusive(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644)
  try {
    await handle.writeFile(bytes)
  } finally {
    await handle.close()
  }
}

/** Gives a finished temporary file its final name without replacing anything there (rename would). */
async function publish(partial: string, path: string): Promise<void> {
  try {
    await link(partial, path)
  } catch (error) {
    // File systems without hard links: an exclusive copy still never replaces a file.
    if (!isCode(error, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS')) throw error
    await copyFile(partial, path, constants.COPYFILE_EXCL)
  }
}

/**
 * Downloads every image of a result into `dir` (created when missing) and returns the file paths,
 * named `<taskId>-<n>.<ext>`, the extension from the image's bytes. Each file is written to a new
 * temporary `.part` file (random name, created exclusively, never through a symlink) and then linked
 * to its final name, which must not exist: a crash never leaves a half image under the final name, and
 * an existing file (or a planted symlink) is never written through or replaced (see `onExisting`).
 * The images are downloaded with the result's client `fetch`: on a server, make that client with
 * `fetch: createGuardedFetch()` so that a result URL whose name resolves to a private address is refused.
 *
 * ```ts
 * import { saveImages } from '@nano-banana/sdk/node'
 * const files = await saveImages(await nb.generate({ prompt }), './out')
 * ```
 */
export async function saveImages(result: SavableResult, dir: string, options: SaveImagesOptions = {}): Promise<string[]> {
  const { taskId, images } = result
  const { onExisting = 'suffix', ...downloadOptions } = options
  const fsError = (error: unknown, path: string) =>
    error instanceof NanoBananaError
      ? error
      : new NanoBananaError(`cannot write ${path} for task ${taskId}: ${error instanceof Error ? error.message : String(error)}`, { taskId, cause: error })
  await mkdir(dir, { recursive: true }).catch((error: unknown) => {
    throw fsError(error, dir)
  })
  const safeId = taskId.replace(/[^A-Za-z0-9._-]/g, '_')
  const paths: string[] = []
  for (const [i, image] of images.entries()) {
    const { bytes, extension } = await image.download(downloadOptions)
    const base = `${safeId}-${i + 1}`
    const partial = join(dir, `.${base}.${randomBytes(6).toString('hex')}.part`)
    let path = join(dir, `${base}.${extension}`)
    try {
      await writeExclusive(partial, bytes)
      for (let copy = 2; ; copy++) {
        try {
          await publish(partial, path)
          break
        } catch (error) {
          if (!isCode(error, 'EEXIST')) throw error
          if (onExisting === 'error') {
            throw new NanoBananaError(`${path} already exists; it was not replaced (task ${taskId})`, { taskId, code: 'file_exists', cause: error })
          }
          path = join(dir, `${base}-${copy}.${extension}`)
        }
      }
    } catch (error) {
      throw fsError(error, path)
    } finally {
      await rm(partial, { force: true }).catch(() => undefined)
    }
    paths.push(path)
  }
  return paths
}

// Reading one local image file for a request: the CLI's `--image` and the MCP server's `images` both come
// here. The path is untrusted (a user's typo, a model's guess): only a regular file is opened, never more
// than the cap is read, and the type comes from the bytes, never from the name.

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
