// Item 4: every numeric option of every public entry point is checked before anything is sent: NaN,
// negative, non-finite where it means nothing, a fraction where a count is needed -> InvalidRequestError
// naming the option, and the server sees no request.
import { describe, expect, it } from 'vitest'
import { createNanoBanana, InvalidRequestError, providers, type NanoBananaError, type NanoBananaOptions } from '../../src/index.js'
import { client, PROVIDERS, providerHandler, QUICK, SECRET, server, thrown } from './core-support.js'

const PROVIDER = PROVIDERS[0]!
const BAD_DURATION = [Number.NaN, -1, 0, Infinity, -Infinity, '5', null, 2 ** 31]
const BAD_DELAY = [Number.NaN, -1, Infinity, '5', 2 ** 31]
const BAD_COUNT = [Number.NaN, -1, 1.5, '2', null]

/** [option path, bad values, how to set it on the client options] */
const CLIENT_OPTIONS: [string, unknown[], (v: unknown) => Partial<NanoBananaOptions>][] = [
  ['timeoutMs', [Number.NaN, -1, 0, -Infinity, '600'], (v) => ({ timeoutMs: v as number })],
  ['requestTimeoutMs', BAD_DURATION, (v) => ({ requestTimeoutMs: v as number })],
  ['maxResponseBytes', [...BAD_COUNT, 0, Infinity], (v) => ({ maxResponseBytes: v as number })],
  ['maxConcurrency', [...BAD_COUNT, 0], (v) => ({ maxConcurrency: v as number })],
  ...(['submit', 'poll', 'download'] as const).flatMap((phase) => [
    [`retry.${phase}.maxRetries`, BAD_COUNT, (v: unknown) => ({ retry: { [phase]: { maxRetries: v } } })] as [
      string,
      unknown[],
      (v: unknown) => Partial<NanoBananaOptions>,
    ],
    ...(['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const).map(
      (key) =>
        [`retry.${phase}.${key}`, BAD_DELAY, (v: unknown) => ({ retry: { [phase]: { [key]: v } } })] as [
          string,
          unknown[],
          (v: unknown) => Partial<NanoBananaOptions>,
        ],
    ),
  ]),
  ['polling.initialDelayMs', BAD_DELAY, (v) => ({ polling: { initialDelayMs: v as number } })],
  ['polling.minDelayMs', [...BAD_DELAY, 0], (v) => ({ polling: { minDelayMs: v as number } })],
  ['polling.maxDelayMs', [...BAD_DELAY, 0], (v) => ({ polling: { maxDelayMs: v as number } })],
  ['polling.elapsedFactor', [Number.NaN, -0.1, Infinity], (v) => ({ polling: { elapsedFactor: v as number } })],
  ['polling.callbackSafetyNetMs', [...BAD_DELAY, 0], (v) => ({ polling: { callbackSafetyNetMs: v as number } })],
]

const rows = CLIENT_OPTIONS.flatMap(([name, values, set]) => values.map((value) => [name, value, set] as const))

describe('createNanoBanana options', () => {
  it.each(rows)('%s = %s: InvalidRequestError naming it, nothing sent', async (name, value, set) => {
    const api = await server(providerHandler(PROVIDER))
    const error = await thrown<NanoBananaError>(() => createNanoBanana({ provider: PROVIDER, apiKey: SECRET, baseUrl: api.url, ...set(value) } as NanoBananaOptions))
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error.param).toBe(name)
    expect(error.message).toContain(name)
    expect(api.requests).toHaveLength(0)
  })

  it('a failover entry and the shared options are checked the same way', async () => {
    const error = await thrown<NanoBananaError>(() =>
      createNanoBanana({
        providers: [
          { provider: PROVIDER, apiKey: SECRET },
          { provider: PROVIDERS[1]!, apiKey: SECRET, requestTimeoutMs: Number.NaN },
        ],
      }),
    )
    expect(error).toMatchObject({ name: 'InvalidRequestError', param: 'requestTimeoutMs', provider: PROVIDERS[1] })
    const shared = await thrown<NanoBananaError>(() => createNanoBanana({ providers: [{ provider: PROVIDER, apiKey: SECRET }], maxConcurrency: Number.NaN }))
    expect(shared).toMatchObject({ name: 'InvalidRequestError', param: 'maxConcurrency' })
  })

  it('polling.minDelayMs above polling.maxDelayMs is refused', async () => {
    const error = await thrown<NanoBananaError>(() => client(PROVIDER, 'http://127.0.0.1:9', { polling: { minDelayMs: 50, maxDelayMs: 10 } }))
    expect(error).toMatchObject({ name: 'InvalidRequestError', param: 'polling.minDelayMs' })
  })

  it('the limits that may be unlimited accept Infinity', () => {
    expect(() =>
      client(PROVIDER, 'http://127.0.0.1:9', {
        timeoutMs: Infinity,
        maxConcurrency: Infinity,
        retry: { poll: { maxRetries: Infinity }, submit: { maxRetries: 0 } },
      }),
    ).not.toThrow()
  })
})

