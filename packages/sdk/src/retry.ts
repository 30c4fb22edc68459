import type { OnHeaders } from '@nano-banana/runtime'
import { AbortError } from './errors.js'

/**
 * How one phase (submit, poll, download) retries. Every field has a default per phase
 * (see DEFAULT_SUBMIT_RETRY, DEFAULT_POLL_RETRY, DEFAULT_DOWNLOAD_RETRY); pass any subset.
 */
export interface RetryPolicy {
  /**
   * Retries after the first attempt. Defaults: submit 2 (and only when the provider certainly did not
   * accept the task), poll `Infinity` (retried until the wait's deadline), download 3.
   */
  maxRetries: number
  /** First backoff step in ms; doubles each retry, with equal jitter (a random delay between half and all of the step). Default 500. */
  baseDelayMs: number
  /** Cap of one backoff step in ms. Default 8000. A server's `Retry-After` may be longer (see maxRetryAfterMs). */
  maxDelayMs: number
  /**
   * Longest wait a server's `Retry-After` (or its "retry after N seconds" hint) imposes, in ms: the
   * client never retries earlier than the server asked, up to this; a longer request is shortened to it
   * (a retry that comes too early is refused again, which creates no task). Default 60000.
   */
  maxRetryAfterMs: number
}

/** Submit: 2 retries, only after a certain refusal (connection refused, DNS, 429, 503, a documented maintenance code). */
export const DEFAULT_SUBMIT_RETRY: RetryPolicy = { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 }
/** Poll: a read, retried on every transient failure until the deadline of the wait. */
export const DEFAULT_POLL_RETRY: RetryPolicy = { maxRetries: Infinity, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 }
/** Download: a read of the result URL, 3 retries. */
export const DEFAULT_DOWNLOAD_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 }

/**
 * Exponential backoff with equal jitter: the step `baseDelayMs * 2^attempt`, capped at `maxDelayMs`,
 * then a random point in its upper half. A server's `Retry-After` is a floor.
 */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, retryAfterMs?: number, random = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt)
  const jittered = exp / 2 + random() * (exp / 2)
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered
}

/**
 * The wait before retry number `attempt + 1`, or undefined when the retries are used up. A server's
 * `Retry-After` is a floor, capped at `maxRetryAfterMs`.
 */
export function retryDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number, random = Math.random): number | undefined {
  if (!(attempt < policy.maxRetries)) return undefined
  const floor = retryAfterMs !== undefined ? Math.min(retryAfterMs, policy.maxRetryAfterMs) : undefined
  return backoffDelay(attempt, policy, floor, random)
}

export type NetworkFailure =
  /** The request certainly never reached the server (refused, DNS): safe to resend. */
  | 'not-sent'
  /** The request may have reached the server (reset, socket closed, timeout). */
  | 'maybe-sent'
  | 'aborted'
  | 'timeout'
  /** Refused on this machine before sending (an invalid header, the request could not be built): resending changes nothing. */
  | 'refused-locally'

/**
 * Error codes (Node's undici and Bun put them on the error or its cause) that mean the connection was
 * never made: no byte of the request reached a server.
 */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_INVALID_URL'])

/**
 * Messages that prove the request never left, for runtimes that give no code (seen in the real
 * runtimes of runtime-tests):
 * - the fetch call itself refused before any I/O: a wrong `this` ("Illegal invocation" in Chromium
 *   and workerd) or arguments it cannot convert ("Failed to execute 'fetch' on 'Window': ...");
 * - Deno: "client error (Connect)" (connecting or resolving the host failed; the request is written
 *   only on an open connection) and "Requests to port N are blocked";
 * - undici's "bad port" (a port fetch refuses before connecting).
 * Deliberately absent: a browser's bare "Failed to fetch" / "NetworkError when attempting to fetch
 * resource." / "Load failed", and workerd's "Network connection lost.". A browser gives that one
 * message for a CORS block, a refused connection and a reset after the request was sent, and a CORS
 * block is itself ambiguous: a failed preflight stops the request, but a POST whose answer merely
 * lacks `Access-Control-Allow-Origin` was sent and may have created a task. workerd says "Network
 * connection lost." for a refused connection and for a reset after sending alike. Treating those as
 * not sent could pay twice, so they stay 'maybe-sent'.
 */
