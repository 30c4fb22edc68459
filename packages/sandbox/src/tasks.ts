import { dimensionsFor, type ImageStore, type StoredImage } from './images.js'
import { MAX_TIMER_MS, timerDelay } from './timers.js'
import type { FaultName, ImageFormat, ProviderId, TaskPhase } from './types.js'

/** What a provider module extracts from a valid create body. */
export interface TaskRequest {
  model: string
  prompt: string
  /** Seeds the picture together with the prompt; '' when the request has none. */
  seed: string
  aspectRatio: string | undefined
  format: ImageFormat
  n: number
  callbackUrl: string | undefined
  taskType: 'text2image' | 'image2image'
  /** The create body as received (some providers echo it in their task answer). */
  body: Record<string, unknown>
}

export interface Task extends TaskRequest {
  provider: ProviderId
  id: string
  createdAt: number
  durationMs: number
  width: number
  height: number
  /** Set when the task reached its end state. */
  finishedAt: number | undefined
  outcome: 'succeeded' | 'failed' | undefined
  images: StoredImage[]
  fail: boolean
  stuck: boolean
  expireUrls: boolean
  faults: FaultName[]
  /** Set when a cancel request ended it (its outcome is then `failed`). */
  canceled?: boolean
}

export interface TaskSnapshot {
  phase: TaskPhase
  /** 0-100. */
  progress: number
  now: number
}

/** Share of the duration a task spends queued before it starts running. */
const QUEUED_SHARE = 0.2

export interface TaskStoreDeps {
  images: ImageStore
  imageLongSide: number
  resultTtlMs: number
  /** Called once when a task reaches its end state (fires the callback). */
  onFinish: (task: Task) => void
}

/**
 * Tasks of every provider. A task's state is a function of the clock: queued for the first fifth of its
 * duration, then running with a growing progress, then ended. A timer ends it on time so the callback fires
 * without anyone polling; a query that arrives first ends it itself, so answers never lag behind the clock.
 */
export class TaskStore {
  private readonly tasks = new Map<string, Task>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly counts = new Map<ProviderId, number>()

  constructor(private readonly deps: TaskStoreDeps) {}

  create(provider: ProviderId, id: string, request: TaskRequest, durationMs: number, faults: FaultName[], now = Date.now()): Task {
    const { width, height } = dimensionsFor(request.aspectRatio, this.deps.imageLongSide)
    const task: Task = {
      ...request,
      provider,
      id,
      createdAt: now,
      durationMs,
      width,
      height,
      finishedAt: undefined,
      outcome: undefined,
      images: [],
      fail: false,
      stuck: false,
      expireUrls: false,
      faults: [],
    }
    for (const fault of faults) this.applyFault(task, fault)
    this.tasks.set(key(provider, id), task)
    this.counts.set(provider, (this.counts.get(provider) ?? 0) + 1)
    this.arm(task, now)
    return task
  }

  /** Ends the task on time; a duration past the timer limit is waited for in steps, never ended at once. */
  private arm(task: Task, now = Date.now()): void {
    const due = task.createdAt + task.durationMs
    const clamped = due - now > MAX_TIMER_MS
    const timer = setTimeout(
      () => {
        this.timers.delete(timer)
        if (clamped) return this.arm(task)
        // Timers may fire a millisecond before Date.now() reaches the deadline; the deadline has come regardless.
        this.settle(task, Math.max(Date.now(), due))
      },
      timerDelay(due - now),
    )
    timer.unref()
    this.timers.add(timer)
  }

  get(provider: ProviderId, id: string): Task | undefined {
    return this.tasks.get(key(provider, id))
  }

  list(provider?: ProviderId): Task[] {
    return [...this.tasks.values()].filter((task) => !provider || task.provider === provider)
  }

  submissions(provider?: ProviderId): number {
    if (provider) return this.counts.get(provider) ?? 0
    let total = 0
    for (const count of this.counts.values()) total += count
    return total
  }

  /** `task-fail`/`task-stuck` only change a task that has not ended; `expired-url` also expires URLs already out. */
  applyFault(task: Task, fault: FaultName): void {
    if (fault === 'task-fail' && !task.outcome) task.fail = true
    else if (fault === 'task-stuck' && !task.outcome) task.stuck = true
    else if (fault === 'expired-url') {
      task.expireUrls = true
      for (const image of task.images) image.forceExpired = true
    } else return
    if (!task.faults.includes(fault)) task.faults.push(fault)
  }

  /** A cancel request: a task that has not ended ends now, canceled, without images (and its callback fires). */
  cancel(task: Task, now = Date.now()): void {
    this.settle(task, now)
    if (task.outcome) return
    task.canceled = true
    task.outcome = 'failed'
    task.finishedAt = now
    this.deps.onFinish(task)
  }

  /** The task's state now; ends it first when its time has come. */
  snapshot(task: Task, now = Date.now()): TaskSnapshot {
    this.settle(task, now)
    if (task.outcome) return { phase: task.outcome, progress: task.outcome === 'succeeded' ? 100 : progressAt(task, now), now }
    const fraction = task.durationMs > 0 ? (now - task.createdAt) / task.durationMs : 1
    if (fraction < QUEUED_SHARE) return { phase: 'queued', progress: 0, now }
    return { phase: 'running', progress: progressAt(task, now), now }
  }

  private settle(task: Task, now: number): void {
    if (task.outcome || task.stuck || now < task.createdAt + task.durationMs) return
    task.finishedAt = task.createdAt + task.durationMs
    if (task.fail) {
      task.outcome = 'failed'
    } else {
      task.outcome = 'succeeded'
      for (let index = 0; index < task.n; index++) {
        task.images.push(
          this.deps.images.add({
            provider: task.provider,
            taskId: task.id,
            prompt: task.prompt,
            seed: task.seed,
            index,
            width: task.width,
            height: task.height,
            format: task.format,
            expiresAt: task.finishedAt + this.deps.resultTtlMs,
            forceExpired: task.expireUrls,
          }),
        )
      }
    }
    this.deps.onFinish(task)
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }
}

function progressAt(task: Task, now: number): number {
  const fraction = task.durationMs > 0 ? (now - task.createdAt) / task.durationMs : 1
  return Math.min(99, Math.max(1, Math.floor(fraction * 100)))
}

const key = (provider: ProviderId, id: string): string => `${provider}\u0000${id}`
