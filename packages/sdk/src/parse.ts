// Defensive readers for provider bodies: a provider may send anything, and a parser must answer
// with a value or undefined, never a TypeError.
import { ResponseFormatError } from './errors.js'
import type { ProviderId, TaskStatus } from './types.js'

export type Json = Record<string, unknown>

export const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

export const record = (value: unknown): Json => (isRecord(value) ? value : {})

export const str = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined

export const num = (value: unknown): number | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value)
    return Number.isFinite(parsed) ? parsed : undefined
  }
  return undefined
}

/**
 * `"100%"`, `55`, `"0.5"` -> 0..1; anything else -> undefined. Numbers above 1 are percentages; with
 * `percent` (a provider documenting an integer 0-100) every number is, so that 1 means 1 %, not 100 %.
 */
export function progressOf(value: unknown, percent = false): number | undefined {
  const text = typeof value === 'string' ? value.trim().replace(/%$/, '') : value
  const n = num(text)
  if (n === undefined || n < 0) return undefined
  const fraction = percent || (typeof value === 'string' && value.trim().endsWith('%')) || n > 1 ? n / 100 : n
  return Math.min(1, fraction)
}

export const urls = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((u): u is string => typeof u === 'string' && u.length > 0) : typeof value === 'string' && value ? [value] : []

/** Reads a provider's status word into the normalized status; an unknown word is an error, not a task that never ends. */
export type StatusReader = (word: unknown, body: unknown) => TaskStatus

/**
 * Refuses (Error) a status table in which two words differ only in case and mean different things: statusReader
 * matches words case-insensitively, so such a table is ambiguous. Codegen refuses such a spec, and defineProvider
 * such a meta (checkDefinition), so the reader itself does not carry the check.
 */
export function checkStatusWords(provider: ProviderId, table: Readonly<Record<string, TaskStatus>>): void {
  const byWord = new Map<string, TaskStatus>()
  for (const [word, status] of Object.entries(table)) {
    const key = word.toLowerCase()
    if (byWord.has(key) && byWord.get(key) !== status) throw new Error(`${provider}: the status words ${key} differ only in case but mean different things`)
    byWord.set(key, status)
  }
}

/**
 * The reader of one provider's status table (checkStatusWords proves it unambiguous). Words match case-insensitively,
 * whichever case the spec writes them in (`pending`, `IN_QUEUE`): the table is lowercased once, here, and every word
 * read is lowercased the same way.
 */
export function statusReader(provider: ProviderId, table: Readonly<Record<string, TaskStatus>>): StatusReader {
  const byWord = new Map<string, TaskStatus>()
  for (const [word, status] of Object.entries(table)) byWord.set(word.toLowerCase(), status)
  const known = Object.keys(table).join(', ')
  return (word, body) => {
    const status = typeof word === 'string' ? byWord.get(word.toLowerCase()) : undefined
    if (!status) {
      throw new ResponseFormatError(
        `${provider}: unknown task status ${JSON.stringify(word)?.slice(0, 60) ?? String(word)} (known: ${known})`,
        // `unknown_status` marks it as permanent: polling again would only read the same word.
        { provider, body, code: 'unknown_status' },
      )
    }
    return status
  }
}
