// The one table that says what an error means for the next step: may a submit be resent, may a poll or
// a download be retried, may a failover client move on to the next provider. It knows error classes and
// HTTP semantics only; a provider-specific refusal reaches it through `markRefused` (its definition's
// `refused` rule), never through a provider's name or code.
import {
  AbortError,
  AmbiguousSubmitError,
  AuthenticationError,
  ConnectionError,
  ExpiredResultError,
  InsufficientCreditsError,
  InvalidRequestError,
  NanoBananaError,
  NotSentError,
  PermissionError,
  RateLimitError,
  ResponseFormatError,
  ServerError,
  UpstreamError,
} from './errors.js'
import type { FailoverReason } from './types.js'

export type Phase = 'submit' | 'poll' | 'download'

export interface Decision {
  /** `resend`: the provider certainly created no task, so sending again cannot pay twice. */
  submit: 'resend' | 'throw'
  /** A poll is a read: `retry` for anything that may clear. */
  poll: 'retry' | 'throw'
  /** A download is a read of the result URL. */
  download: 'retry' | 'throw'
  /** Set when the error proves the provider did not accept the task: a failover client may try the next one. */
  failover?: FailoverReason
}

const refusals = new WeakSet<NanoBananaError>()

/** Marks an answer its provider documents as "refused, nothing created" (a maintenance code...): a submit may be resent. */
export function markRefused<E extends NanoBananaError>(error: E): E {
  refusals.add(error)
  return error
}

const finals = new WeakSet<NanoBananaError>()

/** Marks an answer its provider documents as "repeating it fails the same way" (a retryable header saying false): nothing is repeated. */
export function markFinal<E extends NanoBananaError>(error: E): E {
  finals.add(error)
  return error
}

const THROW: Decision = { submit: 'throw', poll: 'throw', download: 'throw' }

/** A download answered with an HTTP status: only a server failure, a rate limit or a request timeout may clear. */
const transientHttp = (status: number | undefined) => status === undefined || status >= 500 || status === 429 || status === 408

type ErrorClass = abstract new (...args: never[]) => NanoBananaError

/** A row: the error classes it covers, and what they allow (a constant, or read from the error). */
type Rule = readonly [readonly ErrorClass[], Decision | ((error: NanoBananaError) => Decision)]

// First match wins. Each row says why: resending a submit is safe only when no task can exist.
const RULES: readonly Rule[] = [
  // The caller gave up, or the request may have reached the provider: nothing is repeated anywhere.
  [[AbortError, AmbiguousSubmitError, ExpiredResultError], THROW],
  [[AuthenticationError], { ...THROW, failover: 'authentication' }],
  // A spend limit does not clear in seconds: not resent, but another provider may serve it.
  [[InsufficientCreditsError], { ...THROW, failover: 'insufficient-credits' }],
  [[PermissionError], { ...THROW, failover: 'permission' }],
  [[RateLimitError], { submit: 'resend', poll: 'retry', download: 'retry', failover: 'rate-limited' }],
  // Refused on this machine before sending: the same request would be refused again, another provider's may not be.
  [[NotSentError], { ...THROW, failover: 'unreachable' }],
  // 503 (HTTP's "not now, nothing done") and a documented refusal code prove that no task exists: resent, and
  // another provider may serve it. Any other 5xx reached the provider after it read the request (500, 502,
  // 504, 520, 524...): a task may exist, so it is neither resent nor failed over. A poll or download may read again.
  [
    [ServerError],
    (e) => {
      const refused = e.status === 503 || refusals.has(e)
      return { submit: refused ? 'resend' : 'throw', poll: 'retry', download: 'retry', ...(refused ? { failover: 'unavailable' as const } : {}) }
    },
  ],
  // An upstream failure happened after the provider took the request (and is often the content itself).
  [[UpstreamError], { submit: 'throw', poll: 'retry', download: 'retry' }],
  // A submit throws ConnectionError only when the connection was never made (otherwise AmbiguousSubmitError).
  [[ConnectionError], (e) => ({ submit: 'resend', poll: 'retry', download: transientHttp(e.status) ? 'retry' : 'throw', failover: 'unreachable' })],
  // An unknown status word would only be read again; a body cut short may arrive whole next time.
  [
    [ResponseFormatError],
    (e) => ({
      submit: 'throw',
      poll: e.code === 'unknown_status' || e.code === 'redirect_refused' ? 'throw' : 'retry',
      download: e.code === 'truncated_image' ? 'retry' : 'throw',
    }),
  ],
  // Rejected locally (no HTTP status): the request does not fit this provider's capabilities; nothing was sent.
  [[InvalidRequestError], (e) => (e.status === undefined ? { ...THROW, failover: 'unsupported' } : THROW)],
]

/** What `error` allows next. Errors that are not the SDK's (a caller's callback threw) allow nothing. */
export function decide(error: unknown): Decision {
  if (!(error instanceof NanoBananaError)) return THROW
  const rule = RULES.find(([classes]) => classes.some((Class) => error instanceof Class))?.[1] ?? THROW
  const found = typeof rule === 'function' ? rule(error) : rule
  const decision = finals.has(error) ? { ...found, ...THROW } : found
  // Once a task id is known the task exists: never another provider.
  if (error.taskId !== undefined && decision.failover) {
    const { failover: _, ...rest } = decision
    return rest
  }
  return decision
}

/** True when `phase` may run again after `error`. */
export function mayRetry(error: unknown, phase: Phase): boolean {
  const decision = decide(error)
  return phase === 'submit' ? decision.submit === 'resend' : decision[phase] === 'retry'
}

/**
 * Why `error`, thrown by a submit, proves the provider did not accept the task; undefined when it does
 * not (or may have: a task id, AmbiguousSubmitError, a failed or timed-out task, an abort, a content
 * refusal, an unreadable 2xx answer). Such errors are thrown as they are: never another provider.
 */
export function failoverReason(error: unknown): FailoverReason | undefined {
  return decide(error).failover
}
