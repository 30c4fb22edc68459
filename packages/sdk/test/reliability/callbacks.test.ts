// Callbacks: parseCallback validates a payload against the provider's spec and normalizes it;
// createCallbackHandler is a web-standard (Request) => Promise<Response> that refuses bad input with a
// 4xx, never throws, and answers 500 when the application fails so that the provider retries.
import { META } from '@nano-banana/manifest'
import type { ProviderMeta } from '@nano-banana/runtime'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_WEBHOOK_SECRET, type Sandbox } from '@nano-banana/sandbox'
import { createCallbackHandler, parseCallback } from '../../src/callbacks.js'
import { InvalidRequestError, providers as allProviders, type ProviderId, type Task } from '../../src/index.js'
import { callbackExamples, callbackTaskId, FIXTURES, successExample } from '../support.js'
import { CALLBACK_PROVIDERS, fastSandbox, PROVIDERS, sandboxClient, serveHandler, until, type LocalHttp } from './support.js'

/** Valid deliveries per provider: the spec's callback examples, else its completed query example (same body). */
function validPayloads(provider: ProviderId): { name: string; value: unknown }[] {
  const documented = callbackExamples(provider)
  if (documented.length > 0) return documented
  const fixture = FIXTURES[provider]
  const completed = successExample(provider, 'getImageTask', fixture.sequence.at(-1)!)
  // A spec that says the callback is "the same as the task query response", or documents no callback at all
  // (its query envelope is assumed).
  return [{ name: `query example ${fixture.sequence.at(-1)}`, value: completed }]
}

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((fn) => fn()))
})
async function sandbox(options: Parameters<typeof fastSandbox>[0] = {}): Promise<Sandbox> {
  const s = await fastSandbox(options)
  cleanups.push(() => s.close())
  return s
}
async function serve(handler: (request: Request) => Promise<Response>): Promise<LocalHttp> {
  const http = await serveHandler(handler)
  cleanups.push(http.close)
  return http
}

describe('parseCallback', () => {
  describe.each(PROVIDERS)('%s', (provider) => {
    it.each(validPayloads(provider).map((p) => [p.name, p.value] as const))('valid %s: normalized', (_, payload) => {
      const task = parseCallback(provider, structuredClone(payload))
      expect(task.provider).toBe(provider)
      expect(task.taskId).toMatch(/\S/)
      expect(['succeeded', 'failed']).toContain(task.status)
      if (task.status === 'succeeded') expect(task.urls.length).toBeGreaterThan(0)
      else expect(task.error?.message ?? task.error?.code).toBeTruthy()
      expect(task.raw).toEqual(payload)
    })

    it('invalid payloads: InvalidRequestError naming what is wrong', () => {
      const [valid] = validPayloads(provider)
      const invalid: unknown[] = [null, 'completed', 42, [], {}, { status: 'completed' }]
      // The valid payload with its status turned into a number, and with every top-level field removed in turn.
      const base = valid!.value as Record<string, unknown>
      invalid.push({ ...base, status: 7 })
      for (const key of Object.keys(base)) {
        const { [key]: _removed, ...rest } = base
        invalid.push(rest)
      }
      let refused = 0
      for (const body of invalid) {
        try {
          parseCallback(provider, body)
        } catch (error) {
          expect(error, JSON.stringify(body)).toBeInstanceOf(InvalidRequestError)
          expect((error as InvalidRequestError).code).toBe('invalid_callback')
          refused++
        }
      }
      // Everything but (possibly) the removal of an optional field is refused.
      expect(refused).toBeGreaterThanOrEqual(7)
    })
  })

  it('an unknown provider (even an Object.prototype key) is InvalidRequestError', () => {
    for (const provider of ['nope', 'toString', '__proto__']) {
      expect(() => parseCallback(provider as ProviderId, {})).toThrow(InvalidRequestError)
    }
  })
})

