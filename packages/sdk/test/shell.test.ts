// The up-front shell of `createNanoBananaClient` (`@nano-banana/sdk/core`, src/shell.ts): construction is
// checked synchronously before anything loads or is sent, the engine (and a lazy provider's adapter) loads
// on first use without the caller awaiting anything, a failed load is a typed error of the call (and is
// tried again), and parseCallback stays synchronous. Every provider, as an adapter and as `lazy/<id>`.
import { CONNECT_KEYS, type ClientMeta } from '@nano-banana/runtime'
import type { Sandbox } from '@nano-banana/sandbox'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import * as core from '../src/core.js'
import {
  ConfigurationError,
  createNanoBanana,
  InvalidRequestError,
  NanoBananaError,
  NotSentError,
  providerIds,
  providers,
  type LazyProvider,
  type ProviderAdapter,
  type ProviderId,
} from '../src/index.js'
import { lazyProvider } from '../src/lazy-provider.js'
import { createShell, type EngineLoader } from '../src/shell.js'
import { FAST_POLLING, FAST_RETRY, fastSandbox, PROVIDERS, SECRET_KEY } from './reliability/support.js'

/** Each provider's generated `lazy/<id>` module (src/generated/lazy/<id>.ts). */
const LAZY = Object.fromEntries(
  await Promise.all(providerIds.map(async (id) => [id, ((await import(`../src/generated/lazy/${id}.ts`)) as Record<string, LazyProvider>)[id]!] as const)),
) as Record<ProviderId, LazyProvider>

/** A provider's meta as a lazy provider takes it (the adapter's, whose id is the provider's). */
const metaOf = (id: ProviderId) => providers[id].meta as ClientMeta & { readonly id: ProviderId }

/** The real engine, counting its loads. */
function countingLoader(): EngineLoader & { calls: number } {
  const loader = Object.assign(
    () => {
      loader.calls++
      return import('../src/client.js')
    },
    { calls: 0 },
  )
  return loader
}

/** A lazy provider of `id` whose adapter arrives when the test says so. */
function heldLazy(id: ProviderId) {
  let release!: () => void
  const arrived = new Promise<void>((resolve) => {
    release = resolve
  })
  const lazy = lazyProvider(metaOf(id), () => arrived.then(() => providers[id]))
  return { lazy, release }
}

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await fastSandbox()
})
afterAll(() => sandbox?.close())
afterEach(() => {
  vi.unstubAllEnvs()
})

const forms = (id: ProviderId): [string, () => ProviderAdapter | LazyProvider][] => [
  ['adapter', () => providers[id]],
  ['lazy', () => LAZY[id]],
]

describe('the generated lazy/<id> modules', () => {
  it.each(providerIds)('%s: carries the meta facts up front and loads the registry adapter', async (id) => {
    const lazy = LAZY[id]
    expect(core.isLazyProvider(lazy)).toBe(true)
    expect(core.isLazyProvider(providers[id])).toBe(false)
    expect({ id: lazy.id, name: lazy.name, envKey: lazy.envKey, baseUrlEnvKey: lazy.baseUrlEnvKey, defaultModel: lazy.defaultModel }).toEqual({
      id,
      name: providers[id].name,
      envKey: providers[id].envKey,
      baseUrlEnvKey: providers[id].baseUrlEnvKey,
      defaultModel: providers[id].defaultModel,
    })
    expect(await lazy.load()).toBe(providers[id])
    expect(lazy.adapter).toBe(providers[id])
  })
})

describe('the up-front meta of a lazy provider', () => {
  it.each(providerIds)("%s: is its adapter meta's construction facts, without the model tables", (id) => {
    const meta = providers[id].meta as ClientMeta
    expect(LAZY[id].meta).toStrictEqual(Object.fromEntries(CONNECT_KEYS.filter((key) => key in meta).map((key) => [key, meta[key]])))
    expect(LAZY[id].meta).not.toHaveProperty('models')
  })
})

