import { AbortError, TimeoutError } from './errors.js'
import { taskFailure } from './failures.js'
import { sleep } from './retry.js'
import type { ProviderId, Task } from './types.js'

export interface PollingOptions {
  /** First poll after this long, unless the provider gave an estimate. Default 1000. */
  initialDelayMs: number
  /** Never poll more often than this. Default 500. */
  minDelayMs: number
  /** Never wait longer than this between polls. Default 10000. */
  maxDelayMs: number
  /**
   * Without a hint, wait this fraction of the time already spent: the added latency stays near this
   * fraction of the task's duration while the number of polls grows only logarithmically. Default 0.15.
   */
  elapsedFactor: number
}

export const DEFAULT_POLLING: PollingOptions = { initialDelayMs: 1000, minDelayMs: 500, maxDelayMs: 10_000, elapsedFactor: 0.15 }

export interface PollState {
  /** Time since the task was accepted (or since waiting began, when resuming). */
  elapsedMs: number
  /** Latest task, if any poll has answered yet. */
  task?: Task
  /** The provider's estimate of the total duration, in seconds. */
  estimatedSeconds?: number
}

/** How long to wait before the next poll: aim at the predicted completion, else back off with time spent. */
export function nextPollDelay(state: PollState, options: PollingOptions = DEFAULT_POLLING): number {
  const clamp = (ms: number) => Math.min(options.maxDelayMs, Math.max(options.minDelayMs, ms))
  const estimate = state.task?.estimatedSeconds ?? state.estimatedSeconds
  const progress = state.task?.progress
  // Progress reported mid-way predicts the remaining time by linear extrapolation.
  if (progress !== undefined && progress > 0.05 && progress < 1 && state.elapsedMs > 0) {
    const remaining = (state.elapsedMs * (1 - progress)) / progress
    return clamp(remaining + 50)
  }
  if (estimate !== undefined && estimate > 0) {
    const remaining = estimate * 1000 - state.elapsedMs
    if (remaining > options.minDelayMs) return clamp(remaining + 50)
  }
  if (!state.task) return clamp(options.initialDelayMs)
  // A queued task has not started, so it cannot end soon: back off twice as fast until it runs.
  const factor = state.task.status === 'queued' ? options.elapsedFactor * 2 : options.elapsedFactor
  return clamp(state.elapsedMs * factor)
}

export interface WaitParams {
  provider: ProviderId
  taskId: string
  /** One poll, with its own retries; resolves to the normalized task. */
  poll: (signal: AbortSignal | undefined) => Promise<Task>
  signal?: AbortSignal | undefined
  timeoutMs: number
  onProgress?: ((task: Task) => void) | undefined
  polling?: Partial<PollingOptions> | undefined
  estimatedSeconds?: number | undefined
  /** When the task was accepted (ms since epoch); defaults to now. */
  startedAt?: number | undefined
  /** When waiting ends (ms since epoch); defaults to `timeoutMs` from now. */
  deadline?: number | undefined
}

/** Polls until the task ends, the deadline passes or the signal fires. The caller puts the task id on what it throws. */
export async function waitForTask(params: WaitParams): Promise<Task> {
  const options = { ...DEFAULT_POLLING, ...params.polling }
  const startedAt = params.startedAt ?? Date.now()
  const deadline = params.deadline ?? Date.now() + params.timeoutMs
  let last: Task | undefined

  for (;;) {
    const delay = nextPollDelay({ elapsedMs: Date.now() - startedAt, ...(last ? { task: last } : {}), estimatedSeconds: params.estimatedSeconds }, options)
    const left = deadline - Date.now()
    if (left <= 0) {
      throw new TimeoutError(`${params.provider}: task ${params.taskId} did not finish within ${params.timeoutMs} ms; resume with wait("${params.taskId}")`, {
        provider: params.provider,
        taskId: params.taskId,
        body: last?.raw,
      })
    }
    try {
      await sleep(Math.min(delay, left), params.signal)
    } catch (error) {
      throw error instanceof AbortError ? error : new AbortError('Aborted', { cause: error })
    }
    const task = await params.poll(params.signal)
    if (!last || last.status !== task.status || last.progress !== task.progress) params.onProgress?.(task)
    last = task
    if (task.status === 'succeeded') return task
    if (task.status === 'failed' || task.status === 'canceled') throw taskFailure(task)
  }
}
