// Item 3: a failover client tries the next provider only after a proven refusal (401, 402, 403, 429,
// 503, a documented refusal code in the provider's own answer, no connection). Any other 5xx came after
// the provider read the submit: AmbiguousSubmitError naming that provider, and no other one is asked.
import { describe, expect, it } from 'vitest'
import { AmbiguousSubmitError, createNanoBanana, type FailoverReason, type NanoBananaError, type ProviderId } from '../../src/index.js'
import { fastSandbox } from '../reliability/support.js'
import { FIXTURES } from '../support.js'
import { closedPort, createdAnswer, PROVIDERS, QUICK, SECRET, server, thrown } from './core-support.js'

const FIRST = PROVIDERS[0]!
const SECOND = PROVIDERS[1]!

function failover(first: string, second: string, firstProvider: ProviderId = FIRST, secondProvider: ProviderId = SECOND) {
  return createNanoBanana({
    providers: [
      { provider: firstProvider, apiKey: SECRET, baseUrl: first },
      { provider: secondProvider, apiKey: SECRET, baseUrl: second },
    ],
    ...QUICK,
  })
}

const errorBody = (status: number) => ({ error: { message: `refused with ${status}` }, message: `refused with ${status}` })

describe('a 5xx after sending', () => {
  it.each([
    ['500 JSON', 500, errorBody(500)],
    ['502 JSON', 502, errorBody(502)],
    ['504 JSON', 504, errorBody(504)],
    ['520 (Cloudflare: unknown)', 520, errorBody(520)],
    ['524 (Cloudflare: timeout)', 524, errorBody(524)],
    ['502 HTML page', 502, '<html><title>502 Bad Gateway</title></html>'],
    ['500 empty', 500, ''],
  ] as const)('%s: AmbiguousSubmitError naming the first provider, the second never asked', async (_, status, body) => {
    const first = await server(() => ({ status, body, headers: typeof body === 'string' ? { 'content-type': 'text/html' } : ({} as Record<string, string>) }))
    const second = await server(() => ({ body: createdAnswer(SECOND).body }))
    const error = await thrown<NanoBananaError>(() => failover(first.url, second.url).submit({ prompt: 'a banana' }))
    expect(error).toBeInstanceOf(AmbiguousSubmitError)
    expect(error).toMatchObject({ provider: FIRST, status, code: 'server_error_after_send' })
    expect(error.message).toContain(FIRST)
    expect(first.requests).toHaveLength(1)
    expect(second.requests).toHaveLength(0)
  })
})

describe('proven refusals fail over', () => {
  it.each([
    [401, 'authentication'],
    [402, 'insufficient-credits'],
    [403, 'permission'],
    [429, 'rate-limited'],
    [503, 'unavailable'],
  ] as const)('HTTP %i: the second provider serves it (reason %s)', async (status, reason: FailoverReason) => {
    const first = await server(() => ({ status, body: errorBody(status) }))
    const second = await server(() => ({ body: createdAnswer(SECOND).body }))
    const submission = await failover(first.url, second.url).submit({ prompt: 'a banana' })
    expect(submission.provider).toBe(SECOND)
    expect(submission.failover).toMatchObject([{ provider: FIRST, reason }])
    expect(first.requests).toHaveLength(1)
    expect(second.requests).toHaveLength(1)
  })

  it('no connection: the second provider serves it (reason unreachable)', async () => {
    const second = await server(() => ({ body: createdAnswer(SECOND).body }))
    const submission = await failover(await closedPort(), second.url).submit({ prompt: 'a banana' })
    expect(submission).toMatchObject({ provider: SECOND, failover: [{ provider: FIRST, reason: 'unreachable' }] })
  })

  // Each provider's own "unavailable" answer as the sandbox renders it from its spec: 503, or a documented
  // refusal code in the provider's envelope (a maintenance code), fails over; a provider whose spec gives its
  // 503 another meaning (the upstream model failed, after the request was read; its fixture says so) does not.
  it.each(PROVIDERS)('%s: its documented unavailable answer', async (provider) => {
    const other = PROVIDERS.find((p) => p !== provider)!
    const refusal = FIXTURES[provider].faultOutcomes?.['submit 503 / 455'] === undefined
    const sandbox = await fastSandbox({ apiKey: SECRET, faults: [{ provider, phase: 'submit', fault: 'unavailable', count: Infinity }] })
    try {
      const nb = failover(sandbox.baseUrl(provider), sandbox.baseUrl(other), provider, other)
      if (refusal) {
        const submission = await nb.submit({ prompt: 'a banana' })
        expect(submission).toMatchObject({ provider: other, failover: [{ provider, reason: 'unavailable' }] })
      } else {
        const error = await thrown<NanoBananaError>(() => nb.submit({ prompt: 'a banana' }))
        expect(error).toMatchObject({ name: 'AmbiguousSubmitError', provider })
      }
      expect(sandbox.requests.filter((r) => r.provider === other && r.phase === 'submit')).toHaveLength(refusal ? 1 : 0)
    } finally {
      await sandbox.close()
    }
  })
})
