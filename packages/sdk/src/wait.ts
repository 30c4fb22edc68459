import type { ExpectedDuration } from './durations.js'
import { AbortError, TimeoutError } from './errors.js'
import { taskFailure } from './failures.js'
import { sleep } from './retry.js'
import type { ProviderId, Task } from './types.js'

export interface PollingOptions {
  /**
   * First poll after this long when nothing is known of the task (no estimate, no history, no prior).
   * Default 4200: with `elapsedFactor` 0.1, tasks of 4 s to minutes cost about half the polls of a
   * 500 ms poller and at most ~10% added latency.
   */
  initialDelayMs: number
  /** Never poll more often than this. Default 250. */
  minDelayMs: number
  /** Never wait longer than this between polls. Default 30000. */
  maxDelayMs: number
  /**
   * Without a hint, wait this fraction of the time already spent: the added latency stays near this
   * fraction of the task's duration while the number of polls grows only logarithmically. Default 0.1.
   */
  elapsedFactor: number
  /** While a callback is expected (`taskEvents` and a `callbackUrl`), polls are only a safety net: at least this far apart. Default 30000. */
  callbackSafetyNetMs: number
}

export const DEFAULT_POLLING: PollingOptions = { initialDelayMs: 4200, minDelayMs: 250, maxDelayMs: 30_000, elapsedFactor: 0.1, callbackSafetyNetMs: 30_000 }

/** Progress at or above this (0..1) means the provider is finishing: poll soon, whatever else says. */
const NEAR_END = 0.95

export interface PollState {
  /** Time since the task was accepted (or since waiting began, when resuming). */
  elapsedMs: number
  /** Latest task, if any poll has answered yet. */
  task?: Task
  /** The task before the latest poll, to see a queued -> running change. */
  previous?: Task
  /** The provider's estimate of the total duration, in seconds. */
  estimatedSeconds?: number
  /** What this provider + model usually takes (durations.ts). */
  expected?: ExpectedDuration
}

/**
 * How long to wait before the next poll: at the provider's estimate or the progress' extrapolation;
 * else around the durations seen before (first poll near their low quantile, short steps across them);
 * else back off with the time spent. Near the end (progress ~100%, the task just started running)
 * never a long back-off.
 */
export function nextPollDelay(state: PollState, options: PollingOptions = DEFAULT_POLLING): number {
  const { elapsedMs, task, expected } = state
  const clamp = (ms: number) => Math.min(options.maxDelayMs, Math.max(options.minDelayMs, ms))
  const estimateMs = (task?.estimatedSeconds ?? state.estimatedSeconds ?? 0) * 1000
  const progress = task?.progress
  const backoff = () => elapsedMs * (task?.status === 'queued' ? options.elapsedFactor * 2 : options.elapsedFactor)
  let delay: number
  if (task && task.status !== 'queued' && progress !== undefined && progress >= NEAR_END) delay = 0
  // Progress reported mid-way predicts the remaining time by linear extrapolation.
  else if (progress !== undefined && progress > 0.05 && elapsedMs > 0) delay = (elapsedMs * (1 - progress)) / progress + 50
  else if (estimateMs > 0) {
    // At the estimate; just past it, short steps (estimates are rounded), then back off.
    if (estimateMs - elapsedMs > options.minDelayMs) delay = estimateMs - elapsedMs + 50
    else delay = elapsedMs < estimateMs * 1.5 ? estimateMs * 0.05 : backoff()
  } else if (expected && (!task || expected.samples > 0)) {
    const step = Math.min((expected.highMs - expected.lowMs) / 3, ((expected.lowMs + expected.highMs) / 2) * 0.12)
    if (elapsedMs < expected.lowMs) delay = expected.lowMs - elapsedMs
    else if (elapsedMs < expected.highMs) delay = step
    else delay = Math.max(step, backoff())
  } else delay = task ? backoff() : options.initialDelayMs
  // A task that just started running may be quick: its queue time says nothing of its run time.
  if (state.previous?.status === 'queued' && task?.status === 'running') delay = Math.min(delay, 1000)
  return clamp(delay)
}

/** The clock waiting reads; a fake one in tests. */
export interface WaitClock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

