// Waiting for something to happen instead of sleeping for a guessed time. The timeouts here are
// failsafes that turn a hang into a readable failure, never the thing a test asserts.

export interface WaitOptions {
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number
  /** How often to re-check (default 5 ms). */
  intervalMs?: number
  /** What is awaited, for the timeout message. */
  what?: string
  /** Extra state to print in the timeout message. */
  context?: () => unknown
}

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError'
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

function timeoutMessage(what: string, timeoutMs: number, context?: () => unknown): string {
  return `timed out after ${timeoutMs} ms waiting for ${what}${context ? `: ${JSON.stringify(context())}` : ''}`
}

/**
 * Resolves with the predicate's value as soon as it is neither `undefined`, `null` nor `false`
 * (so `() => list.find(...)` and `() => count >= 2` both work); rejects after `timeoutMs`.
 */
export async function waitFor<T>(predicate: () => T | Promise<T>, options: WaitOptions = {}): Promise<Exclude<T, undefined | null | false>> {
  const { timeoutMs = 5000, intervalMs = 5, what = 'condition', context } = options
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await predicate()
    if (value !== undefined && value !== null && value !== false) return value as Exclude<T, undefined | null | false>
    if (Date.now() > deadline) throw new WaitTimeoutError(timeoutMessage(what, timeoutMs, context))
    await sleep(intervalMs)
  }
}

interface EmitterLike {
  on(event: string | symbol, listener: (...args: unknown[]) => void): unknown
  off(event: string | symbol, listener: (...args: unknown[]) => void): unknown
}

interface EventTargetLike {
  addEventListener(type: string, listener: (event: unknown) => void): void
  removeEventListener(type: string, listener: (event: unknown) => void): void
}

export interface OnceOptions<T> extends Omit<WaitOptions, 'intervalMs'> {
  /** Only an event whose first argument passes this resolves. */
  filter?: (value: T) => boolean
}

/**
 * The first argument of the next `event` from a Node EventEmitter or a DOM EventTarget (that passes
 * `filter`); rejects after `timeoutMs`, and with the error when an EventEmitter emits `error` first.
 */
export function once<T = unknown>(emitter: EmitterLike | EventTargetLike, event: string, options: OnceOptions<T> = {}): Promise<T> {
  const { timeoutMs = 5000, what = `event '${event}'`, context, filter } = options
  return new Promise<T>((resolve, reject) => {
    let cleanup = () => {}
    const timer = setTimeout(() => {
      cleanup()
      reject(new WaitTimeoutError(timeoutMessage(what, timeoutMs, context)))
    }, timeoutMs)
    const listener = (value: unknown) => {
      if (filter && !filter(value as T)) return
      cleanup()
      resolve(value as T)
    }
    if ('addEventListener' in emitter) {
      emitter.addEventListener(event, listener)
      cleanup = () => {
        clearTimeout(timer)
        emitter.removeEventListener(event, listener)
      }
      return
    }
    const onError = (error: unknown) => {
      cleanup()
      reject(error)
    }
    emitter.on(event, listener)
    if (event !== 'error') emitter.on('error', onError)
    cleanup = () => {
      clearTimeout(timer)
      emitter.off(event, listener)
      emitter.off('error', onError)
    }
  })
}
