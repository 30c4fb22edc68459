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

/** Runs `attempt` until it succeeds, the policy refuses another try, the retries or the deadline run out, or the signal fires. */
export async function retrying<T>(attempt: (n: number) => Promise<T>, options: RetryingOptions): Promise<T> {
  for (let n = 0; ; n++) {
    if (options.signal?.aborted) throw options.onAbort(options.signal.reason)
    try {
      return await attempt(n)
    } catch (error) {
      if (!mayRetry(error, options.phase)) throw error
      const delay = retryDelay(n, options.policy, (error as NanoBananaError).retryAfterMs)
      if (delay === undefined || (options.deadline !== undefined && Date.now() + delay >= options.deadline)) throw error
      try {
        await sleep(delay, options.signal)
      } catch (cause) {
        throw options.onAbort(cause)
      }
    }
  }
}
