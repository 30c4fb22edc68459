import type { FailoverSkip, GenerateResult, ProviderId } from './types.js'

export interface ErrorDetails {
  provider?: ProviderId | undefined
  /** HTTP status, or the provider's JSON `code` when it signals errors inside a 200 body. */
  status?: number | undefined
  /** The provider's own error code (`insufficient_credits`, `402`, `content_policy_violation`...). */
  code?: string | undefined
  /** The provider's error type (`rate_limit_error`...). */
  type?: string | undefined
  /** The request field the provider blames. */
  param?: string | undefined
  /** The provider's advice (`retry after 60 seconds`, a billing link...). */
  suggestion?: string | undefined
  /** How long to wait before retrying, from `Retry-After` or the provider's suggestion. */
  retryAfterMs?: number | undefined
  /** The task id when the provider had accepted the task: resume with `wait(taskId)`. */
  taskId?: string | undefined
  /** The provider's response body, untouched. */
  body?: unknown
  cause?: unknown
}

/** The details every error carries, in the order `toJSON` lists them. */
const DETAILS = ['provider', 'status', 'code', 'type', 'param', 'suggestion', 'retryAfterMs', 'taskId', 'body'] as const satisfies readonly (keyof ErrorDetails)[]

/**
 * Base of every error this SDK throws. It never holds request headers, so an API key cannot reach
 * a log through it.
 */
export class NanoBananaError extends Error {
  override name = 'NanoBananaError'
  // Set by the constructor from DETAILS (one list for the fields and `toJSON`).
  declare readonly provider: ProviderId | undefined
  declare readonly status: number | undefined
  declare readonly code: string | undefined
  declare readonly type: string | undefined
  declare readonly param: string | undefined
  declare readonly suggestion: string | undefined
  declare readonly retryAfterMs: number | undefined
  declare taskId: string | undefined
  declare readonly body: unknown
  /** Failover clients only: the providers skipped before this error (they did not accept the task). */
  declare failover?: FailoverSkip[]
  /**
   * `n` requests to a synchronous provider (`repeatForN`) only: the requests that succeeded (paid) before this
   * error ended the call; their images are here, and `taskId` lists their ids (comma-separated).
   */
  declare partial?: GenerateResult

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    for (const key of DETAILS) (this as Record<string, unknown>)[key] = details[key]
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      ...Object.fromEntries(DETAILS.map((key) => [key, this[key]])),
      ...(this.failover ? { failover: this.failover } : {}),
    }
  }
}

/** The key is missing, invalid, expired or revoked (HTTP 401). */
export class AuthenticationError extends NanoBananaError {
  override name = 'AuthenticationError'
}
/** The key may not do this: model access, IP allowlist, disabled feature (403, or a provider's own code for it). */
export class PermissionError extends NanoBananaError {
  override name = 'PermissionError'
}
/** Not enough credits, or a spend limit reached (402, or a provider's spend-limit code). */
export class InsufficientCreditsError extends NanoBananaError {
  override name = 'InsufficientCreditsError'
}
/** Too many requests (429); `retryAfterMs` says when to come back. */
export class RateLimitError extends NanoBananaError {
  override name = 'RateLimitError'
}
/** The request is invalid (400, 413, 422), or was rejected locally before sending (`param` names the field). */
export class InvalidRequestError extends NanoBananaError {
  override name = 'InvalidRequestError'
}
/** An option the chosen provider/model does not support; `allowed` lists what it does. Nothing was sent. */
export class UnsupportedOptionError extends InvalidRequestError {
  override name = 'UnsupportedOptionError'
  constructor(
    message: string,
    readonly allowed: readonly (string | number)[],
    details: ErrorDetails = {},
  ) {
    super(message, details)
  }
}
/** Unknown model, task id or path (404). */
export class NotFoundError extends NanoBananaError {
  override name = 'NotFoundError'
}
/** The provider's safety filter refused the prompt or images. */
export class ContentPolicyError extends NanoBananaError {
  override name = 'ContentPolicyError'
  // A task that ran and was refused for its content is a TaskContentPolicyError, which is a
  // TaskFailedError (one catch for every failed task); `instanceof ContentPolicyError` holds for it too,
  // so one catch also covers every content refusal, at submit time or after.
  // biome-ignore lint/complexity/noThisInStatic: subclasses inherit this method; `this` is the class being tested against.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(this, value) || (this === ContentPolicyError && value instanceof TaskContentPolicyError)
  }
}
/** The upstream model service (Google, or the reseller's channel) failed (502, or a provider's upstream code). */
export class UpstreamError extends NanoBananaError {
  override name = 'UpstreamError'
}
/** The provider failed (500, 503, or a provider's maintenance code). */
export class ServerError extends NanoBananaError {
  override name = 'ServerError'
}
/** The task ran and failed at the provider (paid work is normally refunded). */
export class TaskFailedError extends NanoBananaError {
  override name = 'TaskFailedError'
}
/**
 * The task ran and the provider's safety filter refused it (a task id exists; paid work is normally
 * refunded). A TaskFailedError, and `instanceof ContentPolicyError` too; its `name` stays
 * `ContentPolicyError`. A refusal at submit time (no task) is a plain ContentPolicyError.
 */
