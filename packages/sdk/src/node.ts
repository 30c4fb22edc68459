// Node-only helpers: `@nano-banana/sdk/node`. The main entry (`@nano-banana/sdk`), `/core`,
// `/callbacks` and the providers use web-standard APIs only (fetch, URL, AbortSignal, Web Streams)
// and run in browsers, Deno, Bun and edge runtimes; whatever needs the file system lives here.
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { copyFile, link, mkdir, open, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { DownloadedImage, DownloadOptions } from './download.js'
import { NanoBananaError } from './errors.js'

export { ImageFileError, readImageFile, type ImageFile, type ImageFileErrorCode, type ReadImageFileOptions } from './image-file.js'

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