describe('createCallbackHandler', () => {
  // Any provider with callbacks: the handler's behaviour does not depend on which.
  const provider = CALLBACK_PROVIDERS[0]!
  const valid = validPayloads(provider)[0]!.value
  const post = (body: BodyInit | null, headers: Record<string, string> = { 'content-type': 'application/json' }, method = 'POST') =>
    new Request('https://hooks.example.com/nb', { method, headers, ...(body === null ? {} : { body, duplex: 'half' }) } as RequestInit)

  function handlerWith(onTask: (task: Task, request: Request) => void | Promise<void> = () => undefined, maxBytes?: number) {
    const seen: Task[] = []
    const handler = createCallbackHandler({
      allowUnverified: true,
      provider,
      ...(maxBytes ? { maxBytes } : {}),
      onTask: async (task, request) => {
        seen.push(task)
        await onTask(task, request)
      },
    })
    return { handler, seen }
  }

  it('a valid delivery: 200, onTask gets the normalized task and the Request', async () => {
    let headerSeen: string | null = null
    const { handler, seen } = handlerWith((_, request) => {
      headerSeen = request.headers.get('x-trace')
    })
    const res = await handler(post(JSON.stringify(valid), { 'content-type': 'application/json', 'x-trace': 't-1' }))
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, taskId: seen[0]!.taskId })
    expect(seen[0]).toMatchObject({ provider, status: 'succeeded' })
    expect(headerSeen).toBe('t-1')
  })

  it.each([
    ['malformed JSON', () => post('{"id": "task-unified-1", "status": '), 400],
    ['not JSON at all', () => post('<html>hello</html>'), 400],
    ['valid JSON, not the spec', () => post(JSON.stringify({ hello: 'world' })), 400],
    ['invalid UTF-8', () => post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 400],
    ['an empty body', () => post(''), 400],
    ['a declared oversized body', () => post(JSON.stringify(valid), { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) }), 400],
    ['a streamed oversized body (no length)', () => post(streamOf(2 * 1024 * 1024)), 400],
    ['GET', () => post(null, {}, 'GET'), 405],
    ['PUT', () => post(JSON.stringify(valid), {}, 'PUT'), 405],
  ])('%s: %s', async (_, request, status) => {
    const { handler, seen } = handlerWith()
    const res = await handler(request())
    expect(res.status).toBe(status)
    expect(res.headers.get('content-type')).toContain('application/json')
    expect(seen).toHaveLength(0)
  })

  it('maxBytes is configurable', async () => {
    const { handler } = handlerWith(undefined, 16)
    expect((await handler(post(JSON.stringify(valid)))).status).toBe(400)
  })

  it('a failing onTask answers 500 (so the provider retries) and does not throw', async () => {
    const { handler } = handlerWith(() => {
      throw new Error('database down')
    })
    const res = await handler(post(JSON.stringify(valid)))
    expect(res.status).toBe(500)
    expect(await res.text()).not.toContain('database down')
  })

  it('a body stream that errors mid-way: 400, no throw', async () => {
    const { handler } = handlerWith()
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":'))
        controller.error(new Error('socket hang up'))
      },
    })
    const res = await handler(
      new Request('https://hooks.example.com/nb', { method: 'POST', headers: { 'content-type': 'application/json' }, body: broken, duplex: 'half' } as RequestInit),
    )
    expect(res.status).toBe(400)
  })

  it('behind a node:http server adapter: the same answers over the wire', async () => {
    const { handler, seen } = handlerWith()
    const http = await serve(handler)
    const send = (body: string | Uint8Array, method = 'POST') =>
      fetch(`${http.url}/hook`, { method, headers: { 'content-type': 'application/json' }, ...(method === 'GET' ? {} : { body: body as BodyInit }) })
    expect((await send(JSON.stringify(valid))).status).toBe(200)
    expect((await send('{broken')).status).toBe(400)
    expect((await send('', 'GET')).status).toBe(405)
    expect((await send(new Uint8Array(2 * 1024 * 1024).fill(0x20))).status).toBe(400)
    expect(seen).toHaveLength(1)
  })
})

function streamOf(bytes: number): ReadableStream<Uint8Array> {
  let sent = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close()
      const chunk = new Uint8Array(64 * 1024).fill(0x20)
      sent += chunk.length
      controller.enqueue(chunk)
    },
  })
}