const REAL_CLOCK: WaitClock = { now: () => Date.now(), sleep }

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
  /** What this task is expected to take, from earlier tasks (durations.ts). */
  expected?: ExpectedDuration | undefined
  /** When the task was accepted (ms since epoch); defaults to now. */
  startedAt?: number | undefined
  /** When waiting ends (ms since epoch); defaults to `timeoutMs` from now. */
  deadline?: number | undefined
  /**
   * Subscribes to news of this task (a callback arrived): the listener ends the current pause, and the
   * next poll confirms what the callback said. With it, polls are only a slow safety net.
   */
  wake?: ((listener: () => void) => () => void) | undefined
  /** Told the time of the last poll that saw the task unfinished and of the one that saw it succeed (ms since `startedAt`). */
  onSucceeded?: ((task: Task, lastPendingMs: number | undefined, doneMs: number) => void) | undefined
  clock?: WaitClock | undefined
}

/** News of the task: set when a callback arrived; `interrupt` ends the pause under way. */
interface Wakeup {
  now: boolean
  interrupt?: (() => void) | undefined
}

/** Sleeps `ms`, or less if news of the task arrives first. */
async function pause(clock: WaitClock, ms: number, signal: AbortSignal | undefined, wakeup: Wakeup | undefined): Promise<void> {
  if (!wakeup) return clock.sleep(ms, signal)
  if (wakeup.now) return
  const inner = new AbortController()
  const onAbort = () => inner.abort(signal?.reason)
  signal?.addEventListener('abort', onAbort, { once: true })
  wakeup.interrupt = () => inner.abort()
  try {
    await clock.sleep(ms, inner.signal)
  } catch (error) {
    if (!wakeup.now || signal?.aborted) throw error
  } finally {
    wakeup.interrupt = undefined
    signal?.removeEventListener('abort', onAbort)
  }
}

/** Polls until the task ends, the deadline passes or the signal fires. The caller puts the task id on what it throws. */
export async function waitForTask(params: WaitParams): Promise<Task> {
  const options = { ...DEFAULT_POLLING, ...params.polling }
  const clock = params.clock ?? REAL_CLOCK
  const startedAt = params.startedAt ?? clock.now()
  const deadline = params.deadline ?? clock.now() + params.timeoutMs
  const wakeup: Wakeup | undefined = params.wake ? { now: false } : undefined
  const unsubscribe = params.wake?.(() => {
    if (!wakeup) return
    wakeup.now = true
    wakeup.interrupt?.()
  })
  try {
    return await pollLoop(params, options, clock, startedAt, deadline, wakeup)
  } finally {
    unsubscribe?.()
  }
}

async function pollLoop(
  params: WaitParams,
  options: PollingOptions,
  clock: WaitClock,
  startedAt: number,
  deadline: number,
  wakeup: Wakeup | undefined,
): Promise<Task> {
  let last: Task | undefined
  let previous: Task | undefined
  let lastPendingMs: number | undefined

  for (;;) {
    const elapsedMs = clock.now() - startedAt
    let delay = nextPollDelay({ elapsedMs, task: last, previous, estimatedSeconds: params.estimatedSeconds, expected: params.expected }, options)
    // Woken by a callback: poll at once; while one is awaited, poll seldom.
    if (wakeup?.now) delay = 0
    else if (wakeup) delay = Math.max(delay, options.callbackSafetyNetMs)
    const left = deadline - clock.now()
    if (left <= 0) {
      throw new TimeoutError(`${params.provider}: task ${params.taskId} did not finish within ${params.timeoutMs} ms; resume with wait("${params.taskId}")`, {
        provider: params.provider,
        taskId: params.taskId,
        body: last?.raw,
      })
    }
    try {
      await pause(clock, Math.min(delay, left), params.signal, wakeup)
    } catch (error) {
      throw error instanceof AbortError ? error : new AbortError('Aborted', { cause: error })
    }
    if (wakeup) wakeup.now = false
    const task = await params.poll(params.signal)
    const polledAt = clock.now() - startedAt
    if (!last || last.status !== task.status || last.progress !== task.progress) params.onProgress?.(task)
    previous = last
    last = task
    if (task.status === 'succeeded') {
      params.onSucceeded?.(task, lastPendingMs, polledAt)
      return task
    }
    if (task.status === 'failed' || task.status === 'canceled') throw taskFailure(task)
    lastPendingMs = polledAt
  }
}
