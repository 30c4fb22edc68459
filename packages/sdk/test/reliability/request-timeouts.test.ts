// Per-request timeouts without a fetch signal on every request (withRequestTimeout): the caller's abort
// still aborts the request, the timer always releases the caller, a body that hangs after its headers
// is cancelled, and once a client has seen a request time out each later request's timeout closes its
// connection. Against a raw server that shows when each connection closes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { AbortError, AmbiguousSubmitError, ConnectionError, TimeoutError, type NanoBananaError } from '../../src/index.js'
import { providerIds } from '../../src/index.js'
import { client, createdAnswer, PROVIDERS, providerHandler, thrown } from '../security/core-support.js'

const PROVIDER = PROVIDERS[0]!

/** What the server does with one request: never answer, or send the headers and then nothing. */
type Plan = 'silent' | 'headers' | ((res: ServerResponse, method: string) => void)

interface Seen {
  method: string
  /** Resolves when the request's connection closed (whoever closed it). */
  closed: Promise<void>
  isClosed: boolean
  res: ServerResponse
}

interface HangServer {
  url: string
  requests: Seen[]
  /** Resolves with request number `n` (0-based) once the server has it. */
  request(n: number): Promise<Seen>
}

const open: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()))
})

/** A server that treats request `n` as `plans[n]` (the last plan for every later one). */
async function hangServer(...plans: Plan[]): Promise<HangServer> {
  const requests: Seen[] = []
  const waiters = new Map<number, (seen: Seen) => void>()
  const raw = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume()
    let markClosed!: () => void
    const seen: Seen = { method: req.method ?? '', closed: new Promise<void>((resolve) => (markClosed = resolve)), isClosed: false, res }
    req.socket.once('close', () => {
      seen.isClosed = true
      markClosed()
    })
    const plan = plans[Math.min(requests.length, plans.length - 1)]!
    requests.push(seen)
    waiters.get(requests.length - 1)?.(seen)
    if (plan === 'headers') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.flushHeaders()
    } else if (plan !== 'silent') plan(res, seen.method)
  })
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve))
  open.push(
    () =>
      new Promise<void>((resolve) => {
        raw.closeAllConnections()
        raw.close(() => resolve())
      }),
  )
  return {
    url: `http://127.0.0.1:${(raw.address() as AddressInfo).port}`,
    requests,
    request: (n) => (requests[n] ? Promise.resolve(requests[n]) : new Promise((resolve) => waiters.set(n, resolve))),
  }
}

/** Answers like the provider (its documented create and finished-task answers). */
const answer: (res: ServerResponse, method: string) => void = (() => {
  const handle = providerHandler(PROVIDER)
  return (res, method) => {
    const reply = handle({ method } as never) as { body: unknown }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(reply.body))
  }
})()

describe("the caller's signal", () => {
  it.each(['submit', 'getTask'] as const)('%s: an abort aborts the request in flight (the server sees its connection close)', async (call) => {
    const api = await hangServer('silent')
    const nb = client(PROVIDER, api.url)
    const controller = new AbortController()
    const options = { signal: controller.signal }
    const pending = thrown<NanoBananaError>(() =>
      call === 'submit' ? nb.submit({ prompt: 'a banana' }, options) : nb.getTask(createdAnswer(PROVIDER).taskId, options),
    )
    const seen = await api.request(0)
    controller.abort()
    expect(await pending).toBeInstanceOf(AbortError)
    await seen.closed
    expect(api.requests).toHaveLength(1)
  })
})

describe('a request that hangs before its headers', () => {
  it('the first: the timer releases the caller while the request is still open; from then on each timeout closes its connection', async () => {
    const api = await hangServer('silent')
    const nb = client(PROVIDER, api.url, { requestTimeoutMs: 100 })
    const first = await thrown<NanoBananaError>(() => nb.submit({ prompt: 'a banana' }))
    expect(first).toBeInstanceOf(AmbiguousSubmitError)
    expect(first).toMatchObject({ code: 'timeout', cause: { name: 'TimeoutError' } })
    // Released by its own timer: the server never answered and still holds the connection (Node's fetch
    // closes it at its headersTimeout, 300 s; this is the one socket the client leaves open).
    const hung = await api.request(0)
    expect(hung.isClosed).toBe(false)

    const second = await thrown<NanoBananaError>(() => nb.getTask(createdAnswer(PROVIDER).taskId))
    expect(second).toBeInstanceOf(ConnectionError)
    expect(second.message).toContain('timed out')
    // Resolves only when the client closed it: the server never does.
    await (await api.request(1)).closed
    expect(hung.isClosed).toBe(false)
  })

  it('wait(): TimeoutError once its deadline passes; the polls after the first hung one are closed as they time out', async () => {
    const api = await hangServer('silent')
    const nb = client(PROVIDER, api.url, { requestTimeoutMs: 100 })
    const error = await thrown<NanoBananaError>(() => nb.wait(createdAnswer(PROVIDER).taskId, { timeoutMs: 500 }))
    expect(error).toBeInstanceOf(TimeoutError)
    const [hung] = await Promise.all([api.request(0), api.request(1)])
    await Promise.all(api.requests.slice(1).map((seen) => seen.closed))
    expect(hung.isClosed).toBe(false)
  })
})

