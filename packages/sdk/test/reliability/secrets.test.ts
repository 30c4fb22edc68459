// Secrets: the API key never reaches an error (message, toString, toJSON, stack, cause chain, body) or a
// log line. The fault matrix searches every error it provokes; here: the search itself is checked, and a
// provider that echoes the key back is redacted at the client's one choke point. (The CLI's output is
// checked in packages/cli/test/secrets.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNanoBanana, NanoBananaError, providers, redactSecrets } from '../../src/index.js'
import { leaks, PROVIDERS, SECRET_KEY, serveHandler, type LocalHttp } from './support.js'

describe('the leak search finds a key wherever it hides', () => {
  it('message, body, cause chain, a plain-object cause, a custom field', () => {
    const inner = new Error(`upstream said ${SECRET_KEY}`)
    const cases: unknown[] = [
      new NanoBananaError(`bad key ${SECRET_KEY}`),
      new NanoBananaError('ok', { body: { error: { message: [`key=${SECRET_KEY}`] } } }),
      new NanoBananaError('ok', { cause: new Error('wrapper', { cause: inner }) }),
      new NanoBananaError('ok', { cause: { headers: { authorization: `Bearer ${SECRET_KEY}` } } }),
      Object.assign(new Error('ok'), { request: { headers: new Headers({ 'x-api-key': SECRET_KEY }) } }),
    ]
    for (const error of cases) expect(leaks([error], SECRET_KEY).length, String(error)).toBeGreaterThan(0)
  })

  it('redactSecrets removes it from all of those (except opaque objects such as Headers)', () => {
    const cases = [
      new NanoBananaError(`bad key ${SECRET_KEY}`, { suggestion: `rotate ${SECRET_KEY}` }),
      new NanoBananaError('ok', { body: { error: { message: [`key=${SECRET_KEY}`] } } }),
      new NanoBananaError('ok', { cause: new Error('wrapper', { cause: new Error(`upstream said ${SECRET_KEY}`) }) }),
      new NanoBananaError('ok', { cause: { headers: { authorization: `Bearer ${SECRET_KEY}` } } }),
    ]
    for (const error of cases) expect(leaks([redactSecrets(error, [SECRET_KEY])], SECRET_KEY), String(error)).toEqual([])
    expect(redactSecrets(new NanoBananaError(`k ${SECRET_KEY}`), [SECRET_KEY]).message).toBe('k [redacted]')
  })
})

describe('a provider that echoes the key back', () => {
  let echo: LocalHttp
  /** Answers like a provider refusing the key, quoting it in the message, the body and a header. */
  beforeAll(async () => {
    echo = await serveHandler(async (request) => {
      const key = request.headers.get('x-api-key') ?? request.headers.get('authorization')?.replace(/^Bearer /, '') ?? ''
      const url = new URL(request.url)
      if (url.searchParams.get('mode') === 'ok-unreadable' || url.pathname.includes('unreadable')) {
        return new Response(`<html>accepted for ${key}</html>`, { status: 200, headers: { 'content-type': 'text/html' } })
      }
      return Response.json(
        {
          code: 401,
          message: `Invalid API key ${key}`,
          msg: `Invalid API key ${key}`,
          error: { code: 'invalid_api_key', message: `Key ${key} is invalid`, type: 'authentication_error' },
        },
        { status: 401, headers: { 'x-echo': key } },
      )
    })
  })
  afterAll(() => echo.close())

  it.each(PROVIDERS)('%s: submit, getTask and wait errors carry no key', async (provider) => {
    const nb = createNanoBanana({ provider, apiKey: SECRET_KEY, baseUrl: `${echo.url}/${provider}`, retry: { submit: { maxRetries: 0 }, poll: { maxRetries: 0 } } })
    const errors = [
      await nb.submit({ prompt: 'echo' }).catch((e: unknown) => e),
      await nb.getTask('task-unified-1').catch((e: unknown) => e),
      await nb.wait('task-unified-1', { timeoutMs: 200 }).catch((e: unknown) => e),
    ]
    for (const error of errors) expect(error).toBeInstanceOf(NanoBananaError)
    // Without the choke point the adapter's error would carry it (so the test means something)...
    const raw = providers[provider].parseError(401, { message: `Invalid API key ${SECRET_KEY}`, error: { message: `Key ${SECRET_KEY}` } }, new Headers())
    expect(leaks([raw], SECRET_KEY).length).toBeGreaterThan(0)
    // ...while what the client throws carries none.
    expect(leaks(errors, SECRET_KEY)).toEqual([])
    expect(String((errors[0] as NanoBananaError).message)).toContain('[redacted]')
  })

  it('an unreadable 2xx that quotes the key: AmbiguousSubmitError without it', async () => {
    const nb = createNanoBanana({ provider: PROVIDERS[0]!, apiKey: SECRET_KEY, baseUrl: `${echo.url}/unreadable` })
    const error = await nb.submit({ prompt: 'echo' }).catch((e: unknown) => e)
    expect((error as Error).name).toBe('AmbiguousSubmitError')
    expect(leaks([error], SECRET_KEY)).toEqual([])
  })
})

// The CLI as a user runs it: `node packages/cli/dist/bin.js` with the key in the environment.
