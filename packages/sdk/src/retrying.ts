// The one retry loop of the client (the shape of a peer client's executeWithRetry, see style.md): submit, poll and
// download each run their attempt through it, and `policy.ts` decides from the error whether another
// attempt is allowed. The attempt itself turns every failure into a NanoBananaError first.
import type { NanoBananaError } from './errors.js'
import { mayRetry, type Phase } from './policy.js'
import { retryDelay, sleep, type RetryPolicy } from './retry.js'

export interface RetryingOptions {
  phase: Phase
  policy: RetryPolicy
  signal?: AbortSignal | undefined
  /** Never start a pause that would end at or after this time (ms since epoch). */
  deadline?: number | undefined
  /** The error for an abort before an attempt or during a pause (it carries the task id when there is one). */
  onAbort: (cause: unknown) => NanoBananaError
}

/**
 * Runs `attempt` until it succeeds, the policy refuses another try, the retries or the deadline run out, or the signal fires.
 * Most calls succeed at once: the first attempt runs without an async step of this function's own (an
 * async frame per call is what a round trip through the client allocates most of); the loop starts at its first failure.
 */
export function retrying<T>(attempt: (n: number) => Promise<T>, options: RetryingOptions): Promise<T> {
  if (options.signal?.aborted) return Promise.reject(options.onAbort(options.signal.reason))
  let first: Promise<T>
  try {
    first = attempt(0)
  } catch (error) {
    return retryAfter(error, attempt, options)
  }
  return first.catch((error: unknown) => retryAfter(error, attempt, options))
}

/** The retries after attempt 0 failed with `failure`. */
async function retryAfter<T>(failure: unknown, attempt: (n: number) => Promise<T>, options: RetryingOptions): Promise<T> {
  let error = failure
  for (let n = 0; ; n++) {
    if (!mayRetry(error, options.phase)) throw error
    const delay = retryDelay(n, options.policy, (error as NanoBananaError).retryAfterMs)
    if (delay === undefined || (options.deadline !== undefined && Date.now() + delay >= options.deadline)) throw error
    try {
      await sleep(delay, options.signal)
    } catch (cause) {
      throw options.onAbort(cause)
    }
    if (options.signal?.aborted) throw options.onAbort(options.signal.reason)
    try {
      return await attempt(n + 1)
    } catch (next) {
      error = next
    }
  }
}
