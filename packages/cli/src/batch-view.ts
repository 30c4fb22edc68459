import cliProgress from 'cli-progress'
import { field, info } from './output.js'

export interface BatchView {
  /** One job event; `settled` when the job ended (done or failed). */
  event(line: string, settled?: boolean): void
  stop(): void
}

/** A bar of settled jobs on a terminal; one plain line per event otherwise (logs, CI, tests). */
export function createBatchView(total: number, alreadySettled: number, enabled: boolean): BatchView {
  if (!enabled) return { event() {}, stop() {} }
  if (!process.stderr.isTTY) return { event: (line) => info(line), stop() {} }
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '{bar} {value}/{total} jobs | {last}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  )
  bar.start(total, alreadySettled, { last: '' })
  let settled = alreadySettled
  return {
    event: (line, isSettled) => {
      if (isSettled) settled++
      const shown = field(line)
      bar.update(settled, { last: shown.length > 60 ? `${shown.slice(0, 57)}...` : shown })
    },
    stop: () => bar.stop(),
  }
}
