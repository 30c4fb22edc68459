// What a finished-but-failed task means for the caller. Shared by the task readers (a failure inside
// an error answer) and the wait loop (a task that ended failed or canceled).
import { TaskContentPolicyError, TaskFailedError, type NanoBananaError } from './errors.js'
import type { Task } from './types.js'

/** Words providers use when their safety filter refused a prompt or image. */
export const CONTENT_POLICY = /content[_ ]?policy|safety|sensitive|prohibited|moderation|nsfw|unsafe/i

/** Turns a failed or canceled task into the error the caller gets, with the task id on it. */
export function taskFailure(task: Task): NanoBananaError {
  const text = `${task.error?.code ?? ''} ${task.error?.message ?? ''}`
  const Class = CONTENT_POLICY.test(text) ? TaskContentPolicyError : TaskFailedError
  const reason = task.error?.message ?? task.error?.code ?? (task.status === 'canceled' ? 'the task was canceled' : 'no reason given')
  return new Class(`${task.provider}: task ${task.taskId} ${task.status}: ${reason}`, {
    provider: task.provider,
    taskId: task.taskId,
    code: task.error?.code ?? task.status,
    body: task.raw,
  })
}
