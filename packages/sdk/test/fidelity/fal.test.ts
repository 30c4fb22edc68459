// fal end to end against the sandbox: generate() through IN_QUEUE, IN_PROGRESS and COMPLETED (the output read
// from the result), reference images through the model's /edit, cancel, and webhooks whose ED25519 signatures
// the callback handler checks against the sandbox's JWKS (a forged, a tampered and a stale one refused).
import { createHash, generateKeyPairSync, sign } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { createCallbackHandler } from '../../src/callbacks.js'
import { createNanoBanana, providers, TaskFailedError, UnsupportedOperationError, type Task } from '../../src/index.js'
import { FAST } from './support.js'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ taskDurationMs: 150 })
})
afterAll(() => sandbox.close())

const client = (headers: Record<string, string> = {}) =>
  createNanoBanana({ provider: 'fal', apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl('fal'), ...FAST, headers, allowInsecureCallbackUrl: true })
const requestsOf = (taskId: string) =>
  sandbox.requests.filter((entry) => entry.taskId === taskId).map((entry) => `${entry.method} ${entry.path.replace(/\?.*$/, '')}`)

describe('fal generate() against the sandbox', () => {
  it('text to image: the model path, the status words, then the output from the result', async () => {
    const seen: string[] = []
    // Long enough for a poll to see the queued fifth of the task even on a busy machine.
    const result = await client({ 'x-sandbox-duration-ms': '1500' }).generate({
      prompt: 'a nano banana',
      aspectRatio: '16:9',
      n: 2,
      onProgress: (task) => seen.push(task.status),
    })
    expect(result.taskId).toMatch(/^fal-ai\/nano-banana\/[0-9a-f-]{36}$/)
    expect(result.images).toHaveLength(2)
    expect(new Set(seen)).toEqual(new Set(['queued', 'running', 'succeeded']))
    const requestId = result.taskId.split('/').at(-1)
    const paths = requestsOf(result.taskId)
    expect(paths[0]).toBe('POST /fal/fal-ai/nano-banana')
    expect(paths.at(-2)).toBe(`GET /fal/fal-ai/nano-banana/requests/${requestId}/status`)
    expect(paths.at(-1)).toBe(`GET /fal/fal-ai/nano-banana/requests/${requestId}`)
    const image = await result.images[0]!.download()
    expect(image.bytes.length).toBeGreaterThan(0)
  })

  it('with reference images: the /edit endpoint, and status and result without /edit', async () => {
    const result = await client().generate({ prompt: 'edit it', model: 'fal-ai/nano-banana-2', resolution: '2K', images: ['https://example.com/a.png'] })
    const paths = requestsOf(result.taskId)
    expect(paths[0]).toBe('POST /fal/fal-ai/nano-banana-2/edit')
    expect(paths.slice(1).every((path) => path.startsWith('GET /fal/fal-ai/nano-banana-2/requests/'))).toBe(true)
    expect(result.images).toHaveLength(1)
  })

  it('a request whose result is the model error fails with the task id', async () => {
    sandbox.faults.add({ provider: 'fal', phase: 'submit', fault: 'task-fail' })
    const error = await client()
      .generate({ prompt: 'refuse me' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TaskFailedError)
    expect((error as TaskFailedError).taskId).toMatch(/^fal-ai\/nano-banana\//)
    expect((error as TaskFailedError).message).toContain('content checker')
  })

  it('cancel: true while the request runs, false once it has ended; UnsupportedOperationError without a cancel', async () => {
    const nb = client({ 'x-sandbox-duration-ms': '60000' })
    const { taskId } = await nb.submit({ prompt: 'cancel me' })
    expect(await nb.cancel(taskId)).toEqual({ canceled: true })
    expect(sandbox.requests.at(-1)).toMatchObject({ method: 'PUT', phase: 'cancel', status: 202 })
    expect(await nb.cancel(taskId)).toEqual({ canceled: false })
    await expect(nb.wait(taskId)).rejects.toBeInstanceOf(TaskFailedError)
    const other = Object.values(providers).find((adapter) => !adapter.cancel)!
    const none = createNanoBanana({ provider: other, apiKey: 'k', baseUrl: 'http://127.0.0.1:9' })
    await expect(none.cancel('t')).rejects.toBeInstanceOf(UnsupportedOperationError)
  })
})

describe('fal webhooks: ED25519 over request id, user id, timestamp and the body hash', () => {
  /** Receives one webhook from the sandbox, as the raw request, and replays it into the handler under test. */
  async function oneWebhook(): Promise<{ url: string; headers: Record<string, string>; body: Uint8Array; taskId: string }> {
    const { startTestServer } = await import('@nano-banana/testkit')
    const receiver = await startTestServer({ handle: () => ({ status: 200, body: {} }) })
    try {
      const { taskId } = await client().submit({ prompt: 'call me', callbackUrl: `${receiver.url}/hook` })
      await sandbox.callbackOutcome('fal', taskId)
      const hit = receiver.requests.at(-1)!
      const headers = Object.fromEntries(Object.entries(hit.headers).map(([k, v]) => [k, String(v)]))
      return { url: `${receiver.url}/hook`, headers, body: new Uint8Array(hit.bytes), taskId }
    } finally {
      await receiver.close()
    }
  }

  function handler(delivered: Task[], options: { fetch?: typeof fetch } = {}) {
    return createCallbackHandler({ provider: 'fal', fetch: options.fetch ?? sandbox.fetch, onTask: (task) => void delivered.push(task) })
  }
  const replay = (hook: { url: string; headers: Record<string, string> }, body: Uint8Array, headers: Record<string, string> = {}) =>
    new Request(hook.url, { method: 'POST', headers: { ...hook.headers, ...headers }, body: body as BodyInit })

  it('a webhook signed by the sandbox verifies against its JWKS and is accepted', async () => {
    const hook = await oneWebhook()
    const delivered: Task[] = []
    let keyFetches = 0
    const counting: typeof fetch = (input, init) => {
      keyFetches++
      return sandbox.fetch(input, init)
    }
    const receive = handler(delivered, { fetch: counting })
    const res = await receive(replay(hook, hook.body))
    expect(res.status).toBe(200)
    expect(delivered[0]).toMatchObject({ taskId: hook.taskId.split('/').at(-1), status: 'succeeded' })
    // The keys are cached: a second delivery fetches none.
    expect((await receive(replay(hook, hook.body))).status).toBe(200)
    expect(keyFetches).toBe(1)
  })

  it('a tampered body, a forged signature, a foreign key and missing headers are refused with 401; nothing is reported', async () => {
    const hook = await oneWebhook()
    const delivered: Task[] = []
    const receive = handler(delivered)
    const tampered = new TextEncoder().encode(new TextDecoder().decode(hook.body).replace('"OK"', '"ERROR"'))
    expect((await receive(replay(hook, tampered))).status).toBe(401)
    const flipped = hook.headers['x-fal-webhook-signature']!.replace(/^./, (c) => (c === '0' ? '1' : '0'))
    expect((await receive(replay(hook, hook.body, { 'x-fal-webhook-signature': flipped }))).status).toBe(401)
    expect((await receive(replay(hook, hook.body, { 'x-fal-webhook-user-id': 'someone-else' }))).status).toBe(401)
    // Signed correctly, but with a key that is not in the JWKS.
    const { privateKey } = generateKeyPairSync('ed25519')
    const timestamp = hook.headers['x-fal-webhook-timestamp']!
    const digest = createHash('sha256').update(hook.body).digest('hex')
    const message = `${hook.headers['x-fal-webhook-request-id']}\n${hook.headers['x-fal-webhook-user-id']}\n${timestamp}\n${digest}`
    const foreign = sign(null, Buffer.from(message), privateKey).toString('hex')
    const res = await receive(replay(hook, hook.body, { 'x-fal-webhook-signature': foreign }))
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ error: 'invalid_signature' })
    const bare = new Request(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: hook.body as BodyInit })
    expect((await receive(bare)).status).toBe(401)
    expect(delivered).toEqual([])
  })

  it('a stale timestamp is refused even with a valid signature', async () => {
    const hook = await oneWebhook()
    const delivered: Task[] = []
    const receive = handler(delivered)
    // The real webhook, replayed six minutes after it was signed: outside the 5-minute tolerance.
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(Date.now() + 360_000)
      const res = await receive(replay(hook, hook.body))
      expect(res.status).toBe(401)
      expect((await res.json()).message).toMatch(/timestamp/)
    } finally {
      vi.useRealTimers()
    }
    expect(delivered).toEqual([])
  })
})
