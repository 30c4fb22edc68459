// Security, issue 15 item 2: forged, replayed and oversized callbacks are not believed. The sandbox on
// 127.0.0.1 plays the provider (for the re-read); every case counts what `onTask` saw.
import { afterEach, describe, expect, it } from 'vitest'
import type { Sandbox } from '@nano-banana/sandbox'
import type { CallbackRequest, CallbackVerifyContext } from '../../src/adapter.js'
import { CALLBACK_TOKEN_PARAM, callbackUrlWithToken, callbackVerifiers, createCallbackHandler, createCallbackToken, parseCallback } from '../../src/callbacks.js'
import { ConfigurationError, providers, type ProviderId, type Task } from '../../src/index.js'
import { callbackExamples, FIXTURES, successExample } from '../support.js'
import { CALLBACK_PROVIDERS, fastSandbox, SECRET_KEY, sandboxClient } from '../reliability/support.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((fn) => fn()))
})
async function sandbox(): Promise<Sandbox> {
  const s = await fastSandbox()
  cleanups.push(() => s.close())
  return s
}

/** A valid delivery of `provider` (its spec's callback example, else its completed query example), naming `taskId`. */
function deliveryFor(provider: ProviderId, taskId: string, urls: readonly string[] = []): string {
  const documented = callbackExamples(provider)[0]?.value
  const example = documented ?? successExample(provider, 'getImageTask', FIXTURES[provider].sequence.at(-1)!)
  const task = parseCallback(provider, structuredClone(example))
  let text = JSON.stringify(example).split(JSON.stringify(task.taskId)).join(JSON.stringify(taskId))
  // The attacker's image URLs in place of the example's.
  for (const [i, url] of task.urls.entries()) text = text.split(JSON.stringify(url)).join(JSON.stringify(urls[i] ?? url))
  return text
}

const post = (body: BodyInit, { url = 'https://app.example.com/hooks/nb', type = 'application/json', headers = {} as Record<string, string> } = {}) =>
  new Request(url, { method: 'POST', headers: { 'content-type': type, ...headers }, body, duplex: 'half' } as RequestInit)

function recorder() {
  const seen: Task[] = []
  return { seen, onTask: (task: Task) => void seen.push(task) }
}

const TOKEN = createCallbackToken()
const provider = CALLBACK_PROVIDERS[0]!
const ATTACKER_URLS = ['http://169.254.169.254/latest/meta-data/', 'https://evil.example/x.sh']

// Providers that sign their callbacks refuse an unsigned delivery before any re-read (their own tests cover signed
// ones, and the re-read of a signature that does not cover the body).
const SIGNING = CALLBACK_PROVIDERS.filter((id) => callbackVerifiers[id] !== undefined)
const REREAD_PROVIDERS = CALLBACK_PROVIDERS.filter((id) => callbackVerifiers[id] === undefined)

describe.each(SIGNING)('%s: an unsigned delivery is refused even with a re-read key', (id) => {
  it('401, nothing reported, no re-read', async () => {
    const s = await sandbox()
    const real = await sandboxClient(s, id).generate({ prompt: 'real task' })
    const before = s.requests.length
    const { seen, onTask } = recorder()
    const handler = createCallbackHandler({
      provider: id,
      apiKey: SECRET_KEY,
      baseUrl: s.baseUrl(id),
      webhookSecret: 'whsec_c2VjcmV0LWtleS1vZi10ZXN0',
      fetch: s.fetch,
      onTask,
    })
    const res = await handler(post(deliveryFor(id, real.taskId, ATTACKER_URLS)))
    expect(res.status).toBe(401)
    expect(seen).toHaveLength(0)
    expect(s.requests.length).toBe(before)
  })
})

describe.each(REREAD_PROVIDERS)('%s: re-read from the provider (the default with a key)', (id) => {
  it('a forged success for a real task reports what the provider says, not the body', async () => {
    const s = await sandbox()
    const nb = sandboxClient(s, id)
    const real = await nb.generate({ prompt: 'real task' })
    const { seen, onTask } = recorder()
    const handler = createCallbackHandler({ provider: id, apiKey: SECRET_KEY, baseUrl: s.baseUrl(id), onTask })
    const res = await handler(post(deliveryFor(id, real.taskId, ATTACKER_URLS)))
    expect(res.status).toBe(200)
    expect(seen).toHaveLength(1)
    expect(seen[0]!.urls).toEqual(real.images.map((i) => i.url))
    expect(seen[0]!.urls.some((u) => ATTACKER_URLS.includes(u))).toBe(false)
  })

  it('an unknown task id is not believed (404, nothing reported)', async () => {
    const s = await sandbox()
    const { seen, onTask } = recorder()
    const handler = createCallbackHandler({ provider: id, apiKey: SECRET_KEY, baseUrl: s.baseUrl(id), onTask })
    const res = await handler(post(deliveryFor(id, 'task-the-provider-never-made')))
    expect(res.status).toBe(404)
    expect(seen).toHaveLength(0)
  })
})

