// Retry policy per phase, branch by branch, against the sandbox. Submit: resent only when the provider
// certainly has no task (connection refused, DNS, 429/455/503 refusals), honouring Retry-After, with
// jittered exponential backoff; never once the request may have reached the provider. Poll and
// download: retried with backoff until the deadline.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { Sandbox } from '@nano-banana/sandbox'
import {
  AbortError,
  AmbiguousSubmitError,
  backoffDelay,
  ConnectionError,
  createNanoBanana,
  DEFAULT_DOWNLOAD_RETRY,
  DEFAULT_POLL_RETRY,
  DEFAULT_POLLING,
  DEFAULT_SUBMIT_RETRY,
  RateLimitError,
  retryDelay,
  ServerError,
  TimeoutError,
  type NanoBananaError,
} from '../../src/index.js'
import { FIXTURES } from '../support.js'
import { fastSandbox, FAST_POLLING, PROVIDERS, requestsOf, sandboxClient, SECRET_KEY } from './support.js'

// The retry policy is the same for every provider; the single-provider cases run on one that follows plain
// HTTP semantics (no provider codes of its own in its fixture), the per-provider ones loop over all.
const ONE = PROVIDERS.find((p) => !FIXTURES[p].faultOutcomes && !FIXTURES[p].statusClasses)!
/** Providers whose "unavailable" refusal (503, or a documented maintenance code) is resent. */
const RESENT_WHEN_UNAVAILABLE = PROVIDERS.filter((p) => FIXTURES[p].faultOutcomes?.['submit 503 / 455'] === undefined)

const open: Sandbox[] = []
async function sandbox(options: Parameters<typeof fastSandbox>[0] = {}) {
  const s = await fastSandbox(options)
  open.push(s)
  return s
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()))
})

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })

describe('backoff', () => {
  it('is exponential with equal jitter, capped, and never shorter than Retry-After', () => {
    const policy = { maxRetries: 10, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 }
    for (let attempt = 0; attempt < 8; attempt++) {
      const step = Math.min(1000, 100 * 2 ** attempt)
      expect(backoffDelay(attempt, policy, undefined, () => 0)).toBe(step / 2)
      expect(backoffDelay(attempt, policy, undefined, () => 0.999999)).toBeCloseTo(step, 0)
      expect(backoffDelay(attempt, policy, 3000, () => 0.5)).toBe(3000)
    }
    // Jitter really varies.
    const samples = new Set(Array.from({ length: 50 }, () => Math.round(backoffDelay(3, policy))))
    expect(samples.size).toBeGreaterThan(10)
  })

  it('retryDelay stops after maxRetries and caps Retry-After at maxRetryAfterMs', () => {
    const policy = { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 500 }
    expect(retryDelay(0, policy)).toBeGreaterThan(0)
    expect(retryDelay(1, policy)).toBeGreaterThan(0)
    expect(retryDelay(2, policy)).toBeUndefined()
    expect(retryDelay(0, policy, 60_000)).toBe(500)
    expect(retryDelay(0, policy, 200, () => 0)).toBe(200)
    expect(retryDelay(1e6, { ...policy, maxRetries: Infinity })).toBeLessThanOrEqual(40)
  })

  it('the defaults are the documented ones', () => {
    expect(DEFAULT_SUBMIT_RETRY).toEqual({ maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60_000 })
    expect(DEFAULT_POLL_RETRY).toEqual({ maxRetries: Infinity, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60_000 })
    expect(DEFAULT_DOWNLOAD_RETRY).toEqual({ maxRetries: 3, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60_000 })
    expect(DEFAULT_POLLING).toEqual({ initialDelayMs: 4200, minDelayMs: 250, maxDelayMs: 30_000, elapsedFactor: 0.1, callbackSafetyNetMs: 30_000 })
    // ...and the option docs say so, knob by knob.
    const source = readFileSync(new URL('../../src/client.ts', import.meta.url), 'utf8')
    const docs = source.slice(source.indexOf('export interface NanoBananaClientOptions'), source.indexOf('export interface NanoBananaClient {'))
    for (const text of [
      'Default 600000',
      'Default 60000.',
      '`submit`: `{ maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60000 }`',
      '`poll`: `{ maxRetries: Infinity, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60000 }`',
      '`download`: `{ maxRetries: 3, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60000 }`',
      'initialDelayMs: 4200, minDelayMs: 250, maxDelayMs: 30000, elapsedFactor: 0.1, callbackSafetyNetMs: 30000',
    ]) {
      expect(docs.replace(/\s*\n\s*\*\s*/g, ' ')).toContain(text)
    }
  })
})

