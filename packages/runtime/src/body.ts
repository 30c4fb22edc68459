import { readStreamCapped } from './read-capped.js'
import { ResponseParseError, ResponseTooLargeError } from './errors.js'
import type { OnHeaders } from './types.js'

/** FormData for multipart operations: arrays become repeated fields, objects JSON. */
export const formDataBodySerializer = {
  bodySerializer(body: unknown): FormData {
    const data = new FormData()
    for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
      if (value === undefined || value === null) continue
      for (const item of Array.isArray(value) ? value : [value]) {
        data.append(key, typeof item === 'string' || item instanceof Blob ? item : JSON.stringify(item))
      }
    }
    return data
  },
}

export const jsonBodySerializer = {
  bodySerializer: (body: unknown): string => JSON.stringify(body),
}

/** Default cap of one API answer: task answers are a few KiB; anything near this is not a task. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024

/** One decoder for every answer: `decode()` without `stream` keeps no state between calls. */
const utf8 = new TextDecoder()

/**
 * True for the common answer, a 2xx declared as JSON with a Content-Length within `maxBytes` and no `onHeaders`:
 * `response.json()` reads it whole (HTTP/1.1 reads no more than the declared length). Synchronous, so that a
 * caller awaits `json()` itself, with no async step of readBody's in between.
 */
export function jsonAtOnce(response: Response, maxBytes: number, onHeaders: OnHeaders | undefined): boolean {
  if (onHeaders || !response.ok) return false
  const status = response.status
  if (status === 204 || status === 205) return false
  const length = response.headers.get('content-length')
  if (length === null || length === '0' || isEncoded(response)) return false
  return Number(length) <= maxBytes && (response.headers.get('content-type') ?? '').includes('json')
}

/**
 * A compressed answer's Content-Length counts the compressed bytes, while fetch hands over the decompressed
 * ones: that length bounds nothing, so such a body is counted as it arrives (a small gzip can inflate past any cap).
 */
const isEncoded = (response: Response): boolean => {
  const encoding = response.headers.get('content-encoding')
  return encoding !== null && encoding !== '' && encoding.toLowerCase() !== 'identity'
}

/**
 * True when the answer is read as a stream (cancellable by `onHeaders`, or of no declared length) and its
 * declared length, if any, is within `maxBytes`: readStreamCapped reads it and fromText judges it.
 */
export function streamedAtOnce(response: Response, maxBytes: number, onHeaders: OnHeaders | undefined): boolean {
  const status = response.status
  if (status === 204 || status === 205 || !response.body) return false
  const length = response.headers.get('content-length')
  if (length === null) return true
  return onHeaders !== undefined && length !== '0' && Number(length) <= maxBytes
}

/** Bytes of a body as text (one decoder for every answer). */
export const decoded = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : utf8.decode(bytes))

/** What a body that `json()` could not parse is thrown as (see jsonAtOnce). */
export const unparsedJson = (response: Response, cause: unknown): ResponseParseError => new ResponseParseError(response, '', { cause })

/**
 * Reads a body as JSON when it claims to be JSON or looks like it; empty bodies are undefined. A 2xx
 * body over `maxBytes` is ResponseTooLargeError; an error answer over it is read as having no body
 * (its status still says what happened). With `onHeaders` (see RequestOptions.onHeaders) the body is
 * read through a reader of its own, which that hook can cancel.
 */
export async function readBody(response: Response, maxBytes: number = DEFAULT_MAX_RESPONSE_BYTES, onHeaders?: OnHeaders): Promise<unknown> {
  // The common case: `json()` is measurably cheaper than `text()` + parse.
  if (jsonAtOnce(response, maxBytes, onHeaders)) {
    try {
      return (await response.json()) as unknown
    } catch (cause) {
      throw unparsedJson(response, cause)
    }
  }
  const status = response.status
  if (status === 204 || status === 205) return undefined
  // The rarer answers: each header read costs a lookup in the runtime's Headers, so these are read once here.
  const length = response.headers.get('content-length')
  if (length === '0') return undefined
  const declared = length === null ? Number.NaN : Number(length)
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined)
    if (response.ok) throw new ResponseTooLargeError(response, maxBytes)
    return undefined
  }
  // A declared Content-Length is what HTTP/1.1 reads at most, so within the cap the runtime's own readers
  // are used (unless the read must be cancellable, or the body is compressed); a chunked body is counted as it arrives.
  const bounded = Number.isFinite(declared) && !onHeaders && !isEncoded(response)
  // Read here rather than in a helper: one async step less per answer. Over `maxBytes` the stream is cancelled (no more of it is downloaded).
  let text: string | undefined
  if (bounded) text = await response.text()
  else {
    const bytes = response.body ? await readStreamCapped(response.body, maxBytes, onHeaders) : new Uint8Array(await response.arrayBuffer())
    text = decoded(bytes)
  }
  return fromText(response, text, maxBytes)
}

/**
 * A body read whole, as readBody answers it: `undefined` text (over `maxBytes`) is ResponseTooLargeError for a
 * 2xx, no body for an error answer; JSON (declared, or what it looks like) is parsed.
 */
export function fromText(response: Response, text: string | undefined, maxBytes: number): unknown {
  if (text === undefined) {
    if (response.ok) throw new ResponseTooLargeError(response, maxBytes)
    return undefined
  }
  if (text.length === 0) return undefined
  const looksJson = (response.headers.get('content-type') ?? '').includes('json') || /^\s*[[{"]/.test(text)
  if (!looksJson) {
    // A 2xx that is not JSON is a broken answer; an error page (HTML from a proxy) is kept as text.
    if (response.ok) throw new ResponseParseError(response, text.slice(0, 500))
    return text
  }
  try {
    return JSON.parse(text) as unknown
  } catch (cause) {
    if (response.ok) throw new ResponseParseError(response, text.slice(0, 500), { cause })
    return text
  }
}
