// Small helpers the provider definitions share: error building from any body, warnings for options a
// model has no field for, and a guard so that a parser answers with an error instead of throwing.
import type { ModelCapabilities } from './adapter.js'
import {
  AmbiguousSubmitError,
  ContentPolicyError,
  TaskContentPolicyError,
  createApiError,
  errorClassForStatus,
  InvalidRequestError,
  type ErrorClass,
  NanoBananaError,
  parseRetryAfter,
  ResponseFormatError,
  TaskFailedError,
  UpstreamError,
} from './errors.js'
import { isRecord, num, record, str, type Json } from './parse.js'
import type { AspectRatio, GenerateRequest, ProviderId, Task, Warning } from './types.js'
import { CONTENT_POLICY } from './failures.js'
import { markFinal, markRefused } from './policy.js'

export type { ErrorClass } from './errors.js'

/**
 * Per-provider tables that pick the error class: by the provider's code, then its own statuses (a JSON
 * code with a documented meaning), then the shared HTTP status table, then the error type.
 */
export interface ErrorTables {
  byCode?: Readonly<Record<string, ErrorClass>>
  byStatus?: Readonly<Record<number, ErrorClass>>
  byType?: Readonly<Record<string, ErrorClass>>
  /** Statuses the provider documents as "refused, nothing was created" (maintenance...): a submit may be resent. */
  refusedStatuses?: readonly number[]
  /**
   * A response header in which the provider says whether repeating the request may succeed: `true` marks the
   * answer refused (a submit may be resent), `false` final (nothing is repeated, whatever the status).
   */
  retryableHeader?: string
}

/** What a provider's error envelope said, read defensively. */
export interface ErrorFields {
  code?: string | undefined
  type?: string | undefined
  message?: string | undefined
  param?: string | undefined
  suggestion?: string | undefined
  /** How long the provider asks to wait (e.g. Google's `RetryInfo.retryDelay`); `Retry-After` is read from the headers otherwise. */
  retryAfterMs?: number | undefined
}

const lookup = (table: Readonly<Record<string, ErrorClass>> | undefined, key: string | undefined): ErrorClass | undefined =>
  table && key !== undefined && Object.hasOwn(table, key.toLowerCase()) ? table[key.toLowerCase()] : undefined

/** A readable line from a body that is not the provider's JSON envelope (an HTML error page, plain text). */
export function describeBody(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]
  const text = (title ?? body.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim()
  return text ? text.slice(0, 200) : undefined
}

/**
 * Builds the normalized error of one provider answer. `status` is the HTTP status, or the JSON code
 * when the provider reports failures inside a 2xx body. Never throws, whatever the body is.
 */
export function buildError(
  provider: ProviderId,
  status: number | undefined,
  headers: Headers | undefined,
  body: unknown,
  fields: ErrorFields,
  tables: ErrorTables = {},
): NanoBananaError {
  const own = status !== undefined && tables.byStatus && Object.hasOwn(tables.byStatus, status) ? tables.byStatus[status] : undefined
  const byStatus = own ?? errorClassForStatus(status)
  let Class: ErrorClass =
    lookup(tables.byCode, fields.code) ?? (byStatus !== NanoBananaError ? byStatus : undefined) ?? lookup(tables.byType, fields.type) ?? NanoBananaError
  const message = fields.message ?? describeBody(body)
  // Providers report a safety refusal as a bad request or an upstream error; say what it is.
  // A failed task refused for its content stays a TaskFailedError (TaskContentPolicyError).
  if (
    (Class === InvalidRequestError || Class === UpstreamError || Class === TaskFailedError || Class === NanoBananaError) &&
    CONTENT_POLICY.test(`${fields.code ?? ''} ${message ?? ''}`)
  ) {
    Class = Class === TaskFailedError ? TaskContentPolicyError : ContentPolicyError
  }
  const retryAfterMs = fields.retryAfterMs ?? parseRetryAfter(headers, `${fields.suggestion ?? ''} ${message ?? ''}`)
  const error = createApiError(
    {
      provider,
      status,
      code: fields.code,
      type: fields.type,
      param: fields.param,
      suggestion: fields.suggestion,
      retryAfterMs,
      body,
      message: message ?? (status !== undefined ? `HTTP ${status}` : 'unreadable error answer'),
    },
    Class,
  )
  const retryable = tables.retryableHeader ? headers?.get(tables.retryableHeader)?.trim().toLowerCase() : undefined
  if (retryable === 'false') return markFinal(error)
  if (retryable === 'true') return markRefused(error)
  // A documented refusal counts only in the provider's own envelope: the same status on a proxy's page proves nothing.
  const envelope = body !== null && typeof body === 'object' && !Array.isArray(body)
  return status !== undefined && envelope && tables.refusedStatuses?.includes(status) ? markRefused(error) : error
}

/**
 * The path (and query) of a URL an answer hands back, relative to the client's base URL, when it is on the
 * same origin and below the base path; undefined otherwise, so that the key is never sent to another host.
 */
