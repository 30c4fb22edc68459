import { ExpiredResultError, NanoBananaError, ResponseFormatError, ConnectionError } from './errors.js'
import { backoffDelay, requestSignal, sleep, classifyNetworkError, type RetryPolicy } from './retry.js'
import type { ProviderId } from './types.js'

export interface DownloadOptions {
  /** Refuse files larger than this. Default 50 MiB. */
  maxBytes?: number
  signal?: AbortSignal
  /** Timeout of one download attempt. Default 60000. */
  timeoutMs?: number
}

export interface DownloadedImage {
  bytes: Uint8Array
  /** `image/png`, `image/jpeg`, `image/webp`... as the server said. */
  contentType: string
  /** File extension matching the content type, without the dot. */
  extension: string
}

export interface DownloadContext {
  provider: ProviderId
  taskId: string
  fetch: typeof fetch
  retry: RetryPolicy
}

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/jpg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif' }
const DEFAULT_MAX_BYTES = 50 * 1024 * 1024

async function readCapped(response: Response, maxBytes: number, context: DownloadContext, url: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'))
  const tooLarge = () =>
    new ResponseFormatError(`${context.provider}: ${url} is larger than maxBytes (${maxBytes})`, { provider: context.provider, taskId: context.taskId, code: 'too_large' })
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel()
    throw tooLarge()
  }
  if (!response.body) return new Uint8Array(await response.arrayBuffer())
  const chunks: Uint8Array[] = []
  let total = 0
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel()
      throw tooLarge()
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/** Streams one result image with a size cap, an image content-type check and retries. */
export async function downloadImage(url: string, expiresAt: Date | undefined, context: DownloadContext, options: DownloadOptions = {}): Promise<DownloadedImage> {
  const expired = (status?: number) =>
    new ExpiredResultError(`${context.provider}: the result URL of task ${context.taskId} has expired${status ? ` (HTTP ${status})` : ''}; results are kept for a limited time, generate again`, {
      provider: context.provider,
      taskId: context.taskId,
      status,
    })
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw expired()
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  for (let attempt = 0; ; attempt++) {
    let failure: NanoBananaError
    try {
      const response = await context.fetch(url, { signal: requestSignal(options.signal, options.timeoutMs ?? 60_000) })
      if (response.status === 404 || response.status === 410 || response.status === 403) {
        await response.body?.cancel()
        throw expired(response.status)
      }
      if (response.ok) {
        const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
        if (!contentType.startsWith('image/')) {
          await response.body?.cancel()
          throw new ResponseFormatError(`${context.provider}: ${url} is not an image (content-type "${contentType || 'none'}")`, {
            provider: context.provider,
            taskId: context.taskId,
            code: 'not_an_image',
          })
        }
        const bytes = await readCapped(response, maxBytes, context, url)
        return { bytes, contentType, extension: EXTENSIONS[contentType] ?? contentType.slice('image/'.length).replace(/[^a-z0-9]/g, '') }
      }
      await response.body?.cancel()
      failure = new ConnectionError(`${context.provider}: downloading ${url} failed with HTTP ${response.status}`, {
        provider: context.provider,
        taskId: context.taskId,
        status: response.status,
      })
      // Other client errors will not change on retry.
      if (response.status < 500 && response.status !== 429) throw failure
    } catch (error) {
      if (error instanceof ExpiredResultError || (error instanceof NanoBananaError && !(error instanceof ConnectionError))) throw error
      if (error instanceof ConnectionError && error.status !== undefined && error.status < 500 && error.status !== 429) throw error
      if (error instanceof ConnectionError) failure = error
      else {
        const kind = classifyNetworkError(error, options.signal)
        if (kind === 'aborted') throw new NanoBananaError(`${context.provider}: download aborted`, { provider: context.provider, taskId: context.taskId, cause: error })
        failure = new ConnectionError(`${context.provider}: downloading ${url} failed (${kind === 'timeout' ? 'timeout' : 'network error'})`, {
          provider: context.provider,
          taskId: context.taskId,
          cause: error,
        })
      }
    }
    // A GET of a result is safe to repeat.
    if (attempt >= context.retry.maxRetries) throw failure
    await sleep(backoffDelay(attempt, context.retry), options.signal)
  }
}

/** Writes every image of a result into `dir` (Node only); returns the file paths. */
export async function saveImages(
  images: readonly { download(options?: DownloadOptions): Promise<DownloadedImage> }[],
  dir: string,
  taskId: string,
  options: DownloadOptions = {},
): Promise<string[]> {
  const [{ mkdir, writeFile }, { join }] = await Promise.all([import('node:fs/promises'), import('node:path')])
  await mkdir(dir, { recursive: true })
  const safeId = taskId.replace(/[^A-Za-z0-9._-]/g, '_')
  const paths: string[] = []
  for (const [i, image] of images.entries()) {
    const { bytes, extension } = await image.download(options)
    const path = join(dir, `${safeId}-${i + 1}.${extension}`)
    await writeFile(path, bytes)
    paths.push(path)
  }
  return paths
}

