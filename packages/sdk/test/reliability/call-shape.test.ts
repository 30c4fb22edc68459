// submit() and getTask() run without async frames of their own: what an async function guaranteed must still
// hold. Bad input rejects (never a synchronous throw) before anything is sent, and every error of a lone
// getTask carries the task id, for each provider.
import { describe, expect, it } from 'vitest'
import { ConnectionError, createNanoBanana, InvalidRequestError, NanoBananaError, providerIds, type ProviderId } from '../../src/index.js'
import { API_KEY, fakeFetch, ids, sampleTaskId } from '../support.js'

const client = (provider: ProviderId, fetch: typeof globalThis.fetch) =>
  createNanoBanana({ provider, apiKey: API_KEY, baseUrl: 'https://api.example.test', fetch, retry: { submit: { maxRetries: 0 }, poll: { maxRetries: 0 } } })

/** Calls `call` and returns what it returned; a synchronous throw fails the test. */
function returned<T>(call: () => T): T {
  let value: T | undefined
  expect(() => {
    value = call()
  }).not.toThrow()
  return value as T
}

/** What `pending` rejected with; undefined when it resolved (then the caller's instanceof check fails). */
const rejectionOf = (pending: Promise<unknown>): Promise<unknown> =>
  pending.then(
    () => undefined,
    (e: unknown) => e,
  )

describe.each(providerIds)('%s: submit() rejects bad input, it does not throw', (provider) => {
  it('an empty prompt: a rejected promise, InvalidRequestError, nothing sent', async () => {
    const { fetch, calls } = fakeFetch(() => ({ body: {} }))
    const pending = returned(() => client(provider, fetch).submit({ prompt: '' }))
    expect(pending).toBeInstanceOf(Promise)
    await expect(pending).rejects.toBeInstanceOf(InvalidRequestError)
    expect(calls).toHaveLength(0)
  })

  it('a request that is no object: a rejected promise, nothing sent', async () => {
    const { fetch, calls } = fakeFetch(() => ({ body: {} }))
    const pending = returned(() => client(provider, fetch).submit(null as never))
    await expect(pending).rejects.toBeInstanceOf(InvalidRequestError)
    expect(calls).toHaveLength(0)
  })
})

describe.each(ids)('%s: a lone getTask()', (provider) => {
  it('an empty task id: a rejected promise, InvalidRequestError, nothing sent', async () => {
    const { fetch, calls } = fakeFetch(() => ({ body: {} }))
    const pending = returned(() => client(provider, fetch).getTask(''))
    expect(pending).toBeInstanceOf(Promise)
    await expect(pending).rejects.toBeInstanceOf(InvalidRequestError)
    expect(calls).toHaveLength(0)
  })

  it('an error answer: the error carries the task id', async () => {
    const taskId = sampleTaskId(provider)
    const { fetch, calls } = fakeFetch(() => ({ status: 404, body: { error: { message: 'no such task' } } }))
    const error = await rejectionOf(client(provider, fetch).getTask(taskId))
    expect(error).toBeInstanceOf(NanoBananaError)
    expect((error as NanoBananaError).taskId).toBe(taskId)
    expect(calls).toHaveLength(1)
  })

  it('an answer that is no task: the error carries the task id', async () => {
    const taskId = sampleTaskId(provider)
    const { fetch } = fakeFetch(() => ({ body: 'not json' }))
    const error = await rejectionOf(client(provider, fetch).getTask(taskId))
    expect(error).toBeInstanceOf(NanoBananaError)
    expect((error as NanoBananaError).taskId).toBe(taskId)
  })

  it('a lost connection: ConnectionError with the task id', async () => {
    const taskId = sampleTaskId(provider)
    let attempts = 0
    const fetch = (async () => {
      attempts++
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) })
    }) as typeof globalThis.fetch
    const error = await rejectionOf(client(provider, fetch).getTask(taskId))
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as NanoBananaError).taskId).toBe(taskId)
    // retry.poll.maxRetries 0: one attempt.
    expect(attempts).toBe(1)
  })
})