const NOT_SENT_MESSAGE = /Illegal invocation|^Failed to execute 'fetch' on|client error \(Connect\)|Requests to port \d+ are blocked|^bad port$/

/** The first of `error` and its causes (5 deep) whose `key` is a string and passes `test`: that string. */
function inChain(error: unknown, key: 'code' | 'message', test: (text: string) => boolean): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const text = (e as Record<string, unknown>)[key]
    if (typeof text === 'string' && test(text)) return text
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * Errors a runtime's fetch throws while checking its arguments, before any I/O: a header value with a
 * line break or a character outside Latin-1 (undici, Bun, Deno, browsers), and the runtime client's own
 * RequestNotSentError / the SDK's NotSentError (a custom fetch may throw one).
 */
const REFUSED_LOCALLY_MESSAGE = /invalid header (?:name|value)|is not a valid header|ByteString|Header (?:name|value) is not valid|not a legal HTTP header/i
const REFUSED_LOCALLY_NAMES = new Set(['RequestNotSentError', 'NotSentError'])

/** A browser's one message for every network failure (Chromium, Firefox, Safari). */
const BROWSER_NETWORK_ERROR = /^(Failed to fetch|NetworkError when attempting to fetch resource\.?|Load failed)$/

/** For a browser's bare network error: the hint that a CORS block looks the same (else ''). */
export function corsHint(error: unknown): string {
  const message = (error as { message?: unknown })?.message
  return error instanceof TypeError && typeof message === 'string' && BROWSER_NETWORK_ERROR.test(message)
    ? ' In a browser a CORS block looks the same: if the provider does not allow calls from this origin, call it from a server.'
    : ''
}

/** Classifies what a thrown `fetch` error says about whether the request left the machine. */
export function classifyNetworkError(error: unknown, signal?: AbortSignal): NetworkFailure {
  const name = (error as { name?: unknown })?.name
  if (signal?.aborted) return 'aborted'
  if (name === 'TimeoutError') return 'timeout'
  if (name === 'AbortError') return 'aborted'
  if (REFUSED_LOCALLY_NAMES.has(name as string) || inChain(error, 'message', (m) => REFUSED_LOCALLY_MESSAGE.test(m))) return 'refused-locally'
  // The nearest code decides (a code deeper in the chain is not consulted once one is found).
  const code = inChain(error, 'code', () => true)
  return (code !== undefined && NOT_SENT.has(code)) || inChain(error, 'message', (m) => NOT_SENT_MESSAGE.test(m)) ? 'not-sent' : 'maybe-sent'
}

/** Resolves after `ms`, or rejects with AbortError as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new AbortError('Aborted', { cause: signal.reason }))
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(new AbortError('Aborted', { cause: signal?.reason }))
    }
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      },
      Math.max(0, ms),
    )
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** A pending request's timeout: when it expires, and what then happens. */
interface Deadline {
  at: number
  expire: () => void
}

/** What one client remembers of its requests' timeouts (see withRequestTimeout). */
export interface TimeoutMemory {
  /** A request of this client timed out: from then on each of its requests gives fetch a signal. */
  hung: boolean
  /** The pending timeouts, and the one timer that serves them all (armed for the earliest). */
  readonly pending: Set<Deadline>
  timer: ReturnType<typeof setTimeout> | undefined
  armedAt: number
}

export const createTimeoutMemory = (): TimeoutMemory => ({ hung: false, pending: new Set(), timer: undefined, armedAt: Number.POSITIVE_INFINITY })

/** Arms the client's timer for `at`, replacing the one armed for later. */
function arm(memory: TimeoutMemory, at: number): void {
  if (memory.timer !== undefined) clearTimeout(memory.timer)
  memory.armedAt = at
  memory.timer = setTimeout(() => expireDue(memory), Math.max(0, at - Date.now()))
}

/** The timer fired: every timeout that is due expires, and the timer is armed again for the earliest left. */
function expireDue(memory: TimeoutMemory): void {
  memory.timer = undefined
  memory.armedAt = Number.POSITIVE_INFINITY
  const now = Date.now()
  let next = Number.POSITIVE_INFINITY
  for (const deadline of memory.pending) {
    if (deadline.at <= now) {
      memory.pending.delete(deadline)
      deadline.expire()
    } else if (deadline.at < next) next = deadline.at
  }
  if (next !== Number.POSITIVE_INFINITY) arm(memory, next)
}