export class TaskContentPolicyError extends TaskFailedError {
  override name = 'ContentPolicyError'
}
/** Waiting exceeded `timeoutMs`; the task may still finish: `wait(taskId)` resumes. */
export class TimeoutError extends NanoBananaError {
  override name = 'TimeoutError'
}
/** The caller's `AbortSignal` fired. */
export class AbortError extends NanoBananaError {
  override name = 'AbortError'
}
/** The network failed (refused, reset, DNS). */
export class ConnectionError extends NanoBananaError {
  override name = 'ConnectionError'
}
/** The provider answered with a body we cannot read (HTML page, malformed JSON, unknown status word). */
export class ResponseFormatError extends NanoBananaError {
  override name = 'ResponseFormatError'
}
/**
 * A submit may have reached the provider but we cannot tell whether it created a task (reset after
 * sending, timeout, unreadable 2xx). None of the providers documents an idempotency key, so it is
 * not retried: retrying could pay twice. Check the provider dashboard before submitting again.
 */
export class AmbiguousSubmitError extends NanoBananaError {
  override name = 'AmbiguousSubmitError'
}
/** A result URL expired (results are kept for a limited time). */
export class ExpiredResultError extends NanoBananaError {
  override name = 'ExpiredResultError'
}
/**
 * A synchronous provider answered without an image and without a content-policy reason (Google's
 * `NO_IMAGE`, a text-only answer, an empty `data`). Not resent: the request was answered, and may be billed.
 */
export class NoImageError extends NanoBananaError {
  override name = 'NoImageError'
}
/** The provider's API has no such operation (no cancel; `getTask` on a synchronous provider, whose answers have no task to query). Nothing was sent. */
export class UnsupportedOperationError extends NanoBananaError {
  override name = 'UnsupportedOperationError'
}
/**
 * The request was refused on this machine before a byte left: a header the runtime will not send, an
 * auth or header function that threw, a custom `fetch` that threw a NotSentError. No task can exist, so
 * a failover client may try the next provider; it is not resent (it would be refused the same way).
 * A custom `fetch` may throw one to say "I did not send this".
 */
export class NotSentError extends NanoBananaError {
  override name = 'NotSentError'
}
/** The client cannot be built: missing API key or base URL. Nothing was sent. */
export class ConfigurationError extends NanoBananaError {
  override name = 'ConfigurationError'
}

/** `Retry-After` (seconds or HTTP date) or a provider hint such as "retry after 60 seconds". */
export function parseRetryAfter(headers: Headers | undefined, suggestion?: string): number | undefined {
  const header = headers?.get('retry-after')
  if (header) {
    const seconds = Number(header)
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
    const date = Date.parse(header)
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now())
  }
  const match = suggestion ? /retry after (\d+(?:\.\d+)?) ?s/i.exec(suggestion) : null
  return match ? Number(match[1]) * 1000 : undefined
}

export type ErrorClass = new (message: string, details?: ErrorDetails) => NanoBananaError

const BY_STATUS: Readonly<Record<number, ErrorClass>> = {
  400: InvalidRequestError,
  401: AuthenticationError,
  402: InsufficientCreditsError,
  403: PermissionError,
  404: NotFoundError,
  413: InvalidRequestError,
  422: InvalidRequestError,
  429: RateLimitError,
  502: UpstreamError,
}

