// Item 1: API calls never carry the key or custom headers to another origin. A redirect off the API's
// origin is refused (typed), a same-origin redirect that keeps the request the same request is followed.
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
    expect(error).toMatchObject({ provider, code: 'redirect_refused', status })
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
  it.each(PROVIDERS)('%s: a 307 on submit is followed with the same method, body and key', async (provider) => {
    const created = createdAnswer(provider)
    const api = await server((request) =>
      request.path.startsWith('/moved') ? { body: created.body } : { status: 307, headers: { location: `/moved${request.url}` }, body: '' },
    )
    const submission = await client(provider, api.url, { headers }).submit({ prompt: 'a banana' })
    expect(submission.taskId).toBe(created.taskId)
    expect(api.requests).toHaveLength(2)
    const [first, second] = api.requests
    expect(second!.method).toBe(first!.method)
    expect(second!.text).toBe(first!.text)
    expect(second!.headers['x-org-token']).toBe(ORG_TOKEN)
  })

  it.each([
    ['302 to a POST (it would become a GET)', 302, 1],
    ['an endless 307 loop (stopped after 5 hops)', 307, 6],
  ] as const)('%s: refused, AmbiguousSubmitError', async (_, status, requests) => {
    const provider = PROVIDERS[0]!
    const api = await server((request) => ({ status, headers: { location: `/again${request.url}` }, body: '' }))
    const error = await thrown<NanoBananaError>(() => client(provider, api.url).submit({ prompt: 'a banana' }))
    expect(error).toBeInstanceOf(AmbiguousSubmitError)
    expect(error.code).toBe('redirect_refused')
    expect(api.requests).toHaveLength(requests)
  })
})
