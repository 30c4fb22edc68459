// One envelope that more than one provider wraps every answer in (two providers document the same one):
// `{code, msg|message, data}`, a failure possibly delivered as HTTP 200 with a non-200 JSON `code`, and the JSON
// codes 455 (maintenance: nothing created), 501 (generation failed) and 505 (feature disabled) carrying their
// documented meaning whatever the HTTP status. What differs between them (how a bare task is recognized, the
// task id's key, which message key is read first) is the provider's `CodeEnvelope`.
import { codeOf, firstStr, type ErrorTables } from '../adapter-kit.js'
import type { ProviderDefinition, ReaderKit } from '../define-provider.js'
import { NanoBananaError, PermissionError, ServerError, TaskFailedError } from '../errors.js'
import { isRecord, record, str, type Json } from '../parse.js'

export interface CodeEnvelope {
  /** A bare task (a callback body, or the `data` of a failed task's envelope). */
  isTask(value: unknown): boolean
  /** The keys the task id may come under, in the order they are read. */
  idKeys: readonly string[]
  /** The keys of the envelope's message, in the order they are read. */
  messageKeys: readonly string[]
}

const ERRORS: ErrorTables = { byStatus: { 455: ServerError, 501: TaskFailedError, 505: PermissionError }, refusedStatuses: [455] }

/**
 * Unwraps `{code, msg, data}`: the data of a 200 code; a non-200 code is the mapped error, except an envelope
 * whose `data` is a task (a callback's `{code: 501, data: <failed task>}`: the task says more). A bare task, or
 * a body without an envelope, passes through (then no task id is found: ambiguous, never an error).
 */
export function unwrapCode(envelope: CodeEnvelope, body: unknown, response: Response | undefined, kit: ReaderKit): Json | NanoBananaError | undefined {
  if (!isRecord(body)) return undefined
  if (envelope.isTask(body) || !('code' in body)) return body
  if (codeOf(body.code) !== 200) return envelope.isTask(body.data) ? record(body.data) : kit.error(response?.status ?? 200, body, response?.headers)
  return isRecord(body.data) ? body.data : undefined
}

/** The definition's error table, error reader and submit reader for a provider of this envelope. */
export function codeEnvelope(envelope: CodeEnvelope): Pick<ProviderDefinition, 'errors' | 'readError' | 'readSubmit'> {
  return {
    errors: ERRORS,
    readError(_status, body) {
      const fields = record(body)
      const jsonCode = codeOf(fields.code)
      return {
        // The JSON code stands for the HTTP status when it says more than 200.
        status: jsonCode !== 200 ? jsonCode : undefined,
        code: jsonCode !== undefined ? String(jsonCode) : str(fields.code),
        message: firstStr(fields, envelope.messageKeys),
      }
    },
    readSubmit(data, response, kit) {
      const inner = unwrapCode(envelope, data, response, kit)
      if (inner instanceof NanoBananaError) return inner
      const taskId = firstStr(inner, envelope.idKeys)
      return taskId ? { taskId } : kit.missingTaskId(data, response)
    },
  }
}