describe('per-call options', () => {
  it.each([-5, Number.NaN, Infinity])('a provider estimate of %s seconds is dropped, never an error after the task was paid for', async (estimate) => {
    const api = await server(providerHandler(PROVIDER))
    const adapter = providers[PROVIDER]
    const odd = {
      ...adapter,
      parseSubmit: (data: unknown, response: Response) => ({ ...(adapter.parseSubmit(data, response) as object), estimatedSeconds: estimate }),
    }
    const result = await createNanoBanana({ provider: odd as typeof adapter, apiKey: SECRET, baseUrl: api.url, ...QUICK }).generate({ prompt: 'a banana' })
    expect(result.images.length).toBeGreaterThan(0)
  })

  it.each([Number.NaN, -1, 0, '10'])('generate({ timeoutMs: %s }): refused before the submit (no task paid for)', async (timeoutMs) => {
    const api = await server(providerHandler(PROVIDER))
    const error = await thrown<NanoBananaError>(() => client(PROVIDER, api.url).generate({ prompt: 'a banana', timeoutMs: timeoutMs as number }))
    expect(error).toMatchObject({ name: 'InvalidRequestError', param: 'timeoutMs' })
    expect(api.requests).toHaveLength(0)
  })

  it.each([
    ['timeoutMs', { timeoutMs: Number.NaN }],
    ['timeoutMs', { timeoutMs: -1 }],
    ['estimatedSeconds', { estimatedSeconds: Number.NaN }],
    ['startedAt', { startedAt: -Infinity }],
  ] as const)('wait(id, %s bad): refused, no poll', async (param, options) => {
    const api = await server(providerHandler(PROVIDER))
    const error = await thrown<NanoBananaError>(() => client(PROVIDER, api.url).wait('task-1', options))
    expect(error).toMatchObject({ name: 'InvalidRequestError', param })
    expect(api.requests).toHaveLength(0)
  })

  it.each([
    ['maxBytes', { maxBytes: Number.NaN }],
    ['maxBytes', { maxBytes: 1.5 }],
    ['maxBytes', { maxBytes: 0 }],
    ['timeoutMs', { timeoutMs: -5 }],
    ['timeoutMs', { timeoutMs: Infinity }],
  ] as const)('download({ %s bad }): refused, the image host never asked', async (param, options) => {
    const api = await server(providerHandler(PROVIDER))
    let downloads = 0
    const counting: typeof fetch = (input, init) => {
      if (!String(input).startsWith(api.url)) downloads++
      return fetch(input, init)
    }
    const result = await client(PROVIDER, api.url, { fetch: counting }).generate({ prompt: 'a banana' })
    const error = await thrown<NanoBananaError>(() => result.images[0]!.download(options))
    expect(error).toMatchObject({ name: 'InvalidRequestError', param })
    expect(downloads).toBe(0)
  })
})