describe.each(PROVIDERS)('%s through the shell', (id) => {
  for (const [form, provider] of forms(id)) {
    it(`${form}: generate() right after construction, nothing awaited before, waits for the engine and returns the images`, async () => {
      const loader = countingLoader()
      const before = sandbox.requests.length
      const client = createShell({ provider: provider(), apiKey: SECRET_KEY, baseUrl: sandbox.baseUrl(id), polling: FAST_POLLING, retry: FAST_RETRY }, loader)
      // Loading started at construction (once), not at the call.
      expect(loader.calls).toBe(1)
      const [result, again] = await Promise.all([client.generate({ prompt: 'a banana' }), client.generate({ prompt: 'a banana' })])
      expect(result.provider).toBe(id)
      expect(result.images.length).toBeGreaterThan(0)
      expect(again.taskId).not.toBe(result.taskId)
      expect(loader.calls).toBe(1)
      expect(sandbox.requests.length).toBeGreaterThan(before)
      // The task can be read back through the same client (the engine is reused).
      expect((await client.getTask(result.taskId)).status).toBe('succeeded')
      expect(loader.calls).toBe(1)
      expect(client.provider.id).toBe(id)
    })
  }

  it('parseCallback is synchronous: an adapter parses at once, a lazy provider once its adapter is loaded', async () => {
    const engineClient = createNanoBanana({ provider: id, apiKey: SECRET_KEY, baseUrl: sandbox.baseUrl(id), polling: FAST_POLLING, retry: FAST_RETRY })
    const done = await engineClient.generate({ prompt: 'a banana' })
    const body = done.raw
    const expected = providers[id].parseTask(body)
    expect(expected).not.toBeInstanceOf(NanoBananaError)

    const eager = core.createNanoBananaClient({ provider: providers[id], apiKey: SECRET_KEY, baseUrl: sandbox.baseUrl(id) })
    const parsed = eager.parseCallback(body)
    expect(parsed).not.toBeInstanceOf(Promise)
    expect(parsed).toEqual(expected)

    const { lazy, release } = heldLazy(id)
    const client = core.createNanoBananaClient({ provider: lazy, apiKey: SECRET_KEY, baseUrl: sandbox.baseUrl(id) })
    // Before the adapter arrived: a typed error that says what to do, never a Promise.
    const early = (() => {
      try {
        return client.parseCallback(body)
      } catch (error) {
        return error
      }
    })()
    expect(early).toBeInstanceOf(ConfigurationError)
    expect((early as ConfigurationError).code).toBe('adapter_not_loaded')
    expect(client.provider.id).toBe(id)
    release()
    await lazy.load()
    expect(client.parseCallback(body)).toEqual(expected)
    expect(client.provider).toBe(providers[id])
    // A body that is no task is the adapter's typed error, thrown synchronously.
    expect(() => client.parseCallback('not a task')).toThrow(NanoBananaError)
  })
})

describe('construction: checked synchronously, before anything loads or is sent', () => {
  for (const id of providerIds) {
    for (const [form, provider] of forms(id)) {
      it(`${id} (${form}): each bad option throws its typed error at once; nothing loads, nothing is sent`, () => {
        for (const key of providers[id].meta?.envKeys ?? [providers[id].envKey]) vi.stubEnv(key, '')
        vi.stubEnv(providers[id].baseUrlEnvKey, '')
        let requests = 0
        const fetch = async () => {
          requests++
          return new Response('{}')
        }
        const base = { provider: provider(), baseUrl: 'https://api.example.test', fetch }
        const cases: [string, Parameters<typeof createShell>[0], new (...args: never[]) => NanoBananaError, string][] = [
          ['no key', base, ConfigurationError, 'apiKey'],
          ['a key with a line break', { ...base, apiKey: `${SECRET_KEY}\n` }, ConfigurationError, 'apiKey'],
          ['a bad header name', { ...base, apiKey: SECRET_KEY, headers: { 'a b': 'x' } }, ConfigurationError, 'headers'],
          ['a base URL that is not http(s)', { ...base, apiKey: SECRET_KEY, baseUrl: 'ftp://api.example.test' }, ConfigurationError, 'baseUrl'],
          ['a NaN timeout', { ...base, apiKey: SECRET_KEY, timeoutMs: Number.NaN }, InvalidRequestError, 'timeoutMs'],
        ]
        for (const [what, options, ErrorClass, param] of cases) {
          const loader = countingLoader()
          let thrown: unknown
          try {
            createShell(options, loader)
          } catch (error) {
            thrown = error
          }
          expect(thrown, what).toBeInstanceOf(ErrorClass)
          expect((thrown as NanoBananaError).param, what).toBe(param)
          expect((thrown as NanoBananaError).provider, what).toBe(id)
          expect(String((thrown as Error).message), what).not.toContain(SECRET_KEY)
          expect(loader.calls, what).toBe(0)
        }
        expect(requests).toBe(0)
      })
    }
    it(`${id}: the shell and the engine refuse the same construction with the same error`, () => {
      for (const key of providers[id].meta?.envKeys ?? [providers[id].envKey]) vi.stubEnv(key, '')
      const fromShell = (() => {
        try {
          core.createNanoBananaClient({ provider: LAZY[id], apiKey: SECRET_KEY, baseUrl: 'mailto:x' })
        } catch (error) {
          return error as NanoBananaError
        }
      })()
      const fromEngine = (() => {
        try {
          createNanoBanana({ provider: id, apiKey: SECRET_KEY, baseUrl: 'mailto:x' })
        } catch (error) {
          return error as NanoBananaError
        }
      })()
      expect(fromShell).toBeInstanceOf(ConfigurationError)
      expect({ name: fromShell?.name, message: fromShell?.message, param: fromShell?.param }).toEqual({
        name: fromEngine?.name,
        message: fromEngine?.message,
        param: fromEngine?.param,
      })
    })
  }
})