/** The class for an HTTP status, shared by every provider; a definition refines it by its own codes and statuses. */
export function errorClassForStatus(status: number | undefined): ErrorClass {
  if (status === undefined) return NanoBananaError
  return (Object.hasOwn(BY_STATUS, status) ? BY_STATUS[status] : undefined) ?? (status >= 500 ? ServerError : NanoBananaError)
}

/** Builds the normalized error for a provider's error answer. */
export function createApiError(details: ErrorDetails & { message?: string | undefined }, ErrorType: ErrorClass): NanoBananaError {
  const where = details.provider ? `${details.provider}: ` : ''
  const what = details.message || `HTTP ${details.status ?? '?'}`
  const code = details.code && !what.includes(details.code) ? ` (${details.code})` : ''
  return new ErrorType(`${where}${what}${code}`, details)
}

const MIN_SECRET_LENGTH = 6
/** Deeper than this a value is replaced, not searched: a hostile body must not overflow the stack. */
const MAX_DEPTH = 200
const TOO_DEEP = '[redacted: nested too deeply]'

function scrubText(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]')
  return out
}

function hasSecret(text: string, secrets: readonly string[]): boolean {
  for (let i = 0; i < secrets.length; i++) if (text.includes(secrets[i]!)) return true
  return false
}

/** A copy without the secrets (a header named by one is dropped), or the same Headers when they hold none. */
function scrubHeaders(headers: Headers, secrets: readonly string[]): Headers {
  let dirty = false
  const clean = new Headers()
  headers.forEach((value, name) => {
    const cleanValue = scrubText(value, secrets)
    if (hasSecret(name, secrets)) dirty = true
    else {
      if (cleanValue !== value) dirty = true
      clean.append(name, cleanValue)
    }
  })
  return dirty ? clean : headers
}

interface Scrub {
  secrets: readonly string[]
  seen: Set<object>
}

/** Rewrites an error's own properties and its `cause` in place (errors are not copied: their identity matters). */
function scrubError(error: Error, ctx: Scrub, depth: number): void {
  const target = error as Error & Record<string, unknown>
  for (const key of [...Object.getOwnPropertyNames(target), ...(Object.hasOwn(target, 'cause') ? [] : ['cause'])]) {
    const descriptor = Object.getOwnPropertyDescriptor(target, key)
    if (!descriptor && key !== 'cause') continue
    try {
      const value = descriptor && 'value' in descriptor ? (descriptor.value as unknown) : key === 'stack' ? target.stack : key === 'cause' ? target.cause : undefined
      const clean = scrubAny(value, ctx, depth + 1)
      if (clean !== value) target[key] = clean
    } catch {
      // A read-only or exotic property: nothing we can rewrite.
    }
  }
}

/**
 * A copy of `value` without the secrets (the same value when it holds none): strings, arrays, plain
 * objects, errors (rewritten in place), and the web objects a cause may hold: Headers (copied without
 * the secret), Response and Request (replaced by a plain summary when their URL or headers hold one),
 * URL. Other objects are left as they are.
 */
function scrubAny(value: unknown, ctx: Scrub, depth: number): unknown {
  if (typeof value === 'string') return scrubText(value, ctx.secrets)
  if (!value || typeof value !== 'object') return value
  if (depth > MAX_DEPTH) return TOO_DEEP
  if (ctx.seen.has(value)) return value
  ctx.seen.add(value)
  const proto = Object.getPrototypeOf(value) as unknown
  // Plain data (an answer's JSON, a result) first: it needs none of the class checks below.
  if (proto === Object.prototype || proto === null) return scrubRecord(value as Record<string, unknown>, ctx, depth)
  if (value instanceof Error) {
    scrubError(value, ctx, depth)
    return value
  }
  if (Array.isArray(value)) {
    // Copied only from the first item that changes: a clean answer (the usual case) allocates nothing.
    let items: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      const clean = scrubAny(item, ctx, depth + 1)
      if (clean !== item) (items ??= value.slice())[i] = clean
    }
    return items ?? value
  }
  if (value instanceof URL) return hasSecret(value.href, ctx.secrets) ? scrubText(value.href, ctx.secrets) : value
  // By tag, not instanceof: a custom fetch (undici's own, node-fetch) answers with classes of its own copy.
  const tag = Object.prototype.toString.call(value)
  if (tag === '[object Headers]') return scrubHeaders(value as Headers, ctx.secrets)
  if (tag === '[object Response]' || tag === '[object Request]') {
    const message = value as Response | Request
    const headers = scrubHeaders(message.headers, ctx.secrets)
    if (headers === message.headers && !hasSecret(message.url, ctx.secrets)) return value
    return {
      ...(tag === '[object Response]' ? { status: (value as Response).status, statusText: (value as Response).statusText } : { method: (value as Request).method }),
      url: scrubText(message.url, ctx.secrets),
      headers,
    }
  }
  return value
}

