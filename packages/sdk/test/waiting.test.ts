// Waiting through the client against the sandbox: learned durations reach the store the caller passes,
// and a wait for a task submitted with a callback URL wakes on the callback news instead of polling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '@nano-banana/sandbox'
import { createTaskEvents } from '../src/index.js'
import { CALLBACK_PROVIDERS, fastSandbox, PROVIDERS, requestsOf, sandboxClient, until } from './reliability/support.js'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await fastSandbox()
})
afterAll(() => sandbox.close())

// Status queries only: where the output is read separately (`getImageTaskResult`), that read is no poll.
const pollsOf = (taskId: string) => requestsOf(sandbox, 'poll').filter((r) => r.taskId === taskId && r.operation === 'getImageTask').length

describe.each(PROVIDERS)('%s: learned durations', (provider) => {
  it('each finished generate() records its duration under provider/model, and a new client reads them back', async () => {
    const stored = new Map<string, readonly number[]>()
    const reads: string[] = []
    const store = {
      get: (key: string) => {
        reads.push(key)
        return stored.get(key)
      },
      set: (key: string, seconds: readonly number[]) => stored.set(key, seconds),
    }
    const nb = sandboxClient(sandbox, provider, { durationStore: store })
    const first = await nb.generate({ prompt: 'a cat' })
    await nb.generate({ prompt: 'a dog' })
    const key = `${provider}/${first.model}`
    expect([...stored.keys()]).toEqual([key])
    const seconds = stored.get(key) ?? []
    expect(seconds).toHaveLength(2)
    // The sandbox's tasks take 60 ms, so the poll that sees one done comes >= 60 ms after submit; what is
    // learned is the middle between it and the last poll that saw it running (>= 30 ms), or just under it.
    for (const s of seconds) expect(s).toBeGreaterThanOrEqual(0.03)
    const again = sandboxClient(sandbox, provider, { durationStore: store })
    await again.generate({ prompt: 'a bird' })
    expect(reads.filter((k) => k === key)).toHaveLength(2)
    expect(stored.get(key)).toHaveLength(3)
  })
})

describe.each(CALLBACK_PROVIDERS)('%s: callbacks first', (provider) => {
  it('a generate() with a callbackUrl and taskEvents polls once, when the news arrives', async () => {
    const events = createTaskEvents()
    // The sandbox's own callback delivery goes nowhere here: the test publishes the news itself, once the task ended.
    const nb = sandboxClient(sandbox, provider, { taskEvents: events })
    let taskId = ''
    const result = await nb.generate({
      prompt: 'a cat',
      callbackUrl: 'http://127.0.0.1:9/cb',
      onSubmitted: (submission) => {
        taskId = submission.taskId
        void until(() => sandbox.tasks.get(provider, submission.taskId)?.finishedAt, 3000, 'the task to end').then(() =>
          events.publish({ provider, taskId: submission.taskId, status: 'succeeded' }),
        )
      },
    })
    expect(result.images.length).toBeGreaterThan(0)
    expect(pollsOf(taskId)).toBe(1)
  })
})
