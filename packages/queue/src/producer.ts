import { Queue, QueueEvents, type ConnectionOptions, type Job } from 'bullmq'
import type { BatchFailure } from './batch.js'
import type { BatchJob } from './jobs.js'
import { DEFAULT_QUEUE, type BatchJobData, type BatchJobResult } from './protocol.js'

export interface ProducerOptions {
  connection: ConnectionOptions
  /** Default `nano-banana`. */
  queue?: string
}

export interface EnqueueOptions extends ProducerOptions {
  /** Attempts per job for retriable failures (network, 5xx, rate limits). Default 3. */
  attempts?: number
  /** First retry delay in ms, doubled each attempt. Default 5000. */
  backoffMs?: number
}

/**
 * Adds the jobs to the queue with BullMQ job id = the line's id, so enqueueing the same file again adds
 * nothing that is already there (waiting, running, completed or failed).
 */
export async function enqueueBatch(jobs: readonly BatchJob[], options: EnqueueOptions): Promise<void> {
  const queue = new Queue<BatchJobData, BatchJobResult>(options.queue ?? DEFAULT_QUEUE, { connection: options.connection })
  try {
    // addBulk is one round trip per chunk; chunks keep a huge file from building one giant command.
    for (let i = 0; i < jobs.length; i += 500) {
      await queue.addBulk(
        jobs.slice(i, i + 500).map((job) => ({
          name: 'generate',
          data: { request: job.request },
          opts: {
            jobId: job.id,
            attempts: options.attempts ?? 3,
            backoff: { type: 'exponential', delay: options.backoffMs ?? 5000 },
          },
        })),
      )
    }
  } finally {
    await queue.close()
  }
}

export type FollowEvent =
  | { type: 'submitted'; id: string; taskId: string }
  | { type: 'done'; id: string; result: BatchJobResult }
  | { type: 'failed'; id: string; reason: string }

export interface FollowSummary {
  total: number
  done: number
  failed: number
  /** Jobs that completed by resuming a task submitted by an earlier attempt (e.g. a worker that died). */
  resumed: number
  /** Tasks submitted for the completed jobs (one each, by construction). */
  submissions: number
  failures: BatchFailure[]
  files: Record<string, string[]>
}

/** `failedReason` is `<ErrorName>: <message>` (see the worker). */
function failure(id: string, job: Pick<Job<BatchJobData>, 'data'> | undefined, failedReason: string): BatchFailure {
  const match = /^([A-Za-z]*Error): ([\s\S]*)$/.exec(failedReason ?? '')
  const error = match ? { name: match[1]!, message: match[2]! } : { name: 'Error', message: failedReason || '(no reason recorded)' }
  const ambiguous = job?.data.ambiguous !== undefined || error.name === 'AmbiguousSubmitError'
  return { id, kind: ambiguous ? 'ambiguous' : 'failed', ...(job?.data.taskId ? { taskId: job.data.taskId } : {}), error }
}

/**
 * Follows the given jobs until each one completed or failed for good, from QueueEvents (subscribed
 * first, then the current state of every job is read, so nothing that ends in between is missed).
 */
export async function followBatch(
  ids: readonly string[],
  options: ProducerOptions & { onEvent?: (event: FollowEvent) => void; signal?: AbortSignal },
): Promise<FollowSummary> {
  const name = options.queue ?? DEFAULT_QUEUE
  const queue = new Queue<BatchJobData, BatchJobResult>(name, { connection: options.connection })
  // From the stream's start: an end that happens between subscribing and reading the job states is then
  // still seen (replays are ignored: each id settles once).
  const events = new QueueEvents(name, { connection: options.connection, lastEventId: '0' })
  const summary: FollowSummary = { total: ids.length, done: 0, failed: 0, resumed: 0, submissions: 0, failures: [], files: {} }
  const wanted = new Set(ids)
  const settled = new Set<string>()
  let finish: () => void = () => undefined
  const finished = new Promise<void>((resolve) => (finish = resolve))
  const check = () => {
    if (settled.size === wanted.size) finish()
  }
  const completed = (id: string, result: BatchJobResult) => {
    if (!wanted.has(id) || settled.has(id)) return
    settled.add(id)
    summary.done++
    if (result.submitted) summary.submissions++
    else summary.resumed++
    summary.files[id] = result.files
    options.onEvent?.({ type: 'done', id, result })
    check()
  }
  const failed = (id: string, job: Job<BatchJobData> | undefined, reason: string) => {
    if (!wanted.has(id) || settled.has(id)) return
    settled.add(id)
    summary.failed++
    summary.failures.push(failure(id, job, reason))
    options.onEvent?.({ type: 'failed', id, reason })
    check()
  }
  try {
    events.on('completed', ({ jobId, returnvalue }) => {
      const value = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as BatchJobResult
      completed(jobId, value)
    })
    events.on('failed', ({ jobId, failedReason }) => {
      if (!wanted.has(jobId)) return
      void queue.getJob(jobId).then(
        (job) => failed(jobId, job, failedReason),
        () => failed(jobId, undefined, failedReason),
      )
    })
    events.on('progress', ({ jobId, data }) => {
      const taskId = (data as { taskId?: unknown } | undefined)?.taskId
      if (wanted.has(jobId) && typeof taskId === 'string') options.onEvent?.({ type: 'submitted', id: jobId, taskId })
    })
    await events.waitUntilReady()
    for (const id of ids) {
      // The state first, then the job: a job read before it ended carries none of what its end recorded
      // (its failedReason, the ambiguous mark, its return value), and an end in between is read as final.
      const state = await queue.getJobState(id)
      if (state === 'unknown') throw new Error(`job ${id} is not in queue ${name} (enqueue it first)`)
      if (state !== 'completed' && state !== 'failed') continue
      const job = await queue.getJob(id)
      if (!job) throw new Error(`job ${id} is not in queue ${name} (enqueue it first)`)
      if (state === 'completed') completed(id, job.returnvalue)
      else failed(id, job, job.failedReason)
    }
    check()
    const aborted = new Promise<void>((_, reject) => {
      options.signal?.addEventListener('abort', () => reject(options.signal?.reason ?? new Error('aborted')), { once: true })
    })
    await Promise.race([finished, aborted])
    return summary
  } finally {
    await events.close()
    await queue.close()
  }
}
