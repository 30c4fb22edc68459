import type { GenerateRequest } from '@nano-banana/sdk'
import type { JournalError } from './journal.js'

/** The queue name when none is given. */
export const DEFAULT_QUEUE = 'nano-banana'

/** A BullMQ job's data: the request, plus what workers learned (the task id before any wait). */
export interface BatchJobData {
  request: GenerateRequest
  /** Set by the worker as soon as the provider accepted the task; a retaken job resumes it. */
  taskId?: string
  /** The provider that issued `taskId`. */
  provider?: string
  /** Set when the submit may have reached the provider without an answer: never resubmitted. */
  ambiguous?: JournalError
}

/** A completed job's return value. */
export interface BatchJobResult {
  taskId: string
  provider: string
  files: string[]
  /** False when the job resumed a task an earlier attempt (or a dead worker) had submitted. */
  submitted: boolean
}
