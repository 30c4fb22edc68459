// News of tasks from callbacks, for waiting: the callbacks handler publishes what arrives, a client's
// wait() subscribes to its task and polls at once when news comes (the poll confirms it: a callback is
// untrusted input). One small source a process shares between its receiver and its clients.
import type { ProviderId, Task } from './types.js'

export interface TaskEvents {
  /** Feed it the handler's tasks: `createCallbackHandler({ provider, onTask: events.publish })`. */
  publish(task: Pick<Task, 'provider' | 'taskId' | 'status'>): void
  /** Calls `listener` when the task ends per a callback (also if that happened shortly before); returns the unsubscribe. */
  subscribe(provider: ProviderId, taskId: string, listener: () => void): () => void
}

/** Tasks whose end arrived before anyone waited for them, remembered for a while (a callback may beat the first wait). */
const REMEMBER = 256

const ENDED = new Set(['succeeded', 'failed', 'canceled'])

export function createTaskEvents(): TaskEvents {
  const listeners = new Map<string, Set<() => void>>()
  const ended = new Set<string>()
  const keyOf = (provider: string, taskId: string) => `${provider}\n${taskId}`
  return {
    publish(task) {
      if (!ENDED.has(task.status)) return
      const key = keyOf(task.provider, task.taskId)
      const waiting = listeners.get(key)
      if (waiting?.size) for (const listener of [...waiting]) listener()
      else {
        ended.add(key)
        if (ended.size > REMEMBER) ended.delete(ended.values().next().value as string)
      }
    },
    subscribe(provider, taskId, listener) {
      const key = keyOf(provider, taskId)
      let set = listeners.get(key)
      if (!set) listeners.set(key, (set = new Set()))
      set.add(listener)
      if (ended.delete(key)) queueMicrotask(listener)
      return () => {
        set.delete(listener)
        if (!set.size) listeners.delete(key)
      }
    },
  }
}
