import type { FaultQueue } from './faults.js'
import type { CallbackAttempt, ProviderId } from './types.js'

export interface CallbackJob {
  provider: ProviderId
  taskId: string
  url: string
  payload: unknown
  /** Headers of one attempt (aivideoapi stamps each attempt with X-Timestamp). */
  headers: (now: number) => Record<string, string>
  /** Delay in seconds before each attempt, counted from the previous attempt (the first from the task's end). */
  scheduleSeconds: readonly number[]
}

export interface CallbackDeps {
  /** Multiplies every schedule delay (tests run the real schedule 1000x faster). */
  scale: number
  timeoutMs: number
  slowMs: number
  faults: FaultQueue
  log: CallbackAttempt[]
}

/**
 * Delivers task-end callbacks the way the providers document: POST the payload, and on a non-2xx answer, a
 * connection error or a timeout, try again after the next delay of the schedule until it is used up.
 */
export class CallbackDispatcher {
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly controller = new AbortController()
  private readonly inFlight = new Set<Promise<void>>()

  constructor(private readonly deps: CallbackDeps) {}

  send(job: CallbackJob): void {
    this.schedule(job, 0)
  }

  private schedule(job: CallbackJob, attemptIndex: number): void {
    if (this.controller.signal.aborted || attemptIndex >= job.scheduleSeconds.length) return
    const delay = Math.max(0, job.scheduleSeconds[attemptIndex]! * 1000 * this.deps.scale)
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
    try {
      if (fault?.fault === 'slow') await this.sleep(fault.delayMs ?? this.deps.slowMs)
      if (fault?.fault === 'reset-before-accept') throw new Error('connection reset before sending (sandbox fault)')
      let body = JSON.stringify(job.payload)
      if (fault?.fault === 'malformed-json') body = body.slice(0, Math.max(1, Math.floor(body.length / 2)))
      const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(this.deps.timeoutMs)])
      const response = await fetch(job.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'nano-banana-sandbox', ...job.headers(Date.now()) },
        body,
        signal,
      })
      // Drain the answer so the connection can be reused or closed cleanly.
      await response.arrayBuffer().catch(() => undefined)
      record.status = response.status
      record.delivered = response.status >= 200 && response.status < 300
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error)
    }
    if (!record.delivered) this.schedule(job, attemptIndex + 1)
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
      const timer = setTimeout(done, ms)
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
  }
}
