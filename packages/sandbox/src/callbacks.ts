import type { FaultQueue } from './faults.js'
import { timerDelay } from './timers.js'
import type { BoundedLog } from './log.js'
import type { CallbackAttempt, CallbackOutcome, ProviderId } from './types.js'

export interface CallbackJob {
  provider: ProviderId
  taskId: string
  url: string
  payload: unknown
  /** Headers of one attempt (a provider may stamp each attempt, e.g. with a timestamp). */
  /** `body` is the exact text sent (a signature may cover it). */
  headers: (now: number, body: string) => Record<string, string>
  /** Delay in seconds before each attempt, counted from the previous attempt; the first is the delay after the task ended. */
  delaysSeconds: readonly number[]
  /** Timeout of one attempt. */
  timeoutMs: number
}

export interface CallbackDeps {
  /** Multiplies every schedule delay (tests run the real schedule 1000x faster). */
  scale: number
  slowMs: number
  /** Send to hosts other than loopback. */
  allowExternal: boolean
  faults: FaultQueue
  log: BoundedLog<CallbackAttempt>
  onAttempt: (attempt: CallbackAttempt) => void
  onSettled: (outcome: CallbackOutcome) => void
}

/**
 * Loopback only: 127.0.0.0/8, `::1` and `localhost` over http(s). Subdomains of `localhost` are not
 * trusted: they go to the system resolver, which may answer with any address.
 */
export function isLoopbackUrl(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false
  const host = parsed.hostname.toLowerCase()
  if (host === '[::1]' || host === 'localhost') return true
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

/**
 * Delivers task-end callbacks the way the providers document: POST the payload, and on a non-2xx answer, a
 * connection error or a timeout, try again after the next delay of the schedule until it is used up.
 */
export class CallbackDispatcher {
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly controller = new AbortController()
  private readonly inFlight = new Set<Promise<void>>()
  /** Deliveries not yet settled, so that `close()` can settle them as `closed`. */
  private readonly open = new Map<CallbackJob, number>()

  constructor(private readonly deps: CallbackDeps) {}

  send(job: CallbackJob): void {
    if (!this.deps.allowExternal && !isLoopbackUrl(job.url)) {
      const record: CallbackAttempt = {
        at: Date.now(),
        provider: job.provider,
        taskId: job.taskId,
        url: job.url,
        attempt: 1,
        delivered: false,
        blocked: true,
        error: 'not sent: the host is not loopback (start the sandbox with allowExternalCallbacks to send it)',
      }
      this.deps.log.push(record)
      this.deps.onAttempt(record)
      this.deps.onSettled({ provider: job.provider, taskId: job.taskId, url: job.url, delivered: false, reason: 'blocked', attempts: 0 })
      return
    }
    this.open.set(job, 0)
    this.schedule(job, 0)
  }

  private settle(job: CallbackJob, reason: CallbackOutcome['reason']): void {
    const attempts = this.open.get(job)
    if (attempts === undefined) return
    this.open.delete(job)
    this.deps.onSettled({ provider: job.provider, taskId: job.taskId, url: job.url, delivered: reason === 'delivered', reason, attempts })
  }

  private schedule(job: CallbackJob, attemptIndex: number): void {
    if (this.controller.signal.aborted) return
    if (attemptIndex >= job.delaysSeconds.length) {
      this.settle(job, 'exhausted')
      return
    }
    const delay = timerDelay(job.delaysSeconds[attemptIndex]! * 1000 * this.deps.scale)
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      const run = this.attempt(job, attemptIndex).finally(() => this.inFlight.delete(run))
      this.inFlight.add(run)
    }, delay)
    timer.unref()
    this.timers.add(timer)
  }

  private async attempt(job: CallbackJob, attemptIndex: number): Promise<void> {
    const fault = this.deps.faults.take(job.provider, 'callback')
    const record: CallbackAttempt = {
      at: Date.now(),
      provider: job.provider,
      taskId: job.taskId,
      url: job.url,
      attempt: attemptIndex + 1,
      delivered: false,
    }
    this.deps.log.push(record)
    this.open.set(job, attemptIndex + 1)
    try {
      if (fault?.fault === 'slow') await this.sleep(fault.delayMs ?? this.deps.slowMs)
      if (fault?.fault === 'reset-before-accept') throw new Error('connection reset before sending (sandbox fault)')
      let body = JSON.stringify(job.payload)
      if (fault?.fault === 'malformed-json') body = body.slice(0, Math.max(1, Math.floor(body.length / 2)))
      const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(job.timeoutMs)])
      const response = await fetch(job.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'nano-banana-sandbox', ...job.headers(Date.now(), body) },
        body,
        signal,
        redirect: 'manual',
      })
      // Drain the answer so the connection can be reused or closed cleanly.
      await response.arrayBuffer().catch(() => undefined)
      record.status = response.status
      record.delivered = response.status >= 200 && response.status < 300
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error)
    }
    if (this.controller.signal.aborted) return
    this.deps.onAttempt(record)
    if (record.delivered) this.settle(job, 'delivered')
    else this.schedule(job, attemptIndex + 1)
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.controller.signal
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        this.timers.delete(timer)
        signal.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, timerDelay(ms))
      timer.unref()
      this.timers.add(timer)
      signal.addEventListener('abort', done, { once: true })
    })
  }

  async close(): Promise<void> {
    this.controller.abort()
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    await Promise.allSettled([...this.inFlight])
    for (const job of [...this.open.keys()]) this.settle(job, 'closed')
  }
}
