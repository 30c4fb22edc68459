// One class for failed tasks: whatever a provider says when its task fails (content policy included),
// `instanceof TaskFailedError` catches it and it carries the task id; a content-policy failure of a task
// is also a ContentPolicyError.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { ContentPolicyError, createNanoBanana, providerIds, providers, TaskContentPolicyError, TaskFailedError } from '../../src/index.js'
import { FAST } from './support.js'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ taskDurationMs: 100 })
})
afterAll(() => sandbox.close())

// A failed task is a task provider's; a synchronous refusal is covered by synchronous.test.ts.
// Providers side by side: each waits out its own task, and its fault names its provider.
describe.concurrent.each(providerIds.filter((id) => !providers[id].synchronous))('%s', (provider) => {
  it('a failed task is a TaskFailedError with its task id', async () => {
    // Marked at submission: a mark at the first poll lost the race with the task's end on a loaded machine.
    sandbox.faults.add({ provider, phase: 'submit', fault: 'task-fail' })
    const nb = createNanoBanana({ provider, apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl(provider), ...FAST })
    const error = await nb.generate({ prompt: 'fail me' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TaskFailedError)
    expect((error as TaskFailedError).taskId).toMatch(/.+/)
  })
})

it('a content-policy failure of a task is both a TaskFailedError and a ContentPolicyError; a refusal at submit is not a TaskFailedError', () => {
  const task = new TaskContentPolicyError('blocked', { taskId: 't-1' })
  expect(task).toBeInstanceOf(TaskFailedError)
  expect(task).toBeInstanceOf(ContentPolicyError)
  const submit = new ContentPolicyError('blocked')
  expect(submit).not.toBeInstanceOf(TaskFailedError)
})