/**
 * Creating and clearing a timer per request costs a loopback round trip a few percent (Node's timer lists,
 * measured in bench/src/overhead.mjs), so a client's requests share one timer, armed for the earliest
 * pending timeout. A request that ends leaves it armed: the next request of the same length expires later
 * and needs no timer of its own. While nothing is pending the timer must not keep the process alive:
 * unref'd where the runtime can (Node, Bun), cleared elsewhere.
 */
function addDeadline(memory: TimeoutMemory, deadline: Deadline): void {
  const wasIdle = memory.pending.size === 0
  memory.pending.add(deadline)
  if (deadline.at < memory.armedAt) arm(memory, deadline.at)
  else if (wasIdle) (memory.timer as { ref?: () => unknown }).ref?.()
}

function removeDeadline(memory: TimeoutMemory, deadline: Deadline): void {
  memory.pending.delete(deadline)
  if (memory.pending.size !== 0 || memory.timer === undefined) return
  const timer = memory.timer as { unref?: () => unknown }
  if (typeof timer.unref === 'function') timer.unref()
  else {
    clearTimeout(memory.timer)
    memory.timer = undefined
    memory.armedAt = Number.POSITIVE_INFINITY
  }
}

/**
 * Runs one HTTP request with a timeout: the caller is released when it expires, whatever the request does.
 *
 * Handing fetch a signal costs every request (Node's undici handles each request's signal: 10-30% of a
 * loopback request, whether the signal is fresh, shared or never fires), so a signal is passed only
 * where it buys something:
 * - the caller gave one: their cancellation must abort the request itself;
 * - this client has seen a request time out (`memory.hung`): the provider hangs, and each hung request
 *   would keep its socket, so from then on every request's timeout aborts it.
 * Otherwise the timeout only races the request, and the answer's body is cancelled when it expires
 * after its headers arrived (or as soon as they arrive later), which closes that connection too. What
 * stays open is the socket of the first request that hangs before its headers: Node's fetch closes it
 * at its own `headersTimeout` (300 s). A request that settles after its timeout settles unobserved.
 */
export function withRequestTimeout<T>(
  run: (signal: AbortSignal | undefined, onHeaders: OnHeaders | undefined) => Promise<T>,
  signal: AbortSignal | undefined,
  timeoutMs: number,
  memory: TimeoutMemory,
): Promise<T> {
  let expired: DOMException | undefined
  let cancel: ((reason: unknown) => void) | undefined
  let settle: (() => void) | undefined
  let requestSignal: AbortSignal | undefined
  let onHeaders: OnHeaders | undefined
  if (signal || memory.hung) {
    // The request gets a signal that the caller's signal and the timeout both abort.
    const controller = new AbortController()
    const onAbort = () => controller.abort(signal?.reason)
    if (signal?.aborted) onAbort()
    else signal?.addEventListener('abort', onAbort, { once: true })
    settle = () => signal?.removeEventListener('abort', onAbort)
    cancel = (reason) => controller.abort(reason)
    requestSignal = controller.signal
  } else {
    // Without a signal the timeout only races the request, and cancels the answer's body (now or when its headers arrive).
    onHeaders = (cancelBody) => {
      if (expired) cancelBody(expired)
      else cancel = cancelBody
    }
  }
  let pending: Promise<T>
  try {
    pending = run(requestSignal, onHeaders)
  } catch (error) {
    settle?.()
    return Promise.reject(error)
  }
  return new Promise<T>((resolve, reject) => {
    const deadline: Deadline = {
      at: Date.now() + timeoutMs,
      expire: () => {
        expired = new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')
        memory.hung = true
        cancel?.(expired)
        reject(expired)
      },
    }
    addDeadline(memory, deadline)
    pending.then(
      (value) => {
        removeDeadline(memory, deadline)
        settle?.()
        resolve(value)
      },
      (error: unknown) => {
        removeDeadline(memory, deadline)
        settle?.()
        reject(error)
      },
    )
  })
}

/** The caller's signal combined with a per-request timeout (for requests whose body is streamed). */
export function requestSignal(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs)
  return signal ? AbortSignal.any([signal, timeout]) : timeout
}
