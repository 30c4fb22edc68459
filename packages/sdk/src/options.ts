// Numeric options of the public entry points, checked before anything is sent: a NaN timeout means no
// deadline, a NaN delay a poll loop at timer speed, a negative timeout a task paid for and dropped.
// Each check names the option; `Infinity` is accepted only where it means "no limit".
import { InvalidRequestError } from './errors.js'
import type { ProviderId } from './types.js'

/** Node, browsers and workerd fire a timer with a longer delay at once (it overflows 32 bits). */
const MAX_TIMER_MS = 2 ** 31 - 1

export interface NumberRule {
  /** `Infinity` means "no limit" here. */
  infinite?: boolean
  integer?: boolean
  /** Smallest allowed value (inclusive). */
  min: number
  /** The value is (or bounds) a timer delay: at most 2^31-1 ms. */
  timer?: boolean
}

/** Throws InvalidRequestError naming `name` unless `value` (when set) is a number the rule allows. */
export function checkNumber(name: string, value: unknown, rule: NumberRule, provider?: ProviderId): void {
  if (value === undefined) return
  const fail = (why: string): never => {
    throw new InvalidRequestError(
      `${provider ? `${provider}: ` : ''}${name} must be ${why}, got ${typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? typeof value)}`,
      {
        provider,
        param: name,
        code: 'invalid_option',
      },
    )
  }
  const what = `${rule.integer ? 'an integer' : 'a number'} >= ${rule.min}${rule.timer ? ` and <= ${MAX_TIMER_MS}` : ''}${rule.infinite ? ' (or Infinity)' : ''}`
  if (typeof value !== 'number' || Number.isNaN(value)) fail(what)
  const n = value as number
  if (n === Infinity && rule.infinite) return
  if (!Number.isFinite(n) || n < rule.min || (rule.integer && !Number.isInteger(n)) || (rule.timer && n > MAX_TIMER_MS)) fail(what)
}

const DURATION: NumberRule = { min: 1, timer: true }
const DELAY: NumberRule = { min: 0, timer: true }
const RETRY_FIELDS: Record<string, NumberRule> = {
  maxRetries: { min: 0, integer: true, infinite: true },
  baseDelayMs: DELAY,
  maxDelayMs: DELAY,
  maxRetryAfterMs: DELAY,
}
const POLLING_FIELDS: Record<string, NumberRule> = {
  initialDelayMs: DELAY,
  // Zero would poll at timer speed.
  minDelayMs: DURATION,
  maxDelayMs: DURATION,
  elapsedFactor: { min: 0 },
  callbackSafetyNetMs: DURATION,
}

function checkGroup(prefix: string, group: unknown, fields: Record<string, NumberRule>, provider?: ProviderId): void {
  if (group === undefined) return
  if (group === null || typeof group !== 'object') {
    throw new InvalidRequestError(`${prefix} must be an object`, { provider, param: prefix, code: 'invalid_option' })
  }
  for (const [key, rule] of Object.entries(fields)) checkNumber(`${prefix}.${key}`, (group as Record<string, unknown>)[key], rule, provider)
}

/** What the client options hold that is a number. */
export interface NumericClientOptions {
  timeoutMs?: number | undefined
  requestTimeoutMs?: number | undefined
  maxResponseBytes?: number | undefined
  maxConcurrency?: number | undefined
  retry?: { submit?: object; poll?: object; download?: object } | undefined
  polling?: object | undefined
}

/** Checks every numeric option of `createNanoBanana` (and of a failover entry). */
export function checkClientOptions(options: NumericClientOptions, provider?: ProviderId): void {
  // A wait may be unbounded; one HTTP request may not.
  checkNumber('timeoutMs', options.timeoutMs, { min: 1, infinite: true }, provider)
  checkNumber('requestTimeoutMs', options.requestTimeoutMs, DURATION, provider)
  checkNumber('maxResponseBytes', options.maxResponseBytes, { min: 1, integer: true }, provider)
  checkNumber('maxConcurrency', options.maxConcurrency, { min: 1, integer: true, infinite: true }, provider)
  if (options.retry !== undefined) {
    checkGroup('retry', options.retry, {}, provider)
    for (const phase of ['submit', 'poll', 'download'] as const) checkGroup(`retry.${phase}`, options.retry[phase], RETRY_FIELDS, provider)
  }
  checkGroup('polling', options.polling, POLLING_FIELDS, provider)
  const polling = options.polling as { minDelayMs?: number; maxDelayMs?: number } | undefined
  if (polling?.minDelayMs !== undefined && polling.maxDelayMs !== undefined && polling.minDelayMs > polling.maxDelayMs) {
    throw new InvalidRequestError(`polling.minDelayMs (${polling.minDelayMs}) must not exceed polling.maxDelayMs (${polling.maxDelayMs})`, {
      provider,
      param: 'polling.minDelayMs',
      code: 'invalid_option',
    })
  }
}

/** Checks the numeric options of one `wait()` / `generate()` call. */
export function checkWaitOptions(options: { timeoutMs?: unknown; estimatedSeconds?: unknown; startedAt?: unknown } | undefined, provider?: ProviderId): void {
  if (!options) return
  checkNumber('timeoutMs', options.timeoutMs, { min: 1, infinite: true }, provider)
  checkNumber('estimatedSeconds', options.estimatedSeconds, { min: 0 }, provider)
  checkNumber('startedAt', options.startedAt, { min: 0 }, provider)
}

/** Checks the options of one `download()`. */
export function checkDownloadOptions(options: { maxBytes?: unknown; timeoutMs?: unknown } | undefined, provider?: ProviderId): void {
  if (!options) return
  checkNumber('maxBytes', options.maxBytes, { min: 1, integer: true }, provider)
  checkNumber('timeoutMs', options.timeoutMs, DURATION, provider)
}