describe('submit: resent only when the provider certainly has no task', () => {
  it('connection refused: retried, and the retry reaches the provider once it is up', async () => {
    const port = await freePort()
    let attempts = 0
    let late: Sandbox | undefined
    const nb = createNanoBanana({
      provider: ONE,
      apiKey: SECRET_KEY,
      baseUrl: `http://127.0.0.1:${port}/${ONE}`,
      retry: { submit: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 10 } },
      fetch: async (input, init) => {
        attempts++
        try {
          return await fetch(input, init)
        } catch (error) {
          // The provider comes up right after the first refused connection.
          if (!late) late = await sandbox({ port })
          throw error
        }
      },
    })
    const submission = await nb.submit({ prompt: 'refused first' })
    expect(attempts).toBe(2)
    expect(late!.submissions()).toBe(1)
    expect(late!.tasks.get(ONE, submission.taskId)).toBeDefined()
  })

  it('connection refused every time: ConnectionError saying nothing was submitted, after maxRetries', async () => {
    const port = await freePort()
    let attempts = 0
    const nb = createNanoBanana({
      provider: ONE,
      apiKey: SECRET_KEY,
      baseUrl: `http://127.0.0.1:${port}/${ONE}`,
      retry: { submit: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 10 } },
      fetch: (input, init) => {
        attempts++
        return fetch(input, init)
      },
    })
    const error = (await nb.submit({ prompt: 'nobody home' }).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error.message).toMatch(/ECONNREFUSED.*nothing was submitted/)
    expect(attempts).toBe(3)
  })

  it('a host that does not resolve: retried, then ConnectionError', async () => {
    let attempts = 0
    const nb = createNanoBanana({
      provider: ONE,
      apiKey: SECRET_KEY,
      baseUrl: 'http://nano-banana-sandbox.invalid',
      retry: { submit: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 10 } },
      fetch: (input, init) => {
        attempts++
        return fetch(input, init)
      },
    })
    const error = await nb.submit({ prompt: 'no such host' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect(attempts).toBe(2)
  })

  it('a 429 is resent after its Retry-After (1 s), not before: every provider', async () => {
    await Promise.all(
      PROVIDERS.map(async (provider) => {
        const s = await sandbox({ faults: [{ provider, phase: 'submit', fault: 'rate-limit' }] })
        const nb = sandboxClient(s, provider, { retry: { submit: { baseDelayMs: 5, maxDelayMs: 10 } } })
        await nb.submit({ prompt: 'rate limited once' })
        const [first, second] = requestsOf(s, 'submit')
        expect(first!.faults, provider).toEqual(['rate-limit'])
        expect(second!.at - first!.at, provider).toBeGreaterThanOrEqual(990)
        expect(s.submissions(), provider).toBe(1)
      }),
    )
  })

  it('maxRetryAfterMs shortens a long Retry-After', async () => {
    const s = await sandbox({ faults: [{ provider: ONE, phase: 'submit', fault: 'rate-limit' }] })
    const nb = sandboxClient(s, ONE, { retry: { submit: { baseDelayMs: 5, maxDelayMs: 10, maxRetryAfterMs: 50 } } })
    await nb.submit({ prompt: 'capped' })
    const [first, second] = requestsOf(s, 'submit')
    expect(second!.at - first!.at).toBeLessThan(600)
  })

  it('a refusal that persists: RateLimitError with retryAfterMs after maxRetries, no task', async () => {
    const s = await sandbox({ faults: [{ provider: ONE, phase: 'submit', fault: 'rate-limit', count: Infinity }] })
    const nb = sandboxClient(s, ONE, { retry: { submit: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 5 } } })
    const error = (await nb.submit({ prompt: 'always limited' }).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error.retryAfterMs).toBe(1000)
    expect(requestsOf(s, 'submit')).toHaveLength(4)
    expect(s.submissions()).toBe(0)
  })

  it.each(RESENT_WHEN_UNAVAILABLE)('%s: maintenance / unavailable (455 / 503) is resent', async (provider) => {
    const s = await sandbox({ faults: [{ provider, phase: 'submit', fault: 'unavailable', count: 2 }] })
    // A 503 may say "retry after 30 seconds": capped here to keep the test fast.
    const nb = sandboxClient(s, provider, { retry: { submit: { baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 20 } } })
    await nb.submit({ prompt: 'back soon' })
    expect(requestsOf(s, 'submit').map((r) => r.faults)).toEqual([['unavailable'], ['unavailable'], []])
    expect(s.submissions()).toBe(1)
  })

  it.each([
    ['reset-after-accept', 'connection lost', 1],
    ['reset-before-accept', 'connection lost', 0],
    ['slow', 'no answer within 200 ms', 1],
    ['malformed-json', 'could not be read', 1],
  ] as const)('%s: AmbiguousSubmitError that says why, never resent', async (fault, why, tasks) => {
    const s = await sandbox({ faults: [{ provider: ONE, phase: 'submit', fault, delayMs: 10_000 }] })
    // Only the slow answer is meant to time out: for the others a 200 ms timeout could fire first on a loaded machine.
    const nb = sandboxClient(s, ONE, { requestTimeoutMs: fault === 'slow' ? 200 : 30_000, retry: { submit: { maxRetries: 5, baseDelayMs: 1 } } })
    const error = (await nb.submit({ prompt: 'maybe twice' }).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(AmbiguousSubmitError)
    expect(error.message).toContain(why)
    expect(error.message).toMatch(/a task may have been created/)
    expect(error.message).toMatch(/not resubmitted, to avoid paying twice/)
    expect(error.message).toMatch(/dashboard/)
    expect(requestsOf(s, 'submit')).toHaveLength(1)
    expect(s.submissions()).toBe(tasks)
  })

  it.each([
    ['server-error', ServerError],
    ['bad-gateway', undefined],
    ['html-error', undefined],
  ] as const)('%s on submit is not resent (it is no documented refusal)', async (fault, Class) => {
    const s = await sandbox({ faults: [{ provider: ONE, phase: 'submit', fault }] })
    const nb = sandboxClient(s, ONE, { retry: { submit: { maxRetries: 5, baseDelayMs: 1 } } })
    const error = await nb.submit({ prompt: 'once only' }).catch((e: unknown) => e)
    if (Class) expect(error).toBeInstanceOf(Class)
    expect(requestsOf(s, 'submit')).toHaveLength(1)
  })

  it('an abort during the backoff is an AbortError, and nothing more is sent', async () => {
    const s = await sandbox({ faults: [{ provider: ONE, phase: 'submit', fault: 'rate-limit' }] })
    const nb = sandboxClient(s, ONE)
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('user cancelled')), 100)
    const error = await nb.submit({ prompt: 'cancel me' }, { signal: controller.signal }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AbortError)
    expect(requestsOf(s, 'submit')).toHaveLength(1)
  })
})

