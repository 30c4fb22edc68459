// Ctrl-C during a wait: the SDK call is aborted through its signal (so every `finally` closes the
// embedded sandbox and the local file server), the cursor a progress bar hid is shown again, and
// the error the SDK throws carries the task id for the resume hint.
const SHOW_CURSOR = '\u001b[?25h'

export class InterruptedError extends Error {
  override readonly name = 'InterruptedError'
}

const interrupted = new WeakSet<object>()

/** True for the error a Ctrl-C produced (the SDK's AbortError, or ours before a task existed). */
export function isInterrupt(error: unknown): boolean {
  return typeof error === 'object' && error !== null && interrupted.has(error)
}

/** An interrupt error of our own (e.g. without a resume hint that cannot work). */
export function interruptedError(message: string): InterruptedError {
  const error = new InterruptedError(message)
  interrupted.add(error)
  return error
}

/**
 * Runs `work` with a signal that SIGINT/SIGTERM abort. `onInterrupt` runs first (stop the progress
 * bar); the rejection of `work` is then marked as an interrupt for the exit code.
 */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>, onInterrupt: () => void): Promise<T> {
  const controller = new AbortController()
  const stop = () => {
    onInterrupt()
    if (process.stderr.isTTY) process.stderr.write(SHOW_CURSOR)
    controller.abort(new InterruptedError('interrupted'))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    return await work(controller.signal)
  } catch (error) {
    if (controller.signal.aborted && typeof error === 'object' && error !== null) interrupted.add(error)
    throw error
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}