describe('with the sandbox as the provider', () => {
  const providers = CALLBACK_PROVIDERS
  // The provider whose documented schedule retries soonest (the receiver comes up after its first attempt).
  const firstRetry = (p: ProviderId) => (META[p] as ProviderMeta).callback?.retryDelaysSeconds[0]
  const soonest = CALLBACK_PROVIDERS.filter((p) => firstRetry(p) !== undefined).sort((a, b) => firstRetry(a)! - firstRetry(b)!)[0]!

  it.each(providers)('%s: a delivery the handler fails (500) is retried by the provider and then accepted', async (provider) => {
    const s = await sandbox()
    let calls = 0
    const delivered: Task[] = []
    const http = await serve(
      createCallbackHandler({
        allowUnverified: true,
        provider,
        webhookSecret: DEFAULT_WEBHOOK_SECRET,
        fetch: s.fetch,
        onTask: (task) => {
          if (calls++ === 0) throw new Error('not ready')
          delivered.push(task)
        },
      }),
    )
    const nb = sandboxClient(s, provider)
    const { taskId } = await nb.submit({ prompt: 'call me back', callbackUrl: `${http.url}/hook` })
    await until(() => (s.callbacks.some((a) => a.taskId === taskId && a.delivered) ? true : undefined), 4000, 'the callback')
    const attempts = s.callbacks.filter((a) => a.taskId === taskId)
    expect(attempts.map((a) => [a.attempt, a.status, a.delivered])).toEqual([
      [1, 500, false],
      [2, 200, true],
    ])
    // The callback carries the same task a poll reads.
    const polled = await nb.getTask(taskId)
    expect(delivered[0]).toMatchObject({ taskId: callbackTaskId(provider, taskId), status: polled.status, urls: polled.urls })
  })

  it.each(providers)('%s: a truncated delivery is refused with 400 and the retry is accepted', async (provider) => {
    const s = await sandbox({ faults: [{ provider, phase: 'callback', fault: 'malformed-json' }] })
    const delivered: Task[] = []
    const http = await serve(
      createCallbackHandler({ allowUnverified: true, webhookSecret: DEFAULT_WEBHOOK_SECRET, provider, fetch: s.fetch, onTask: (task) => void delivered.push(task) }),
    )
    const { taskId } = await sandboxClient(s, provider).submit({ prompt: 'truncated', callbackUrl: `${http.url}/hook` })
    await until(() => (s.callbacks.some((a) => a.taskId === taskId && a.delivered) ? true : undefined), 4000, 'the callback')
    const statuses = s.callbacks.filter((a) => a.taskId === taskId).map((a) => a.status)
    // 400, or 401 where the signature covers fields of the (truncated) body.
    expect(statuses).toHaveLength(2)
    expect([400, 401]).toContain(statuses[0])
    expect(statuses[1]).toBe(200)
    expect(delivered).toHaveLength(1)
  })

  it('no delivery is lost when the receiver is down at first', async () => {
    const s = await sandbox({ callbackDelayScale: 0.05 })
    // Its schedule is scaled x0.05 here: the receiver comes up after the first attempt.
    const delivered: Task[] = []
    const handler = createCallbackHandler({
      allowUnverified: true,
      webhookSecret: DEFAULT_WEBHOOK_SECRET,
      provider: soonest,
      fetch: s.fetch,
      onTask: (task) => void delivered.push(task),
    })
    const http = await serve(handler)
    const [host, port] = new URL(http.url).host.split(':')
    await http.close()
    const { taskId } = await sandboxClient(s, soonest).submit({ prompt: 'down', callbackUrl: `http://${host}:${port}/hook` })
    await until(() => (s.callbacks.some((a) => a.taskId === taskId) ? true : undefined), 3000, 'the first attempt')
    const { createServer } = await import('node:http')
    const { nodeListener } = await import('./support.js')
    const server = createServer(nodeListener(handler))
    await new Promise<void>((resolve) => server.listen(Number(port), host, resolve))
    cleanups.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))))
    await until(() => (s.callbacks.some((a) => a.taskId === taskId && a.delivered) ? true : undefined), 4000, 'the retried callback')
    const attempts = s.callbacks.filter((a) => a.taskId === taskId)
    expect(attempts[0]!.delivered).toBe(false)
    expect(attempts[0]!.error).toBeTruthy()
    expect(attempts.at(-1)!.delivered).toBe(true)
    expect(delivered.map((t) => t.taskId)).toEqual([taskId])
  })
})