describe('poll: retried with backoff until the deadline', () => {
  it('a failure on every poll is retried until the deadline, then thrown with the task id', async () => {
    const s = await sandbox({ faults: [{ provider: ONE, phase: 'poll', fault: 'server-error', count: Infinity }] })
    const nb = sandboxClient(s, ONE)
    const started = Date.now()
    const error = (await nb.generate({ prompt: 'outage', timeoutMs: 400 }).catch((e: unknown) => e)) as NanoBananaError
    const gaveUpAt = Date.now()
    // The wait ended at its deadline: a TimeoutError with the task id, the last poll's failure as its cause.
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error.cause).toBeInstanceOf(ServerError)
    expect(s.tasks.get(ONE, error.taskId!)).toBeDefined()
    const polls = requestsOf(s, 'poll')
    expect(polls.length).toBeGreaterThan(5)
    // It kept polling until the deadline, and stopped there: no poll reached the provider after it gave up.
    expect(gaveUpAt - started).toBeGreaterThan(300)
    expect(polls.every((poll) => poll.at <= gaveUpAt)).toBe(true)
    expect(polls.filter((poll) => poll.faults.length === 0)).toEqual([])
  })

  it('a poll cut short by the deadline leaves the failure before it as the cause', async () => {
    const s = await sandbox({
      faults: [
        { provider: ONE, phase: 'poll', fault: 'server-error', count: 1 },
        { provider: ONE, phase: 'poll', fault: 'slow', delayMs: 60_000, count: Infinity },
      ],
    })
    const nb = sandboxClient(s, ONE)
    const error = (await nb.generate({ prompt: 'outage, then silence', timeoutMs: 400 }).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error.cause).toBeInstanceOf(ServerError)
    expect(error.message).toContain((error.cause as Error).message)
    expect(requestsOf(s, 'poll').length).toBeGreaterThanOrEqual(2)
  })

  it('retry.poll.maxRetries bounds the retries of one poll', async () => {
    const s = await sandbox({ faults: [{ provider: ONE, phase: 'poll', fault: 'bad-gateway', count: Infinity }] })
    const nb = sandboxClient(s, ONE, { retry: { poll: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 } } })
    const error = (await nb.generate({ prompt: 'bounded' }).catch((e: unknown) => e)) as NanoBananaError
    expect(error.taskId).toBeTruthy()
    expect(requestsOf(s, 'poll')).toHaveLength(3)
  })

  it('a lone getTask() retries for up to requestTimeoutMs', async () => {
    const s = await sandbox()
    const nb = sandboxClient(s, ONE, { requestTimeoutMs: 300 })
    const { taskId } = await nb.submit({ prompt: 'look once' })
    s.faults.add({ provider: ONE, phase: 'poll', fault: 'server-error', count: 2 })
    const task = await nb.getTask(taskId)
    expect(task.taskId).toBe(taskId)
    expect(requestsOf(s, 'poll')).toHaveLength(3)
  })

  it('the poll cadence follows the polling options', async () => {
    const s = await sandbox({ taskDurationMs: 300 })
    const nb = sandboxClient(s, ONE, { polling: { ...FAST_POLLING, minDelayMs: 50, maxDelayMs: 50 } })
    await nb.generate({ prompt: 'steady' })
    const polls = requestsOf(s, 'poll')
    for (let i = 1; i < polls.length; i++) expect(polls[i]!.at - polls[i - 1]!.at).toBeGreaterThanOrEqual(45)
  })
})