describe('callback handler: one refusal per attack', () => {
  const realId = 'task-unified-1-test'
  const tokenUrl = callbackUrlWithToken('https://app.example.com/hooks/nb', TOKEN)
  const withToken = () => createCallbackHandler({ provider, callbackToken: TOKEN, ...recorderOptions() })
  let current = recorder()
  const recorderOptions = () => {
    current = recorder()
    return { onTask: current.onTask }
  }
  function stalled(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('{"id":')) })
  }

  it.each([
    ['no token in the URL', () => post(deliveryFor(provider, realId)), 401],
    ['a wrong token', () => post(deliveryFor(provider, realId), { url: callbackUrlWithToken('https://app.example.com/hooks/nb', `${TOKEN}x`) }), 401],
    ['a token of another length', () => post(deliveryFor(provider, realId), { url: `https://app.example.com/hooks/nb?${CALLBACK_TOKEN_PARAM}=a` }), 401],
    ['text/plain', () => post(deliveryFor(provider, realId), { url: tokenUrl, type: 'text/plain' }), 415],
    ['no content type', () => post(new Blob([deliveryFor(provider, realId)]), { url: tokenUrl, type: '' }), 415],
    ['form data', () => post(deliveryFor(provider, realId), { url: tokenUrl, type: 'application/x-www-form-urlencoded' }), 415],
    ['an oversized body (no length)', () => post(new Blob([' '.repeat(2 * 1024 * 1024)]).stream(), { url: tokenUrl }), 400],
    ['a declared oversized body', () => post('{}', { url: tokenUrl, headers: { 'content-length': String(5 * 1024 * 1024) } }), 400],
  ])('%s: %i, nothing reported', async (_, request, status) => {
    const handler = withToken()
    const res = await handler(request())
    expect(res.status).toBe(status)
    expect(current.seen).toHaveLength(0)
  })

  it('the right token and a JSON body (also +json with parameters): reported', async () => {
    const handler = withToken()
    expect((await handler(post(deliveryFor(provider, realId), { url: tokenUrl, type: 'application/json; charset=utf-8' }))).status).toBe(200)
    expect(current.seen.map((t) => t.taskId)).toEqual([realId])
  })

  it('a body that stalls is cut at readTimeoutMs (408), nothing reported', async () => {
    const { seen, onTask } = recorder()
    const handler = createCallbackHandler({ provider, callbackToken: TOKEN, readTimeoutMs: 20, onTask })
    const res = await handler(post(stalled(), { url: tokenUrl }))
    expect(res.status).toBe(408)
    expect(seen).toHaveLength(0)
  })

  it('maxBytes is configurable', async () => {
    const { seen, onTask } = recorder()
    const handler = createCallbackHandler({ provider, callbackToken: TOKEN, maxBytes: 8, onTask })
    expect((await handler(post(deliveryFor(provider, realId), { url: tokenUrl }))).status).toBe(400)
    expect(seen).toHaveLength(0)
  })

  it('a replay is harmless: a task end is reported once, a later forged end of it not at all', async () => {
    const { seen, onTask } = recorder()
    const handler = createCallbackHandler({ provider, callbackToken: TOKEN, onTask })
    const delivery = deliveryFor(provider, realId)
    const answers = []
    for (let i = 0; i < 3; i++) answers.push(await handler(post(delivery, { url: tokenUrl })))
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200])
    expect(await answers[2]!.json()).toMatchObject({ duplicate: true })
    expect(seen).toHaveLength(1)
  })

  it('a replay arriving while the first delivery is still being handled: 409 (the provider retries), reported once', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    // The replay is sent once the first delivery is inside onTask (one turn of the event loop was not
    // always enough on a loaded machine: the replay then reached onTask too and waited on the gate).
    let entered!: () => void
    const inside = new Promise<void>((resolve) => (entered = resolve))
    const seen: Task[] = []
    const handler = createCallbackHandler({
      provider,
      callbackToken: TOKEN,
      onTask: async (task) => {
        seen.push(task)
        entered()
        await gate
      },
    })
    const first = handler(post(deliveryFor(provider, realId), { url: tokenUrl }))
    await inside
    const second = await handler(post(deliveryFor(provider, realId), { url: tokenUrl }))
    release()
    expect([(await first).status, second.status]).toEqual([200, 409])
    expect(seen).toHaveLength(1)
  })

  it('a failing onTask is not remembered: the retry is reported', async () => {
    let calls = 0
    const handler = createCallbackHandler({
      provider,
      callbackToken: TOKEN,
      onTask: () => {
        if (calls++ === 0) throw new Error('db down')
      },
    })
    expect((await handler(post(deliveryFor(provider, realId), { url: tokenUrl }))).status).toBe(500)
    expect((await handler(post(deliveryFor(provider, realId), { url: tokenUrl }))).status).toBe(200)
    expect(calls).toBe(2)
  })

  it('isKnownTask refuses task ids the app did not submit', async () => {
    const { seen, onTask } = recorder()
    const handler = createCallbackHandler({ provider, callbackToken: TOKEN, isKnownTask: (taskId) => taskId === 'mine', onTask })
    expect((await handler(post(deliveryFor(provider, realId), { url: tokenUrl }))).status).toBe(404)
    expect(seen).toHaveLength(0)
  })

  it('a re-read that fails (provider down): 502 so the provider delivers again, nothing reported', async () => {
    const { seen, onTask } = recorder()
    const handler = createCallbackHandler({ provider, apiKey: SECRET_KEY, baseUrl: 'http://127.0.0.1:9', rereadTimeoutMs: 200, onTask })
    expect((await handler(post(deliveryFor(provider, realId)))).status).toBe(502)
    expect(seen).toHaveLength(0)
  })

  it('no verification configured: ConfigurationError when the handler is made, unless allowUnverified', () => {
    const original = process.env[providers[provider].envKey]
    delete process.env[providers[provider].envKey]
    try {
      expect(() => createCallbackHandler({ provider, onTask: () => undefined })).toThrow(ConfigurationError)
      expect(() => createCallbackHandler({ provider, onTask: () => undefined, reread: true })).toThrow(ConfigurationError)
      expect(() => createCallbackHandler({ provider, onTask: () => undefined, callbackToken: 'short' })).toThrow(ConfigurationError)
      expect(typeof createCallbackHandler({ provider, onTask: () => undefined, allowUnverified: true })).toBe('function')
    } finally {
      if (original !== undefined) process.env[providers[provider].envKey] = original
    }
  })

  it('callbackUrlWithToken keeps the URL and refuses weak secrets', () => {
    const url = new URL(callbackUrlWithToken('https://app.example.com/hooks/nb?tenant=7', TOKEN))
    expect(url.searchParams.get('tenant')).toBe('7')
    expect(url.searchParams.get(CALLBACK_TOKEN_PARAM)).toBe(TOKEN)
    expect(() => callbackUrlWithToken('https://app.example.com/hook', 'short')).toThrow(ConfigurationError)
    expect(() => callbackUrlWithToken('not a url', TOKEN)).toThrow(ConfigurationError)
    expect(createCallbackToken()).not.toBe(createCallbackToken())
  })
})

