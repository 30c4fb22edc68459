import { randomBytes } from 'node:crypto'
import { rename, rm, mkdir, open } from 'node:fs/promises'
import { join } from 'node:path'
import {
  AmbiguousSubmitError,
  ContentPolicyError,
  InvalidRequestError,
  TaskFailedError,
  type GenerateResult,
  type NanoBananaClient,
  type Submission,
  type Task,
} from '@nano-banana/sdk'
import type { BatchJob } from './jobs.js'
import type { JournalError } from './journal.js'

export interface ExecuteOptions {
  client: NanoBananaClient
  job: BatchJob
  out: string
  /** A task the provider already accepted for this job: waited for, never resubmitted. */
  taskId?: string
  /**
   * Called once the provider accepted the task and BEFORE waiting; the task id must be durable when it
   * resolves (journal fsync'd, BullMQ job data updated). If it throws, the job stops there with the id.
   */
  onAccepted: (submission: Submission) => Promise<void>
  onProgress?: (task: Task) => void
  signal?: AbortSignal
  timeoutMs?: number
}

export interface ExecuteResult {
  taskId: string
  files: string[]
  /** True when this call submitted the task, false when it resumed `taskId`. */
  submitted: boolean
}

/** An error of a job with the task id it had (if any), so the caller can keep resuming it. */
export class JobError extends Error {
  override name = 'JobError'
  constructor(
    readonly error: unknown,
    readonly taskId: string | undefined,
  ) {
    super(error instanceof Error ? error.message : String(error))
  }
}

/** Submits (unless resuming), records the task id, waits, saves: the one path of both batch modes. */
export async function executeJob(options: ExecuteOptions): Promise<ExecuteResult> {
  const { client, job } = options
  let taskId = options.taskId
  const submitted = taskId === undefined
  try {
    if (taskId === undefined) {
      const submission = await client.submit(job.request, options.signal ? { signal: options.signal } : {})
      taskId = submission.taskId
      await options.onAccepted(submission)
    }
    const result = await client.wait(taskId, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(job.request.model ? { model: job.request.model } : {}),
    })
    const files = await saveJobImages(result, job.id, options.out)
    return { taskId: result.taskId, files, submitted }
  } catch (error) {
    throw new JobError(error, taskId)
  }
}

/**
 * Writes a job's images as `<id>.<ext>` (`<id>-<n>.<ext>` for several), each under a temporary name,
 * fsync'd, then renamed: a crash never leaves half an image under the final name. The temporary name is
 * random and created exclusively (`wx`), so a symlink planted there is never written through; a rerun of
 * the job replaces its own file (rename replaces a planted link itself, not what it points to).
 */
export async function saveJobImages(result: Pick<GenerateResult, 'images'>, id: string, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const paths: string[] = []
  for (const [i, image] of result.images.entries()) {
    const { bytes, extension } = await image.download()
    const path = join(dir, result.images.length === 1 ? `${id}.${extension}` : `${id}-${i + 1}.${extension}`)
    const partial = `${path}.${randomBytes(6).toString('hex')}.part`
    try {
      const handle = await open(partial, 'wx')
      try {
        await handle.write(bytes)
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(partial, path)
    } catch (error) {
      await rm(partial, { force: true }).catch(() => undefined)
      throw error
    }
    paths.push(path)
  }
  return paths
}

/**
 * True when running the job again cannot help and would pay again: the task itself failed, the content was
 * refused, or the request is invalid. Everything else (network, 5xx, rate limit, timeouts) may be retried.
 */
export function isFinalFailure(error: unknown): boolean {
  return error instanceof TaskFailedError || error instanceof ContentPolicyError || error instanceof InvalidRequestError
}

export const isAmbiguous = (error: unknown): error is AmbiguousSubmitError => error instanceof AmbiguousSubmitError

/** The printable part of an error: class name, message, code. Never its body or stack. */
export function describeError(error: unknown): JournalError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) }
  }
  return { name: 'Error', message: String(error) }
}