/** A plain object without the secrets in its keys and values: copied only from the first one that changes. */
function scrubRecord(value: Record<string, unknown>, ctx: Scrub, depth: number): unknown {
  const keys = Object.keys(value)
  let clean: [string, unknown][] | undefined
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!
    const item = value[key]
    const cleanKey = scrubText(key, ctx.secrets)
    const cleanItem = scrubAny(item, ctx, depth + 1)
    if (clean) clean.push([cleanKey, cleanItem])
    else if (cleanKey !== key || cleanItem !== item) {
      // The keys before this one were clean: copied as they are.
      clean = keys.slice(0, i).map((k) => [k, value[k]])
      clean.push([cleanKey, cleanItem])
    }
  }
  return clean ? Object.fromEntries(clean) : value
}

const secretList = (secrets: readonly (string | undefined)[]) => secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH)

/**
 * Removes secrets (the API key, custom header values) from an error before it leaves the client: the
 * message, the stack, every property, the provider's body (a provider may echo the key it refused), and
 * the whole `cause` chain at any depth, Headers and Responses included. The one choke point every
 * public client method throws through.
 */
export function redactSecrets<T>(error: T, secrets: readonly (string | undefined)[]): T {
  return scrubWith(error, secretList(secrets))
}

function scrubWith<T>(error: T, list: readonly string[]): T {
  if (list.length === 0) return error
  const ctx: Scrub = { secrets: list, seen: new Set() }
  if (error instanceof Error) {
    scrubError(error, ctx, 0)
    return error
  }
  return scrubAny(error, ctx, 0) as T
}

/**
 * A result (submission, task, generate result) without the secrets in its data: `raw`, result URLs and
 * any other string. Functions (`download`) and class instances (`Date`) are kept as they are.
 */
export function redactResult<T>(value: T, secrets: readonly (string | undefined)[]): T {
  return cleanWith(value, secretList(secrets))
}

function cleanWith<T>(value: T, list: readonly string[]): T {
  if (list.length === 0 || !value || typeof value !== 'object') return value
  // A clean result (the usual case) is proven clean by one walk without the copy machinery; scrubAny
  // would return it as it is. Anything else (a secret, a class instance, great depth) gets the full scrub.
  if (isCleanData(value, list, 0)) return value
  return scrubAny(value, { secrets: list, seen: new Set() }, 0) as T
}

/**
 * redactResult and redactSecrets of one client's secrets, listed once: the list lives as long as the
 * client that holds the secrets anyway, and a call allocates none.
 */
export function redactorOf(secrets: readonly (string | undefined)[]): { result<T>(value: T): T; error<T>(error: T): T } {
  const list = secretList(secrets)
  return { result: (value) => cleanWith(value, list), error: (error) => scrubWith(error, list) }
}

/**
 * True only when `value` is plain data (strings, primitives, functions, plain objects and arrays) within
 * MAX_DEPTH in which no key or string holds a secret: exactly the values scrubAny returns unchanged.
 * Depth bounds the walk, so a cycle ends it as "not proven" and goes to the scrub (which tracks `seen`).
 */
function isCleanData(value: unknown, secrets: readonly string[], depth: number): boolean {
  if (typeof value === 'string') return !hasSecret(value, secrets)
  if (!value || typeof value !== 'object') return true
  if (depth > MAX_DEPTH) return false
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false
    for (let i = 0; i < value.length; i++) if (!isCleanData(value[i], secrets, depth + 1)) return false
    return true
  }
  const proto = Object.getPrototypeOf(value) as unknown
  if (proto !== Object.prototype && proto !== null) return false
  // for-in, not Object.keys: no key array per object. It also visits inherited enumerable keys (a polluted
  // prototype), which can only make the walk stricter (not proven clean: the full scrub decides).
  for (const key in value) {
    if (hasSecret(key, secrets) || !isCleanData((value as Record<string, unknown>)[key], secrets, depth + 1)) return false
  }
  return true
}