describe('an answer that arrives after its timeout', () => {
  it.each([
    ['headers, then a body that never ends', 'body'],
    ['a whole answer', 'answer'],
    ['a reset connection', 'reset'],
  ] as const)('%s: the caller already has its error; the late answer is dropped without an unhandled rejection', async (_, late) => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      const api = await hangServer('silent')
      const settled: Promise<string>[] = []
      const nb = client(PROVIDER, api.url, {
        requestTimeoutMs: 80,
        fetch: (input, init) => {
          const pending = fetch(input, init)
          settled.push(
            pending.then(
              () => 'headers',
              () => 'rejected',
            ),
          )
          return pending
        },
      })
      const error = await thrown<NanoBananaError>(() => nb.submit({ prompt: 'a banana' }))
      expect(error).toMatchObject({ name: 'AmbiguousSubmitError', code: 'timeout' })
      const seen = await api.request(0)
      if (late === 'body') {
        seen.res.writeHead(200, { 'content-type': 'application/json' })
        seen.res.write('{"id": "')
      } else if (late === 'answer') answer(seen.res, seen.method)
      else seen.res.socket?.destroy()
      expect(await settled[0]).toBe(late === 'reset' ? 'rejected' : 'headers')
      // The body of a late answer is cancelled as its headers arrive: the client closes the connection.
      if (late === 'body') await seen.closed
      // Unhandled rejections are reported once the microtasks of a turn have run: one turn later.
      await new Promise((resolve) => setImmediate(resolve))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })
})

describe('which requests give fetch a signal', () => {
  it("only those of a caller's signal, and every request once the client has seen one time out", async () => {
    let hang = false
    const api = await hangServer((res, method) => (hang ? undefined : answer(res, method)))
    const signals: boolean[] = []
    const nb = client(PROVIDER, api.url, {
      requestTimeoutMs: 100,
      fetch: (input, init) => {
        signals.push(init?.signal != null)
        return fetch(input, init)
      },
    })
    const { taskId } = await nb.submit({ prompt: 'a banana' })
    await nb.getTask(taskId)
    await nb.getTask(taskId, { signal: new AbortController().signal })
    expect(signals).toEqual([false, false, true])
    hang = true
    await expect(nb.getTask(taskId)).rejects.toThrow(/timed out/)
    hang = false
    await nb.submit({ prompt: 'a banana' })
    await nb.getTask(taskId)
    expect(signals).toEqual([false, false, true, false, true, true])
  })
})

describe('every provider passes the body cancel through', () => {
  // A definition that builds its own create call must hand onHeaders on, or its hung bodies stay open.
  it.each(providerIds)('%s: a create answer whose body never ends is closed when its timeout fires', async (provider) => {
    const api = await hangServer('headers')
    const nb = client(provider, api.url, { requestTimeoutMs: 80 })
    const error = await thrown<NanoBananaError>(() => nb.submit({ prompt: 'a banana' }))
    expect(error).toMatchObject({ code: 'timeout' })
    // Resolves only when the client closed it: the server never ends the body.
    await (await api.request(0)).closed
    expect(api.requests).toHaveLength(1)
  })
})

describe("one timer for a client's request timeouts", () => {
  it('a request that ends leaves the timeout of one still pending in force', async () => {
    // Request 0 (a getTask) never answers; request 1 (a submit, started while 0 is pending) is answered.
    const api = await hangServer('silent', answer)
    const nb = client(PROVIDER, api.url, { requestTimeoutMs: 150 })
    const pending = thrown<NanoBananaError>(() => nb.getTask(createdAnswer(PROVIDER).taskId))
    await api.request(0)
    const { taskId } = await nb.submit({ prompt: 'a banana' })
    expect(taskId).toBe(createdAnswer(PROVIDER).taskId)
    const error = await pending
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.message).toContain('timed out')
  })

  it('a request started after an earlier one ended still times out at its own deadline', async () => {
    // The timer armed for request 0 fires after it ended, with request 1 not yet due: it is armed again.
    const api = await hangServer(answer, 'silent')
    const nb = client(PROVIDER, api.url, { requestTimeoutMs: 120 })
    const { taskId } = await nb.submit({ prompt: 'a banana' })
    const error = await thrown<NanoBananaError>(() => nb.getTask(taskId))
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.message).toContain('timed out')
    expect(api.requests).toHaveLength(2)
  })

  it('holds the process open only while a request is pending', async () => {
    const api = await hangServer(answer)
    // Long enough that a timer left referenced would still be listed after the calls.
    const nb = client(PROVIDER, api.url, { requestTimeoutMs: 600_000 })
    const timers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length
    const before = timers()
    const submitted = nb.submit({ prompt: 'a banana' })
    await api.request(0)
    expect(timers()).toBe(before + 1)
    const { taskId } = await submitted
    expect(timers()).toBe(before)
    await nb.getTask(taskId)
    expect(timers()).toBe(before)
  })
})