describe('provider signature hook (verifyCallback), with a test adapter', () => {
  function signedAdapter(verdict: (request: CallbackRequest, context: CallbackVerifyContext) => boolean) {
    const calls: { request: CallbackRequest; context: CallbackVerifyContext }[] = []
    const adapter = {
      ...providers[provider],
      async verifyCallback(request: CallbackRequest, context: CallbackVerifyContext) {
        calls.push({ request, context })
        return verdict(request, context) ? ({ ok: true } as const) : ({ ok: false, reason: 'bad signature' } as const)
      },
    }
    return { adapter, calls }
  }
  const realId = 'task-signed-1'

  it.each([
    ['a valid signature', 'sig-ok', 200, 1],
    ['a forged signature', 'sig-forged', 401, 0],
  ])('%s: %i', async (_, signature, status, reported) => {
    const { adapter, calls } = signedAdapter((request, context) => request.headers.get('x-signature') === signature && signature === `sig-${context.secret}`)
    const { seen, onTask } = recorder()
    const handler = createCallbackHandler({ provider: adapter, webhookSecret: 'ok', onTask })
    const body = deliveryFor(provider, realId)
    const res = await handler(post(body, { headers: { 'x-signature': signature } }))
    expect(res.status).toBe(status)
    expect(seen).toHaveLength(reported)
    // The hook saw the raw bytes as sent, the secret, the clock and the default tolerance.
    expect(new TextDecoder().decode(calls[0]!.request.body)).toBe(body)
    expect(calls[0]!.context).toMatchObject({ secret: 'ok', toleranceSeconds: 300 })
    expect(Math.abs(calls[0]!.context.nowSeconds - Date.now() / 1000)).toBeLessThan(5)
  })

  it('a throwing hook refuses (401), nothing reported', async () => {
    const adapter = {
      ...providers[provider],
      verifyCallback: async () => {
        throw new Error('key fetch failed')
      },
    }
    const { seen, onTask } = recorder()
    const res = await createCallbackHandler({ provider: adapter, onTask })(post(deliveryFor(provider, realId)))
    expect(res.status).toBe(401)
    expect(seen).toHaveLength(0)
  })
})
