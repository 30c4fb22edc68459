// Item 1: API calls never carry the key or custom headers to another origin. A redirect off the API's
// origin is refused (typed); a submit (a request with a body) is sent once and never redirected; a poll
// follows a same-origin redirect.
import { describe, expect, it } from 'vitest'
import { AmbiguousSubmitError, ResponseFormatError, type NanoBananaError } from '../../src/index.js'
import { client, createdAnswer, PROVIDERS, providerHandler, SECRET, server, thrown } from './core-support.js'

const ORG_TOKEN = 'org-token-5Jd8Qw2Zk'
const headers = { 'x-org-token': ORG_TOKEN }

describe('a redirect to another origin', () => {
  const cases = PROVIDERS.flatMap((provider) => [301, 302, 303, 307, 308].map((status) => [provider, status] as const))

  it.each(cases)('%s: submit answered %i to another origin: nothing reaches it, AmbiguousSubmitError', async (provider, status) => {
    const attacker = await server(() => ({ body: createdAnswer(provider).body }))
    const api = await server(() => ({ status, headers: { location: `${attacker.url}/steal` }, body: '' }))
    const error = await thrown<NanoBananaError>(() => client(provider, api.url, { headers }).submit({ prompt: 'a banana' }))
    expect(error).toBeInstanceOf(AmbiguousSubmitError)
    // No status: Node's fetch refuses the redirect of a request with a body itself ('error' mode) and hides it.
    expect(error).toMatchObject({ provider, code: 'redirect_refused' })
    expect(error.message).not.toContain(SECRET)
    expect(attacker.requests).toHaveLength(0)
    expect(api.requests).toHaveLength(1)
  })

  it.each(PROVIDERS)('%s: a poll redirected to another origin: refused, not retried, nothing reaches it', async (provider) => {
    const attacker = await server(providerHandler(provider))
    const api = await server(() => ({ status: 307, headers: { location: `${attacker.url}/v1/tasks/x` }, body: '' }))
    const { taskId } = createdAnswer(provider)
    const error = await thrown<NanoBananaError>(() => client(provider, api.url, { headers }).getTask(taskId))
    expect(error).toBeInstanceOf(ResponseFormatError)
    expect(error).toMatchObject({ code: 'redirect_refused', taskId })
    expect(attacker.requests).toHaveLength(0)
    expect(api.requests).toHaveLength(1)
  })
})

describe('a redirect within the API origin', () => {
  it.each(PROVIDERS.flatMap((provider) => [302, 307, 308].map((status) => [provider, status] as const)))(
    '%s: a submit answered %i to its own origin: sent once, not followed, AmbiguousSubmitError',
    async (provider, status) => {
      const created = createdAnswer(provider)
      const api = await server((request) =>
        request.path.startsWith('/moved') ? { body: created.body } : { status, headers: { location: `/moved${request.url}` }, body: '' },
      )
      const error = await thrown<NanoBananaError>(() => client(provider, api.url, { headers }).submit({ prompt: 'a banana' }))
      expect(error).toBeInstanceOf(AmbiguousSubmitError)
      expect(error.code).toBe('redirect_refused')
      expect(api.requests).toHaveLength(1)
    },
  )

  it.each(PROVIDERS)('%s: a poll answered 307 to its own origin is followed with the key and headers', async (provider) => {
    const { taskId } = createdAnswer(provider)
    const answer = providerHandler(provider)
    const api = await server((request) =>
      request.path.startsWith('/moved') ? answer(request) : { status: 307, headers: { location: `/moved${request.url}` }, body: '' },
    )
    const task = await client(provider, api.url, { headers }).getTask(taskId)
    expect(task.taskId).toBe(taskId)
    // Each query (a task may take more than one) redirected once, then followed with the headers.
    const moved = api.requests.filter((r) => r.path.startsWith('/moved'))
    expect(moved.length).toBeGreaterThan(0)
    expect(moved.length * 2).toBe(api.requests.length)
    expect(moved.every((r) => r.headers['x-org-token'] === ORG_TOKEN)).toBe(true)
  })

  it('a poll in an endless same-origin 307 loop: refused after 5 hops, ResponseFormatError', async () => {
    const provider = PROVIDERS[0]!
    const api = await server((request) => ({ status: 307, headers: { location: `/again${request.url}` }, body: '' }))
    const error = await thrown<NanoBananaError>(() => client(provider, api.url).getTask(createdAnswer(provider).taskId))
    expect(error).toBeInstanceOf(ResponseFormatError)
    expect(error.code).toBe('redirect_refused')
    expect(api.requests).toHaveLength(6)
  })
})
