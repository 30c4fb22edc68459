import { AbortError } from './errors.js'

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number
  /** First backoff step; doubles each retry, with full jitter. */
  baseDelayMs: number
  /** Cap of one backoff step (a longer `Retry-After` is still honoured, up to the deadline). */
  maxDelayMs: number
}

export const DEFAULT_SUBMIT_RETRY: RetryPolicy = { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8_000 }
export const DEFAULT_POLL_RETRY: RetryPolicy = { maxRetries: 8, baseDelayMs: 500, maxDelayMs: 8_000 }
export const DEFAULT_DOWNLOAD_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 8_000 }

/** Full-jitter exponential backoff (AWS architecture blog), honouring a server's `Retry-After`. */
export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number, random = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt)
  const jittered = exp / 2 + random() * (exp / 2)
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered
}

export type NetworkFailure =
  /** The request certainly never reached the server (refused, DNS): safe to resend. */
  | 'not-sent'
  /** The request may have reached the server (reset, socket closed, timeout). */
  | 'maybe-sent'
  | 'aborted'
  | 'timeout'

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_INVALID_URL'])

function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/** Classifies what a thrown `fetch` error says about whether the request left the machine. */
export function classifyNetworkError(error: unknown, signal?: AbortSignal): NetworkFailure {
  const name = (error as { name?: unknown })?.name
  if (signal?.aborted) return 'aborted'
  if (name === 'TimeoutError') return 'timeout'
  if (name === 'AbortError') return 'aborted'
  const code = codeOf(error)
  return code !== undefined && NOT_SENT.has(code) ? 'not-sent' : 'maybe-sent'
}

/** Resolves after `ms`, or rejects with AbortError as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new AbortError('Aborted', { cause: signal.reason }))
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(new AbortError('Aborted', { cause: signal?.reason }))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, Math.max(0, ms))
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** The caller's signal combined with a per-request timeout. */
export function requestSignal(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs)
  return signal ? AbortSignal.any([signal, timeout]) : timeout
}
