import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js'
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js'
import type { Submission, Task } from '@nano-banana/sdk'

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>

/** Where a status stands on a 0..100 scale when the provider reports no percentage. */
const FLOOR: Record<Task['status'], number> = { queued: 1, running: 5, succeeded: 100, failed: 100, canceled: 100 }

/**
 * `notifications/progress` for one tool call, sent only when the client asked (a progressToken) and
 * only with a growing value, as the protocol requires. The first one names the task id, so a client
 * that cancels or times out already holds what it needs to resume.
 */
export function progressReporter(extra: Extra) {
  const token = extra._meta?.progressToken
  let last = -1
  const send = (progress: number, message: string) => {
    if (token === undefined || progress <= last) return
    last = progress
    extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, total: 100, message } }).catch(() => undefined)
  }
  return {
    submitted: (s: Submission) => send(0, `task ${s.taskId} submitted to ${s.provider} (${s.model}); waiting`),
    resumed: (taskId: string, provider: string) => send(0, `waiting for task ${taskId} on ${provider}`),
    update: (task: Task) => {
      const percent = task.progress !== undefined ? Math.round(task.progress * 100) : 0
      send(Math.max(percent, FLOOR[task.status]), `task ${task.taskId}: ${task.status}${task.progress !== undefined ? ` ${percent}%` : ''}`)
    },
  }
}
