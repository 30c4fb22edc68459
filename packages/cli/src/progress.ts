import cliProgress from 'cli-progress'
import type { Task } from '@nano-banana/sdk'
import { field, info } from './output.js'

export interface ProgressView {
  update(task: Task): void
  stop(): void
}

/** A progress bar on a terminal; one line per change otherwise (logs, CI, tests). */
export function createProgressView(taskId: string, enabled: boolean): ProgressView {
  if (!enabled) return { update() {}, stop() {} }
  if (!process.stderr.isTTY) {
    return {
      update: (task) => info(`${task.status}${task.progress !== undefined ? ` ${Math.round(task.progress * 100)}%` : ''}`),
      stop() {},
    }
  }
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `{bar} {percentage}% | {status} | task ${field(taskId)}`, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  )
  bar.start(100, 0, { status: 'queued' })
  return {
    update: (task) => bar.update(Math.round((task.progress ?? (task.status === 'succeeded' ? 1 : 0)) * 100), { status: task.status }),
    stop: () => bar.stop(),
  }
}
