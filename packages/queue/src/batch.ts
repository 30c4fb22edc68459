import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { NanoBananaClient, Task } from '@nano-banana/sdk'
import { describeError, executeJob, isAmbiguous, isFinalFailure, JobError } from './execute.js'
import { BatchInputError, validateJobs, type BatchJob } from './jobs.js'
import { Journal, jobStates, type JobState, type JournalError } from './journal.js'

/** The journal's file name inside the output directory. */
export const JOURNAL_FILE = 'batch-journal.jsonl'

export interface RunBatchOptions {
  /**
   * Submits, waits and downloads. Result URLs come from the provider: on a server build it with
   * `fetch: createGuardedFetch()` (`@nano-banana/sdk/node`) so that a name resolving to a private address is not fetched.
   */
  client: NanoBananaClient
  /** Where images and the journal go. */
  out: string
  /** Jobs in flight at once. Default 4. */
  concurrency?: number
  /** Default `<out>/batch-journal.jsonl`. */
  journalPath?: string
  /** Wait limit per task (the client's `timeoutMs` otherwise); a task that outlives it is resumed by a rerun. */
  timeoutMs?: number
  /** Stops starting jobs and aborts the ones in flight (their task ids stay in the journal). */
  signal?: AbortSignal
  /** Where the jobs came from, for error messages. */
  source?: string
  onEvent?: (event: BatchEvent) => void
}

export type BatchEvent =
  | { type: 'plan'; total: number; toSubmit: number; toResume: number; alreadyDone: number; alreadyFailed: number }
  | { type: 'submitted'; id: string; taskId: string }
  | { type: 'resumed'; id: string; taskId: string }
  | { type: 'progress'; id: string; task: Task }
  | { type: 'done'; id: string; taskId: string; files: string[] }
  | { type: 'failed'; id: string; taskId?: string; error: JournalError; final: boolean }
  | { type: 'ambiguous'; id: string; error: JournalError }

export interface BatchFailure {
  id: string
  taskId?: string
  /** `ambiguous`: the submit may have reached the provider; check its dashboard before resubmitting. */
  kind: 'failed' | 'ambiguous'
  error: JournalError
}

export interface BatchSummary {
  total: number
  /** Jobs whose files are on disk, including the ones an earlier run finished. */
  done: number
  /** Jobs finished by an earlier run (skipped). */
  skipped: number
  failed: number
  ambiguous: number
  /** Jobs whose task an earlier run had submitted and this run waited for (never resubmitted). */
  resumed: number
  /** Tasks this run submitted. */
  submissions: number
  failures: BatchFailure[]
  files: Record<string, string[]>
}

/**
 * Runs a batch with an embedded journal: each task id is fsync'd to `<out>/batch-journal.jsonl` as soon as
 * the provider accepted it, and each job's files once saved. Run it again after a crash (even SIGKILL):
 * finished jobs are skipped, accepted ones resumed with `wait(taskId)`, the rest submitted. A job whose
 * submit was ambiguous (it may exist at the provider) is never resubmitted; nor is one whose task failed.
 * Every job is validated against the provider before anything is submitted (BatchInputError).
 */
