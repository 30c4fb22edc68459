import { UnrecoverableError, Worker, type ConnectionOptions, type Job, type RateLimiterOptions } from 'bullmq'
import { validateRequest, type NanoBananaClient, type Task } from '@nano-banana/sdk'
import { describeError, executeJob, isAmbiguous, isFinalFailure, JobError } from './execute.js'
import type { JournalError } from './journal.js'
import { DEFAULT_QUEUE, type BatchJobData, type BatchJobResult } from './protocol.js'

export interface BatchWorkerOptions {
  /** Redis: `{ url: 'redis://127.0.0.1:6379' }`, ioredis options or an ioredis instance. */
  connection: ConnectionOptions
  /** Default `nano-banana`. */
  queue?: string
  /**
   * Submits, waits and downloads. Result URLs come from the provider: on a server build it with
   * `fetch: createGuardedFetch()` (`@nano-banana/sdk/node`) so that a name resolving to a private address is not fetched.
   */
  client: NanoBananaClient
  /** Where this worker saves images (`<id>.<ext>`). */
  out: string
  /** Jobs this worker runs at once. Default 4. */
  concurrency?: number
  /** Provider rate limit across every worker of the queue: at most `max` jobs started per `duration` ms. */
  limiter?: RateLimiterOptions
  /** How long a job's lock lives without renewal; a dead worker's jobs are retaken after it. BullMQ default 30000. */
  lockDuration?: number
  /** How often this worker looks for stalled jobs. BullMQ default 30000. */
  stalledInterval?: number
  /** How many times a job may be retaken from a dead worker before it fails. Default 2. */
  maxStalledCount?: number
  /** Wait limit per task; when it runs out the job fails retriably and its next attempt resumes the task. */
  timeoutMs?: number
  onEvent?: (event: WorkerEvent) => void
}

export type WorkerEvent =
  | { type: 'submitted'; id: string; taskId: string }
  | { type: 'resumed'; id: string; taskId: string }
  | { type: 'progress'; id: string; task: Task }
  | { type: 'done'; id: string; taskId: string; files: string[]; submitted: boolean }
  | { type: 'failed'; id: string; taskId?: string; error: JournalError; retriable: boolean }

/** Redis refused the task id: a retry would resubmit, so the job stops with the id in its reason. */
class TaskIdNotRecordedError extends Error {
  override name = 'TaskIdNotRecordedError'
  constructor(taskId: string, cause: unknown) {
    super(
      `task ${taskId} was accepted but its id could not be stored in the job (${cause instanceof Error ? cause.message : String(cause)}); resume it with \`nano-banana wait ${taskId}\``,
    )
  }
}

/** Reads the failure's class back from `failedReason` (`<Name>: <message>`). */
const reason = (error: JournalError) => `${error.name}: ${error.message}`

/** Tries a Redis write a few times: losing a task id here would mean paying for the task twice. */
async function durably(write: () => Promise<void>, attempts = 5): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await write()
    } catch (error) {
      if (i >= attempts) throw error
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** i))
    }
  }
}

/**
 * A BullMQ worker that generates each job's images. The provider's task id is written into the job
 * (`job.updateData`) right after the provider accepted it and before waiting, so when a worker dies its
 * stalled job is retaken by another worker that resumes the task with `wait(taskId)` instead of paying for
 * it again. Failures that a retry cannot fix (the task failed, content refused, invalid input, an
 * ambiguous submit) fail the job at once (UnrecoverableError); the rest follow the job's `attempts`.
 */
export function createBatchWorker(options: BatchWorkerOptions): Worker<BatchJobData, BatchJobResult> {
  const { client } = options
  const provider = client.provider.id
  const emit = (event: WorkerEvent) => options.onEvent?.(event)

  const processor = async (job: Job<BatchJobData, BatchJobResult>): Promise<BatchJobResult> => {
    const id = job.id!
    const data = job.data
    const fail = (error: JournalError, retriable: boolean, taskId?: string): never => {
      emit({ type: 'failed', id, ...(taskId ? { taskId } : {}), error, retriable })
      throw retriable ? new Error(reason(error)) : new UnrecoverableError(reason(error))
    }
    if (data.ambiguous) return fail(data.ambiguous, false)
    try {
      validateRequest(client.provider, data.request)
    } catch (error) {
      return fail(describeError(error), false)
    }
    if (data.taskId && data.provider !== provider) {
      // Another provider's task id means nothing here, and submitting anew would pay twice.
      return fail(
        {
          name: 'ProviderMismatchError',
          message: `job ${id} was accepted by ${data.provider} as task ${data.taskId}; only a ${data.provider} worker can resume it`,
        },
        false,
        data.taskId,
      )
    }
    if (data.taskId) emit({ type: 'resumed', id, taskId: data.taskId })
    try {
      const result = await executeJob({
        client,
        job: { id, request: data.request },
        out: options.out,
        ...(data.taskId ? { taskId: data.taskId } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        onAccepted: async (submission) => {
          await durably(() => job.updateData({ ...data, taskId: submission.taskId, provider })).catch((error: unknown) => {
            throw new TaskIdNotRecordedError(submission.taskId, error)
          })
          emit({ type: 'submitted', id, taskId: submission.taskId })
          // Progress is best effort: it only feeds the producer's display.
          await job.updateProgress({ taskId: submission.taskId }).catch(() => undefined)
        },
        onProgress: (task) => emit({ type: 'progress', id, task }),
      })
      emit({ type: 'done', id, taskId: result.taskId, files: result.files, submitted: result.submitted })
      return { taskId: result.taskId, provider, files: result.files, submitted: result.submitted }
    } catch (caught) {
      const jobError = caught instanceof JobError ? caught : new JobError(caught, data.taskId)
      const error = describeError(jobError.error)
      if (isAmbiguous(jobError.error)) {
        // Kept on the job so that even a manual retry does not resubmit blindly.
        await durably(() => job.updateData({ ...data, ambiguous: error })).catch(() => undefined)
        return fail(error, false)
      }
      if ((jobError.error as unknown) instanceof TaskIdNotRecordedError) return fail(error, false, jobError.taskId)
      return fail(error, !isFinalFailure(jobError.error), jobError.taskId)
    }
  }

  return new Worker<BatchJobData, BatchJobResult>(options.queue ?? DEFAULT_QUEUE, processor, {
    connection: options.connection,
    concurrency: options.concurrency ?? 4,
    maxStalledCount: options.maxStalledCount ?? 2,
    ...(options.limiter ? { limiter: options.limiter } : {}),
    ...(options.lockDuration !== undefined ? { lockDuration: options.lockDuration } : {}),
    ...(options.stalledInterval !== undefined ? { stalledInterval: options.stalledInterval } : {}),
  })
}
