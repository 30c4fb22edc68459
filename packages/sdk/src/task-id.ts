import { NanoBananaError } from './errors.js'
import type { ProviderId } from './types.js'

/**
 * The one place an error learns the id of the task it concerns, once the provider accepted a task: the
 * caller can then resume with `wait()`. A foreign error (a caller's callback threw) is wrapped, its
 * original as `cause`. `handle` is what `wait()` takes (the failover client's `provider:taskId`).
 */
export function withTaskId(error: unknown, provider: ProviderId, taskId: string, handle: string = taskId): NanoBananaError {
  if (error instanceof NanoBananaError) {
    error.taskId ??= taskId
    return error
  }
  return new NanoBananaError(
    `${provider}: task ${taskId}: ${error instanceof Error ? error.message : String(error)}; the task was accepted: wait("${handle}") resumes`,
    { provider, taskId, cause: error },
  )
}