describe('download: retried with backoff', () => {
  it('recovers after failures within retry.download.maxRetries', async () => {
    const s = await sandbox()
    const nb = sandboxClient(s, ONE, { retry: { download: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 2 } } })
    const result = await nb.generate({ prompt: 'flaky cdn' })
    s.faults.add({ provider: ONE, phase: 'download', fault: 'server-error', count: 3 })
    const image = await result.images[0]!.download()
    expect(image.contentType).toBe('image/png')
    expect(requestsOf(s, 'download')).toHaveLength(4)
  })

  it('gives up after maxRetries with the last failure, carrying the task id', async () => {
    const s = await sandbox()
    const nb = sandboxClient(s, ONE, { retry: { download: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 } } })
    const result = await nb.generate({ prompt: 'dead cdn' })
    s.faults.add({ provider: ONE, phase: 'download', fault: 'bad-gateway', count: Infinity })
    const error = (await result.images[0]!.download().catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error).toMatchObject({ status: 502, taskId: result.taskId })
    expect(requestsOf(s, 'download')).toHaveLength(3)
  })

  it('honours Retry-After on a 429', async () => {
    const s = await sandbox()
    const nb = sandboxClient(s, ONE, { retry: { download: { baseDelayMs: 1, maxDelayMs: 2 } } })
    const result = await nb.generate({ prompt: 'slow down' })
    s.faults.add({ provider: ONE, phase: 'download', fault: 'rate-limit' })
    await result.images[0]!.download()
    const [first, second] = requestsOf(s, 'download')
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990)
  })
})
