// Node-only helpers: `@nano-banana/sdk/node`. The main entry (`@nano-banana/sdk`), `/core`,
// `/callbacks` and the providers use web-standard APIs only (fetch, URL, AbortSignal, Web Streams)
// and run in browsers, Deno, Bun and edge runtimes; whatever needs the file system lives here.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DownloadedImage, DownloadOptions } from './download.js'
import { NanoBananaError } from './errors.js'

/** What `saveImages` needs of a result: a `GenerateResult` fits. */
export interface SavableResult {
  taskId: string
  images: readonly { download(options?: DownloadOptions): Promise<DownloadedImage> }[]
}

/**
 * Downloads every image of a result into `dir` (created when missing) and returns the file paths,
 * named `<taskId>-<n>.<ext>`. Each file is written under a temporary name and renamed, so a crash
 * never leaves a half image under the final name. Errors carry the task id.
 *
 * ```ts
 * import { saveImages } from '@nano-banana/sdk/node'
 * const files = await saveImages(await nb.generate({ prompt }), './out')
 * ```
 */
export async function saveImages(result: SavableResult, dir: string, options: DownloadOptions = {}): Promise<string[]> {
  const { taskId, images } = result
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
    const { bytes, extension } = await image.download(options)
    const path = join(dir, `${safeId}-${i + 1}.${extension}`)
    const partial = `${path}.part`
    try {
      await writeFile(partial, bytes)
      await rename(partial, path)
    } catch (error) {
      await rm(partial, { force: true }).catch(() => undefined)
      throw fsError(error, path)
    }
    paths.push(path)
  }
  return paths
}
