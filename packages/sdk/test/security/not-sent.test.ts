// Item 8: what is refused on this machine is reported as not sent, never as "may have been sent": a key
// or header fetch cannot send is a ConfigurationError at construction; a request the runtime refuses
// before any I/O (an invalid header, a custom fetch that says so, an auth function that throws) is a
// NotSentError, on which a failover client moves on.
import { createClient, RequestNotSentError } from '@nano-banana/runtime'
import { describe, expect, it } from 'vitest'
import { ConfigurationError, createNanoBanana, NotSentError, type NanoBananaError } from '../../src/index.js'
import { client, createdAnswer, PROVIDERS, QUICK, SECRET, server, thrown } from './core-support.js'

const PROVIDER = PROVIDERS[0]!

describe('a key or header value fetch cannot send', () => {
  it.each([
    ['a key with a line break', { apiKey: `${SECRET}\n` }, 'apiKey'],
    ['a key with CR LF inside', { apiKey: `sk-abc\r\nX-Injected: 1` }, 'apiKey'],
    ['a key with a NUL', { apiKey: 'sk-abc\u0000def' }, 'apiKey'],
    ['a key with a non-Latin-1 character', { apiKey: 'sk-ключ-1234567' }, 'apiKey'],
    ['a key with an emoji', { apiKey: 'sk-🍌-12345678' }, 'apiKey'],
    ['a header value with a line break', { headers: { 'x-org': 'a\nb' } }, 'headers["x-org"]'],
    ['a header value outside Latin-1', { headers: { 'x-org': 'ā' } }, 'headers["x-org"]'],
    ['a header name with a space', { headers: { 'x org': 'v' } }, 'headers'],
  ] as const)('%s: ConfigurationError naming it (never the value), nothing sent', async (_, options, param) => {
    const api = await server(() => ({ body: createdAnswer(PROVIDER).body }))
    const error = await thrown<NanoBananaError>(() => client(PROVIDER, api.url, options as never).submit({ prompt: 'a banana' }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error.param).toBe(param)
    expect(error.message).not.toContain('ключ')
    expect(error.message).not.toContain(SECRET)
    expect(api.requests).toHaveLength(0)
  })
})

describe('a request refused before any I/O', () => {
  /** A fetch that adds `headers` and calls the real fetch (so the runtime's own header check runs). */
  const adding =
    (headers: Record<string, string>): typeof fetch =>
    (input, init) =>
      fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } })

  it.each([
    ['the runtime refuses a header value with a line break', adding({ 'x-bad': 'a\nb' })],
    ['the runtime refuses a header value outside Latin-1', adding({ 'x-bad': 'ключ' })],
    [
      'a custom fetch throws NotSentError',
      (async () => {
        throw new NotSentError('offline mode: not sending')
      }) as typeof fetch,
    ],
  ])('%s: NotSentError (not AmbiguousSubmitError), not resent, nothing reached the server', async (_, fetchImpl) => {
    const api = await server(() => ({ body: createdAnswer(PROVIDER).body }))
    const error = await thrown<NanoBananaError>(() =>
      client(PROVIDER, api.url, { fetch: fetchImpl, retry: { submit: { maxRetries: 2 } } }).submit({ prompt: 'a banana' }),
    )
    expect(error).toBeInstanceOf(NotSentError)
    expect(error.name).not.toBe('AmbiguousSubmitError')
    expect(api.requests).toHaveLength(0)
  })

  it('a failover client moves on to the next provider', async () => {
    const second = PROVIDERS[1]!
    const first = await server(() => ({ body: createdAnswer(PROVIDER).body }))
    const other = await server(() => ({ body: createdAnswer(second).body }))
    const nb = createNanoBanana({
      providers: [
        { provider: PROVIDER, apiKey: SECRET, baseUrl: first.url, fetch: adding({ 'x-bad': 'a\r\nb' }) },
        { provider: second, apiKey: SECRET, baseUrl: other.url },
      ],
      ...QUICK,
    })
    const submission = await nb.submit({ prompt: 'a banana' })
    expect(submission).toMatchObject({ provider: second, failover: [{ provider: PROVIDER, reason: 'unreachable', error: 'NotSentError' }] })
    expect(first.requests).toHaveLength(0)
    expect(other.requests).toHaveLength(1)
  })

  it('the runtime: an auth function that throws is RequestNotSentError, and fetch is never called', async () => {
    let calls = 0
    const runtime = createClient({
      baseUrl: 'http://127.0.0.1:9',
      auth: () => {
        throw new Error('vault unreachable')
      },
      fetch: (async () => {
        calls++
        return new Response('{}')
      }) as typeof fetch,
    })
    const error = await thrown(() => runtime.post({ url: '/tasks', security: [{ type: 'http', scheme: 'bearer' }], body: {} }))
    expect(error).toBeInstanceOf(RequestNotSentError)
    expect(calls).toBe(0)
  })
})