export function sameOriginPath(baseUrl: string | undefined, candidate: unknown): string | undefined {
  if (typeof candidate !== 'string' || !baseUrl) return undefined
  let base: URL
  let target: URL
  try {
    base = new URL(baseUrl)
    target = new URL(candidate)
  } catch {
    return undefined
  }
  if (target.origin !== base.origin || target.username || target.password) return undefined
  const prefix = base.pathname.replace(/\/+$/, '')
  if (prefix && target.pathname !== prefix && !target.pathname.startsWith(`${prefix}/`)) return undefined
  const rest = target.pathname.slice(prefix.length)
  // A dot segment could climb out of the base path once resolved again.
  if (!rest.startsWith('/') || /(^|\/)\.\.?(\/|$)/.test(rest)) return undefined
  return `${rest}${target.search}`
}

/** The first of `keys` that `value` has as a string (or a number). */
export const firstStr = (value: Json | undefined, keys: readonly string[]): string | undefined => {
  for (const key of keys) {
    const found = str(value?.[key])
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * The OpenAI-style error envelope `{error: {code, type, message, param}}` (or those fields at the top level):
 * the message under the first of `messageKeys` present, the suggestion under `suggestionKey` where the provider has one.
 */
export function errorEnvelope(body: unknown, messageKeys: readonly string[] = ['message'], suggestionKey?: string): ErrorFields {
  const fields = isRecord(body) && isRecord(body.error) ? body.error : record(body)
  const read: ErrorFields = { code: str(fields.code), type: str(fields.type), message: firstStr(fields, messageKeys), param: str(fields.param) }
  if (suggestionKey) read.suggestion = str(fields[suggestionKey])
  return read
}

/** Runs a parser; any throw (a ResponseFormatError, or a TypeError on a body of the wrong shape) becomes a returned error. */
export function guard<T>(provider: ProviderId, body: unknown, parse: () => T | NanoBananaError): T | NanoBananaError {
  try {
    return parse()
  } catch (error) {
    if (error instanceof NanoBananaError) return error
    return new ResponseFormatError(`${provider}: unreadable answer: ${error instanceof Error ? error.message : String(error)}`, {
      provider,
      body,
      cause: error,
    })
  }
}

/** A 2xx create answer without a readable task id: a task may exist, so it must not be resent. */
export function missingTaskId(provider: ProviderId, body: unknown, response?: Response): AmbiguousSubmitError {
  return new AmbiguousSubmitError(
    `${provider}: the provider accepted the request but its answer carries no task id; a task may have been created. Check the provider dashboard before submitting again.`,
    { provider, status: response?.status, body },
  )
}

/** The answer is not a task (no id or no status). */
export function notATask(provider: ProviderId, body: unknown, what: string): ResponseFormatError {
  return new ResponseFormatError(`${provider}: the task answer has no ${what}`, { provider, body })
}

/** Reads a task's failure reason: `{code, message}`, a plain string, or nothing. */
export function taskErrorOf(value: unknown): Task['error'] {
  if (typeof value === 'string' && value) return { message: value }
  if (!isRecord(value)) return undefined
  const error = compact({ code: str(value.code), message: str(value.message) ?? str(value.msg) })
  return error.code !== undefined || error.message !== undefined ? error : undefined
}

/** Leaves out undefined fields so that a normalized task prints and compares cleanly. */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key]
    if (item !== undefined) out[key] = item
  }
  return out as T
}

/**
 * Warnings for options the model has no field for (`notSent`): validation already checked the value
 * is the one the model always produces, so nothing is lost, but the caller learns it was not sent.
 */
export function notSentWarnings(request: GenerateRequest, model: ModelCapabilities): Warning[] {
  const warnings: Warning[] = []
  for (const option of model.notSent ?? []) {
    const value = request[option]
    if (value === undefined) continue
    warnings.push({
      type: 'ignored-option',
      option,
      message: `${model.id} has no ${option} option; it always produces ${JSON.stringify(value)}, so the value was not sent`,
    })
  }
  return warnings
}

/** True when the model takes the option on the wire. */
export const sends = (model: ModelCapabilities, option: 'resolution' | 'outputFormat' | 'n'): boolean => !model.notSent?.includes(option)

/** A numeric JSON code (`200`, `"455"`), or undefined. */
export const codeOf = (value: unknown): number | undefined => {
  const n = num(value)
  return n !== undefined && Number.isInteger(n) ? n : undefined
}

/** The ten ratios Google's image models take: a fallback for a model whose ratio field has no enum. */
export const GOOGLE_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const satisfies readonly AspectRatio[]
/** The extreme ratios Nano Banana 2 (Google's 3.1 Flash Image model) adds. */
export const EXTREME_RATIOS = ['1:4', '4:1', '1:8', '8:1'] as const satisfies readonly AspectRatio[]