export async function runBatch(jobs: readonly BatchJob[], options: RunBatchOptions): Promise<BatchSummary> {
  const { client } = options
  const provider = client.provider.id
  const source = options.source ?? 'jobs'
  const concurrency = options.concurrency ?? 4
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new BatchInputError(`concurrency must be a whole number >= 1, got ${concurrency}`, 0, source)
  const ids = new Set<string>()
  for (const job of jobs) {
    if (ids.has(job.id)) throw new BatchInputError(`${source}: duplicate id ${JSON.stringify(job.id)}`, job.line ?? 0, source)
    ids.add(job.id)
  }
  validateJobs(jobs, client.provider, source)

  await mkdir(options.out, { recursive: true })
  const journal = await Journal.open(options.journalPath ?? join(options.out, JOURNAL_FILE))
  const emit = (event: BatchEvent) => options.onEvent?.(event)
  try {
    const states = jobStates(journal.replay.records)
    const stateOf = (job: BatchJob): JobState => states.get(job.id) ?? { state: 'new' }
    // A task id only means something to the provider that issued it.
    for (const job of jobs) {
      const state = stateOf(job)
      if (state.state === 'accepted' && state.provider !== provider) {
        throw new BatchInputError(
          `${source}: job ${JSON.stringify(job.id)} was accepted by ${state.provider} as task ${state.taskId}; rerun with --provider ${state.provider} to resume it (switching would pay twice)`,
          job.line ?? 0,
          source,
        )
      }
    }

    const summary: BatchSummary = { total: jobs.length, done: 0, skipped: 0, failed: 0, ambiguous: 0, resumed: 0, submissions: 0, failures: [], files: {} }
    const pending: { job: BatchJob; taskId?: string }[] = []
    let toResume = 0
    let alreadyFailed = 0
    for (const job of jobs) {
      const state = stateOf(job)
      if (state.state === 'done') {
        summary.done++
        summary.skipped++
        summary.files[job.id] = state.files
      } else if (state.state === 'ambiguous') {
        alreadyFailed++
        summary.ambiguous++
        summary.failures.push({ id: job.id, kind: 'ambiguous', error: state.error })
      } else if (state.state === 'failed') {
        alreadyFailed++
        summary.failed++
        summary.failures.push({ id: job.id, kind: 'failed', ...(state.taskId ? { taskId: state.taskId } : {}), error: state.error })
      } else if (state.state === 'accepted') {
        toResume++
        pending.push({ job, taskId: state.taskId })
      } else pending.push({ job })
    }
    emit({ type: 'plan', total: jobs.length, toSubmit: pending.length - toResume, toResume, alreadyDone: summary.skipped, alreadyFailed })

    const runOne = async ({ job, taskId }: { job: BatchJob; taskId?: string }) => {
      if (taskId) emit({ type: 'resumed', id: job.id, taskId })
      try {
        const result = await executeJob({
          client,
          job,
          out: options.out,
          ...(taskId ? { taskId } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
          onAccepted: async (submission) => {
            summary.submissions++
            await journal.append({ id: job.id, event: 'submitted', provider, taskId: submission.taskId })
            emit({ type: 'submitted', id: job.id, taskId: submission.taskId })
          },
          onProgress: (task) => emit({ type: 'progress', id: job.id, task }),
        })
        await journal.append({ id: job.id, event: 'done', provider, taskId: result.taskId, files: result.files })
        if (!result.submitted) summary.resumed++
        summary.done++
        summary.files[job.id] = result.files
        emit({ type: 'done', id: job.id, taskId: result.taskId, files: result.files })
      } catch (caught) {
        const jobError = caught instanceof JobError ? caught : new JobError(caught, taskId)
        const error = describeError(jobError.error)
        const accepted = jobError.taskId
        if (isAmbiguous(jobError.error)) {
          await journal.append({ id: job.id, event: 'ambiguous', provider, error })
          summary.ambiguous++
          summary.failures.push({ id: job.id, kind: 'ambiguous', error })
          emit({ type: 'ambiguous', id: job.id, error })
          return
        }
        const final = isFinalFailure(jobError.error)
        await journal.append({ id: job.id, event: 'failed', provider, ...(accepted ? { taskId: accepted } : {}), final, error })
        summary.failed++
        summary.failures.push({ id: job.id, kind: 'failed', ...(accepted ? { taskId: accepted } : {}), error })
        emit({ type: 'failed', id: job.id, ...(accepted ? { taskId: accepted } : {}), error, final })
      }
    }

    // A fixed pool: each lane takes the next job when its previous one ended. A journal that cannot be
    // written stops new submissions (their ids could not be kept); the jobs in flight still end.
    let next = 0
    let fatal: { error: unknown } | undefined
    const lane = async () => {
      while (next < pending.length && !options.signal?.aborted && !fatal) {
        await runOne(pending[next++]!).catch((error: unknown) => {
          fatal ??= { error }
        })
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, lane))
    if (fatal) throw fatal.error
    return summary
  } finally {
    await journal.close()
  }
}