describe('no provider', () => {
  it.each([undefined, null, 'odd', {}])('%j: ConfigurationError at once, nothing loads', (provider) => {
    const loader = countingLoader()
    expect(() => createShell({ provider: provider as never, apiKey: SECRET_KEY }, loader)).toThrow(ConfigurationError)
    expect(loader.calls).toBe(0)
  })
})

describe('a failed load', () => {
  const id = PROVIDERS[0]!
  // An unhandled rejection would fail this run (vitest reports them): the shell's own load must never leave one.

  it('of the engine: the call rejects with NotSentError (key redacted, cause kept), and the next call loads again', async () => {
    let calls = 0
    const loader: EngineLoader = () => {
      calls++
      return calls === 1 ? Promise.reject(new Error(`chunk client.js failed to load for ${SECRET_KEY}`)) : import('../src/client.js')
    }
    const client = createShell({ provider: providers[id], apiKey: SECRET_KEY, baseUrl: sandbox.baseUrl(id), polling: FAST_POLLING, retry: FAST_RETRY }, loader)
    const error = await client.generate({ prompt: 'a banana' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotSentError)
    expect(error).toBeInstanceOf(core.NotSentError)
    expect((error as NotSentError).code).toBe('load_failed')
    expect((error as NotSentError).provider).toBe(id)
    expect(JSON.stringify({ message: (error as Error).message, cause: String((error as Error).cause) })).not.toContain(SECRET_KEY)
    const result = await client.generate({ prompt: 'a banana' })
    expect(result.images.length).toBeGreaterThan(0)
    expect(calls).toBe(2)
  })

  it("of a lazy provider's adapter: the same typed error, then a working call", async () => {
    let calls = 0
    const lazy = lazyProvider(metaOf(id), () => {
      calls++
      return calls === 1 ? Promise.reject(new TypeError('Failed to fetch dynamically imported module')) : Promise.resolve(providers[id])
    })
    const client = core.createNanoBananaClient({ provider: lazy, apiKey: SECRET_KEY, baseUrl: sandbox.baseUrl(id), polling: FAST_POLLING, retry: FAST_RETRY })
    const before = sandbox.requests.length
    const error = await client.submit({ prompt: 'a banana' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotSentError)
    expect(sandbox.requests.length).toBe(before)
    const submission = await client.submit({ prompt: 'a banana' })
    expect(submission.provider).toBe(id)
    expect(calls).toBe(2)
  })
})

describe('createNanoBanana takes a lazy provider too', () => {
  it.each(PROVIDERS)('%s', async (id) => {
    const client = createNanoBanana({ provider: LAZY[id], apiKey: SECRET_KEY, baseUrl: sandbox.baseUrl(id), polling: FAST_POLLING, retry: FAST_RETRY })
    expect(client.provider).toBe(providers[id])
    expect((await client.generate({ prompt: 'a banana' })).images.length).toBeGreaterThan(0)
  })
})

describe('a failover client takes lazy providers too', () => {
  it('the first refuses the key, the second (lazy) serves', async () => {
    const [first, second] = PROVIDERS as [ProviderId, ProviderId]
    const client = createNanoBanana({
      providers: [
        { provider: LAZY[first], apiKey: `${SECRET_KEY}-wrong`, baseUrl: sandbox.baseUrl(first) },
        { provider: LAZY[second], apiKey: SECRET_KEY, baseUrl: sandbox.baseUrl(second) },
      ],
      polling: FAST_POLLING,
      retry: FAST_RETRY,
    })
    const result = await client.generate({ prompt: 'a banana' })
    expect(result.provider).toBe(second)
    expect(result.failover.map((step) => step.provider)).toEqual([first])
  })
})

describe('createCallbackHandler takes a lazy provider too', () => {
  it.each(providerIds)('%s: the same answers as with its id', async (id) => {
    const { createCallbackHandler } = await import('../src/callbacks.js')
    const seen: string[] = []
    const options = { allowUnverified: true, onTask: (task: { taskId: string }) => void seen.push(task.taskId) }
    const byLazy = createCallbackHandler({ ...options, provider: LAZY[id] })
    const byId = createCallbackHandler({ ...options, provider: id })
    const post = (handler: (request: Request) => Promise<Response>, body: string) =>
      handler(new Request('https://app.example.test/callbacks', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).then((r) => r.status)
    for (const body of ['{"not":"a callback"}', 'garbage']) expect(await post(byLazy, body), body).toBe(await post(byId, body))
    expect(await post(byLazy, 'garbage')).toBeGreaterThanOrEqual(400)
  })
})
