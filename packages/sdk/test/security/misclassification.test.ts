// Item 14: each failure gets the class that says what happened: a task id no provider issued is bad
// input (not a retried ConnectionError); a wait whose polls keep failing ends in TimeoutError at its
// deadline, with the task id; a lone status check gives up after a few tries; a result URL that is not
// http(s) is refused, not retried.
import { describe, expect, it } from 'vitest'
import { InvalidRequestError, NanoBananaError, ResponseFormatError, ServerError, TimeoutError } from '../../src/index.js'
import { FIXTURES } from '../support.js'
import { client, createdAnswer, PROVIDERS, server, succeededAnswer, thrown } from './core-support.js'

const PROVIDER = PROVIDERS[0]!
const failing = () => ({ status: 500, body: { error: { message: 'internal error' } } })

describe('task ids', () => {
  it.each([
    ['a lone high surrogate', 'task-\uD800'],
    ['a lone low surrogate', '\uDC00-task'],
    ['a reversed pair', 'task-\uDC00\uD800'],
  ])('%s: InvalidRequestError from getTask() and wait(), no request', async (_, taskId) => {
    const api = await server(failing)
    const nb = client(PROVIDER, api.url)
    for (const call of [() => nb.getTask(taskId), () => nb.wait(taskId)]) {
      const error = await thrown<NanoBananaError>(call)
      expect(error).toBeInstanceOf(InvalidRequestError)
      expect(error.param).toBe('taskId')
    }
    expect(api.requests).toHaveLength(0)
  })

  it('a well-formed pair (an emoji) is a valid id', async () => {
    const api = await server(failing)
    const error = await thrown<NanoBananaError>(() => client(PROVIDER, api.url, { retry: { poll: { maxRetries: 0 } } }).getTask('task-🍌'))
    expect(error).toBeInstanceOf(ServerError)
    expect(api.requests).toHaveLength(1)
  })
})

describe('polls that keep failing', () => {
  it.each(PROVIDERS)('%s: wait() ends in TimeoutError at its deadline, with the task id and the last failure as its cause', async (provider) => {
    const api = await server(failing)
    const { taskId } = createdAnswer(provider)
    const error = await thrown<NanoBananaError>(() => client(provider, api.url).wait(taskId, { timeoutMs: 600 }))
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error.taskId).toBe(taskId)
    // The last poll's failure: the 500, or the poll cut short by the deadline.
    expect(error.cause).toBeInstanceOf(NanoBananaError)
    expect(api.requests.length).toBeGreaterThanOrEqual(1)
  })

  it.each([
    ['default retries', {}, 4],
    ['retry.poll.maxRetries: 1', { retry: { poll: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2 } } }, 2],
  ] as const)('a lone getTask() against a server answering 500 (%s): ServerError after a bounded number of requests', async (_, options, most) => {
    const api = await server(failing)
    const error = await thrown<NanoBananaError>(() => client(PROVIDER, api.url, options).getTask('task-1'))
    expect(error).toBeInstanceOf(ServerError)
    expect(error.taskId).toBe('task-1')
    expect(api.requests.length).toBe(most)
  })
})

describe('result URLs that are not http(s)', () => {
  it.each(['file:///etc/passwd', 'ftp://files.example.com/a.png', 'gopher://example.com/x'])(
    '%s: refused with a ResponseFormatError, never fetched, the wait not retried',
    async (bad) => {
      const created = createdAnswer(PROVIDER)
      const done = succeededAnswer(PROVIDER, created.taskId)
      let text = JSON.stringify(done)
      for (const url of FIXTURES[PROVIDER].urlsOf(done) as string[]) text = text.split(JSON.stringify(url)).join(JSON.stringify(bad))
      const api = await server((request) => (request.method === 'POST' ? { body: created.body } : { body: text }))
      let fetched = 0
      const counting: typeof fetch = (input, init) => {
        if (!String(input).startsWith(api.url)) fetched++
        return fetch(input, init)
      }
      const error = await thrown<NanoBananaError>(() =>
        client(PROVIDER, api.url, { fetch: counting, retry: { download: { maxRetries: 3 } } }).generate({ prompt: 'a banana' }),
      )
      expect(error).toBeInstanceOf(ResponseFormatError)
      expect(error.taskId).toBe(created.taskId)
      expect(fetched).toBe(0)
      // One submit and the one poll that found the task finished: nothing was retried.
      expect(api.requests).toHaveLength(2)
    },
  )
})
