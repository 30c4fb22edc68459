import { AbortError, ConnectionError, ExpiredResultError, NanoBananaError, ResponseFormatError, parseRetryAfter } from './errors.js'
import { readCapped } from './read-capped.js'
import { classifyNetworkError, requestSignal, type RetryPolicy } from './retry.js'
import { retrying } from './retrying.js'
import type { ProviderId } from './types.js'

export interface DownloadOptions {
  /** Refuse files larger than this, in bytes (checked against Content-Length and while streaming). Default 50 MiB. */
  maxBytes?: number
  signal?: AbortSignal
  /** Timeout of one download attempt, in ms. Default: the client's `requestTimeoutMs` (60000). */
  timeoutMs?: number
}

export interface DownloadedImage {
  bytes: Uint8Array
  /** `image/png`, `image/jpeg`, `image/webp`...: what the bytes are (the server's type, checked against them). */
  contentType: string
  /** File extension matching the content type, without the dot. */
  extension: string
}

export interface DownloadContext {
  provider: ProviderId
  taskId: string
  fetch: typeof fetch
  retry: RetryPolicy
  /** Default timeout of one attempt, in ms. Default 60000. */
  timeoutMs?: number
}

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/jpg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif' }
const DEFAULT_MAX_BYTES = 50 * 1024 * 1024
/** Types a CDN may put on an image it does not know: the bytes decide. */
const UNTYPED = new Set(['', 'application/octet-stream', 'binary/octet-stream'])

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) => signature.every((b, i) => bytes[at + i] === b)
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0))
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const IEND = ascii('IEND')

/** The image type the bytes are, from their signature; undefined for anything else. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, PNG)) return 'image/png'
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp'
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif'
  return undefined
}

function hasTail(bytes: Uint8Array, marker: readonly number[]): boolean {
  // Within the last KiB: encoders may pad after the end marker.
  for (let i = bytes.length - marker.length; i >= Math.max(0, bytes.length - 1024); i--) if (startsWith(bytes, marker, i)) return true
  return false
}

/** False when a PNG or JPEG file ends before its end marker (a body cut short). Other types are not checked. */
export function isCompleteImage(bytes: Uint8Array, type: string): boolean {
  if (type === 'image/png') return hasTail(bytes, IEND)
  if (type === 'image/jpeg') return hasTail(bytes, [0xff, 0xd9])
  return true
}

async function readImageBody(response: Response, maxBytes: number, context: DownloadContext, url: string): Promise<Uint8Array> {
  const bytes = await readCapped(response, maxBytes)
  if (bytes) return bytes
  throw new ResponseFormatError(`${context.provider}: ${url} is larger than maxBytes (${maxBytes})`, {
    provider: context.provider,
    taskId: context.taskId,
    code: 'too_large',
  })
}

function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url)
    return protocol === 'https:' || protocol === 'http:'
  } catch {
    return false
  }
}

/**
 * Streams one result image with a size cap, checks that it is an image (the declared content type
 * against the bytes' signature) and complete, and retries transient failures (network, timeout, 5xx,
 * 429 after its Retry-After, a body cut short) through the one retry loop. A 403/404/410 is ExpiredResultError.
 */
export async function downloadImage(url: string, expiresAt: Date | undefined, context: DownloadContext, options: DownloadOptions = {}): Promise<DownloadedImage> {
  const { provider, taskId } = context
  const expired = (status?: number) =>
    new ExpiredResultError(
      `${provider}: the result URL of task ${taskId} has expired${status ? ` (HTTP ${status})` : ''}; results are kept for a limited time, generate again`,
      {
        provider,
        taskId,
        status,
      },
    )
  const aborted = (cause: unknown) => new AbortError(`${provider}: download of task ${taskId} aborted`, { provider, taskId, cause })
  if (!isHttpUrl(url)) {
    // file:, ftp:, data:, javascript:... from a provider's answer: never fetched, and retrying cannot change it.
    throw new ResponseFormatError(`${provider}: the result URL of task ${taskId} is not an http(s) URL; it was not fetched`, {
      provider,
      taskId,
      code: 'unsupported_url',
    })
  }
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw expired()
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const timeoutMs = options.timeoutMs ?? context.timeoutMs ?? 60_000

  /** One GET of the result; every failure becomes the error the policy reads (a GET of a result is safe to repeat). */
  async function attempt(): Promise<DownloadedImage> {
    let response: Response
    try {
      // Called as a plain function: the global fetch called as a method of `context` throws
      // "Illegal invocation" in browsers and workerd.
      const fetchImpl = context.fetch
      response = await fetchImpl(url, { signal: requestSignal(options.signal, timeoutMs) })
    } catch (error) {
      const kind = classifyNetworkError(error, options.signal)
      if (kind === 'aborted') throw aborted(error)
      throw new ConnectionError(`${provider}: downloading ${url} failed (${kind === 'timeout' ? `no answer within ${timeoutMs} ms` : 'network error'})`, {
        provider,
        taskId,
        cause: error,
      })
    }
    if (response.status === 404 || response.status === 410 || response.status === 403) {
      await response.body?.cancel().catch(() => undefined)
      throw expired(response.status)
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined)
      // The policy retries a 5xx, 429 or 408 (after its Retry-After); other client errors will not change.
      throw new ConnectionError(`${provider}: downloading ${url} failed with HTTP ${response.status}`, {
        provider,
        taskId,
        status: response.status,
        retryAfterMs: parseRetryAfter(response.headers),
      })
    }
    const declared = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    if (!declared.startsWith('image/') && !UNTYPED.has(declared)) {
      await response.body?.cancel().catch(() => undefined)
      throw new ResponseFormatError(`${provider}: ${url} is not an image (content-type "${declared}")`, { provider, taskId, code: 'not_an_image' })
    }
    let bytes: Uint8Array
    try {
      bytes = await readImageBody(response, maxBytes, context, url)
    } catch (error) {
      if (error instanceof NanoBananaError) throw error
      const kind = classifyNetworkError(error, options.signal)
      if (kind === 'aborted') throw aborted(error)
      throw new ConnectionError(`${provider}: downloading ${url} failed (${kind === 'timeout' ? `no answer within ${timeoutMs} ms` : 'network error'})`, {
        provider,
        taskId,
        cause: error,
      })
    }
    const sniffed = sniffImageType(bytes)
    const type = declared === 'image/jpg' ? 'image/jpeg' : declared
    // The bytes decide: an untyped body must be an image, and a PNG/JPEG/WebP/GIF label must sit on
    // such bytes (a mislabelled but valid image is kept under its real type). Types we cannot
    // recognise (image/avif...) are taken as declared.
    if (!sniffed && (UNTYPED.has(type) || EXTENSIONS[type] !== undefined)) {
      throw new ResponseFormatError(`${provider}: ${url} is not a valid ${UNTYPED.has(type) ? 'image' : type} (its bytes are no known image format)`, {
        provider,
        taskId,
        code: 'not_an_image',
      })
    }
    const contentType = sniffed ?? type
    if (!isCompleteImage(bytes, contentType)) {
      throw new ResponseFormatError(`${provider}: ${url} ended early (${bytes.byteLength} bytes of a truncated ${contentType})`, {
        provider,
        taskId,
        code: 'truncated_image',
      })
    }
    return { bytes, contentType, extension: EXTENSIONS[contentType] ?? contentType.slice('image/'.length).replace(/[^a-z0-9]/g, '') }
  }

  return retrying(attempt, { phase: 'download', policy: context.retry, signal: options.signal, onAbort: aborted })
}
