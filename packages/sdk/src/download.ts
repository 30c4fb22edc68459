import { AbortError, ConnectionError, ExpiredResultError, NanoBananaError, NotSentError, ResponseFormatError, parseRetryAfter } from './errors.js'
// From the runtime's index, not a leaf subpath: a one-file bundle would save ~130 gz of lazy-evaluation
// wrappers, but split builds would cut the runtime into more chunks (+0.4 KiB over the lazy-provider row).
import { readCapped } from '@nano-banana/runtime'
import { classifyNetworkError, requestSignal, type RetryPolicy } from './retry.js'
import { retrying } from './retrying.js'
import type { ProviderId } from './types.js'
import { imageTypeOf, isCompleteImage } from './image-type.js'
import { unsafeResultUrl, type ResultUrlPolicy } from './result-url.js'

export interface DownloadOptions {
  /** Refuse files larger than this, in bytes (checked against Content-Length and while streaming). Default 50 MiB. */
  maxBytes?: number
  signal?: AbortSignal
  /** Timeout of one download attempt, in ms. Default: the client's `requestTimeoutMs` (60000). */
  timeoutMs?: number
}

export interface DownloadedImage {
  bytes: Uint8Array
  /** `image/png`, `image/jpeg`, `image/webp` or `image/gif`: what the bytes are (their signature decides, not the server's content type). */
  contentType: string
  /** File extension of that type, without the dot (`png`, `jpg`, `webp`, `gif`). */
  extension: string
}

export interface DownloadContext {
  provider: ProviderId
  taskId: string
  fetch: typeof fetch
  retry: RetryPolicy
  /** Default timeout of one attempt, in ms. Default 60000. */
  timeoutMs?: number
  /** Which hosts result URLs may name (see ResultUrlPolicy); default: public http(s) hosts only. */
  urlPolicy?: ResultUrlPolicy
}

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024
/** Types a CDN may put on an image it does not know: the bytes decide. */
const UNTYPED = new Set(['', 'application/octet-stream', 'binary/octet-stream'])
/** Redirect hops a result URL may take; each hop's target is checked like the URL itself. */
const MAX_REDIRECTS = 5

/** Drops an answer's body unread (closing its connection); a body that fails to cancel has nothing left to free. */
const discard = (response: Response) => response.body?.cancel().catch(() => undefined)

async function readImageBody(response: Response, maxBytes: number, context: DownloadContext, url: string): Promise<Uint8Array> {
  const bytes = await readCapped(response, maxBytes)
  if (bytes) return bytes
  throw new ResponseFormatError(`${context.provider}: ${url} is larger than maxBytes (${maxBytes})`, {
    provider: context.provider,
    taskId: context.taskId,
    code: 'too_large',
  })
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
  const refuse = (target: string, reason: string) =>
    new ResponseFormatError(`${provider}: result URL of task ${taskId} refused: ${reason} (${target.slice(0, 200)})`, { provider, taskId, code: 'unsafe_url' })
  const unsafe = unsafeResultUrl(url, context.urlPolicy)
  if (unsafe) throw refuse(url, unsafe)
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw expired()
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const timeoutMs = options.timeoutMs ?? context.timeoutMs ?? 60_000

  /**
   * Follows redirects itself so that every hop is checked like the URL (a public URL redirecting to a
   * metadata service is refused). A browser hides manual redirects (`opaqueredirect`): there the request
   * is repeated with `follow`, since a page cannot reach what its origin's CORS rules do not allow anyway.
   */
  async function fetchChecked(first: string, signal: AbortSignal): Promise<Response> {
    // Called as a plain function: the global fetch called as a method of `context` throws
    // "Illegal invocation" in browsers and workerd.
    const fetchImpl = context.fetch
    let target = first
    for (let hop = 0; ; hop++) {
      const response = await fetchImpl(target, { signal, redirect: 'manual' })
      if (response.type === 'opaqueredirect') return fetchImpl(target, { signal })
      const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null
      if (location === null) return response
      await discard(response)
      if (hop >= MAX_REDIRECTS) throw refuse(target, `more than ${MAX_REDIRECTS} redirects`)
      const next = new URL(location, target).href
      const reason = unsafeResultUrl(next, { ...context.urlPolicy, allowData: false })
      if (reason) throw refuse(next, `redirected to a refused URL: ${reason}`)
      target = next
    }
  }

  /** A failure of fetch or of the body read: the network's, unless it is already the SDK's. */
  const failed = (error: unknown) => {
    if (error instanceof NanoBananaError) return error
    const kind = classifyNetworkError(error, options.signal)
    if (kind === 'aborted') return aborted(error)
    return new ConnectionError(`${provider}: downloading ${url} failed (${kind === 'timeout' ? `no answer within ${timeoutMs} ms` : 'network error'})`, {
      provider,
      taskId,
      cause: error,
    })
  }

  /** One GET of the result; every failure becomes the error the policy reads (a GET of a result is safe to repeat). */
  async function attempt(): Promise<DownloadedImage> {
    let response: Response
    try {
      response = await fetchChecked(url, requestSignal(options.signal, timeoutMs))
    } catch (error) {
      // The fetch refused the URL on this machine (the node entry's guarded fetch: the address a name resolved to).
      throw error instanceof NotSentError ? refuse(url, error.message) : failed(error)
    }
    if (response.status === 404 || response.status === 410 || response.status === 403) {
      await discard(response)
      throw expired(response.status)
    }
    if (!response.ok) {
      await discard(response)
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
      await discard(response)
      throw new ResponseFormatError(`${provider}: ${url} is not an image (content-type "${declared}")`, { provider, taskId, code: 'not_an_image' })
    }
    let bytes: Uint8Array
    try {
      bytes = await readImageBody(response, maxBytes, context, url)
    } catch (error) {
      throw failed(error)
    }
    // The bytes decide the type and the file extension: whatever the server declared, only PNG/JPEG/WebP/GIF
    // bytes are an image (an `image/svg+xml` page, a script or an executable labelled as an image is refused).
    const type = imageTypeOf(bytes)
    if (!type) {
      throw new ResponseFormatError(`${provider}: ${url} is not an image (content-type "${declared}"; its bytes are no PNG, JPEG, WebP or GIF)`, {
        provider,
        taskId,
        code: 'not_an_image',
      })
    }
    if (!isCompleteImage(bytes, type.contentType)) {
      throw new ResponseFormatError(`${provider}: ${url} ended early (${bytes.byteLength} bytes of a truncated ${type.contentType})`, {
        provider,
        taskId,
        code: 'truncated_image',
      })
    }
    return { bytes, ...type }
  }

  return retrying(attempt, { phase: 'download', policy: context.retry, signal: options.signal, onAbort: aborted })
}
