// Failover, in both directions: the next provider is tried only on errors that prove the task was not
// accepted (401, 402, 429, 5xx refusals, capability mismatch), never once a task exists or may exist
// (reset after accept, failed task, stuck task). The sandbox's submission counts prove it.
import { afterEach, describe, expect, it } from 'vitest'
import type { FaultRule, Sandbox } from '@nano-banana/sandbox'
import {
  AmbiguousSubmitError,
  AuthenticationError,
  ConfigurationError,
  createNanoBanana,
  NanoBananaError,
  TaskFailedError,
  TimeoutError,
  type FailoverSubmission,
  type NanoBananaFailoverOptions,
  type ProviderId,
} from '../../src/index.js'
import { FAST_POLLING, FAST_RETRY, fastSandbox, leaks, SECRET_KEY } from './support.js'

const WRONG_KEY = 'sk-wrong-key-Zq81mXv3'
/** No submit retries: each refusal fails over at once (a provider's own retries are tested elsewhere). */
const NO_SUBMIT_RETRY = { ...FAST_RETRY, submit: { ...FAST_RETRY.submit, maxRetries: 0 } }

let sandboxes: Sandbox[] = []
afterEach(async () => {
  await Promise.all(sandboxes.map((s) => s.close()))
  sandboxes = []
})
async function sandbox(faults: FaultRule[] = []): Promise<Sandbox> {
  const s = await fastSandbox({ faults })
  sandboxes.push(s)
  return s
}

type Entry = { provider: ProviderId; apiKey?: string; model?: string }
function failover(s: Sandbox, entries: Entry[], options: Partial<NanoBananaFailoverOptions> = {}) {
  return createNanoBanana({
    providers: entries.map((e) => ({ apiKey: SECRET_KEY, baseUrl: s.baseUrl(e.provider), ...e })),
    polling: FAST_POLLING,
    retry: NO_SUBMIT_RETRY,
    ...options,
  })
}

const counts = (s: Sandbox, ...ids: ProviderId[]) => ids.map((id) => s.submissions(id))

describe('falls over before acceptance', () => {
  it('401 (wrong key): the next provider serves it; the skip list says why', async () => {
    const s = await sandbox()
    const nb = failover(s, [{ provider: 'evolink', apiKey: WRONG_KEY }, { provider: 'aivideoapi' }])
    const result = await nb.generate({ prompt: 'a banana' })
    expect(result.provider).toBe('aivideoapi')
    expect(result.model).toBe('nano-banana-2')
    expect(result.handle).toBe(`aivideoapi:${result.taskId}`)
    expect(result.failover).toEqual([
      { provider: 'evolink', skipped: true, reason: 'authentication', error: 'AuthenticationError', status: 401, code: expect.any(String), message: expect.any(String) },
    ])
    expect(counts(s, 'evolink', 'aivideoapi')).toEqual([0, 1])
    expect(leaks([result.failover], WRONG_KEY)).toEqual([])
    expect(leaks([result.failover], SECRET_KEY)).toEqual([])
  })

  it('402 (insufficient credits): skipped as insufficient-credits', async () => {
    const s = await sandbox()
    const evolinkBase = s.baseUrl('evolink')
    // The sandbox has no 402 fault: a fetch in front of it answers EvoLink's documented 402 envelope.
    const fetch402: typeof fetch = async (input, init) => {
      const request = new Request(input, init)
      if (request.method === 'POST' && request.url.startsWith(evolinkBase)) {
        return Response.json({ error: { code: 'insufficient_quota', message: 'Insufficient credits', type: 'insufficient_quota' } }, { status: 402 })
      }
      return fetch(request)
    }
    const nb = failover(s, [{ provider: 'evolink' }, { provider: 'aivideoapi' }], { fetch: fetch402 })
    const result = await nb.generate({ prompt: 'no money at the first' })
    expect(result.provider).toBe('aivideoapi')
    expect(result.failover).toMatchObject([{ provider: 'evolink', skipped: true, reason: 'insufficient-credits', error: 'InsufficientCreditsError', status: 402 }])
    expect(counts(s, 'evolink', 'aivideoapi')).toEqual([0, 1])
  })

  it.each([
    ['429', 'rate-limit', 'rate-limited', 'RateLimitError', 429],
    ['503', 'unavailable', 'unavailable', 'ServerError', 503],
    ['500', 'server-error', 'unavailable', 'ServerError', 500],
    ['HTML 502 page', 'html-error', 'unavailable', 'UpstreamError', 502],
  ] as const)('%s before acceptance', async (_label, fault, reason, error, status) => {
    const s = await sandbox([{ provider: 'evolink', phase: 'submit', fault, count: Infinity }])
    const nb = failover(s, [{ provider: 'evolink' }, { provider: 'aivideoapi' }])
    const result = await nb.generate({ prompt: `${fault} at the first` })
    expect(result.provider).toBe('aivideoapi')
    expect(result.failover).toMatchObject([{ provider: 'evolink', skipped: true, reason, error, status }])
    expect(counts(s, 'evolink', 'aivideoapi')).toEqual([0, 1])
  })

  it('a provider’s own submit retries run first (503 once, then accepted: no failover)', async () => {
    const s = await sandbox([{ provider: 'evolink', phase: 'submit', fault: 'unavailable' }])
    const nb = failover(s, [{ provider: 'evolink' }, { provider: 'aivideoapi' }], { retry: FAST_RETRY })
    const result = await nb.generate({ prompt: 'retried in place' })
    expect(result).toMatchObject({ provider: 'evolink', failover: [] })
    expect(counts(s, 'evolink', 'aivideoapi')).toEqual([1, 0])
  })

  it('capability mismatch found locally (aspect ratio 1:8 on Nano Banana Pro): nothing sent to the first', async () => {
    const s = await sandbox()
    const nb = failover(s, [{ provider: 'evolink' }, { provider: 'aivideoapi' }])
    const result = await nb.generate({ prompt: 'a tall banana', aspectRatio: '1:8' })
    expect(result.provider).toBe('aivideoapi')
    expect(result.failover).toMatchObject([{ provider: 'evolink', reason: 'unsupported', error: 'UnsupportedOptionError', code: 'unsupported_option' }])
    expect(result.failover[0]).not.toHaveProperty('status')
    expect(s.requests.filter((r) => r.provider === 'evolink')).toHaveLength(0)
    expect(counts(s, 'evolink', 'aivideoapi')).toEqual([0, 1])
  })

  it('a model id only one provider knows is a capability mismatch; per-entry `model` maps it', async () => {
    const s = await sandbox()
    const byRequest = await failover(s, [{ provider: 'evolink' }, { provider: 'aivideoapi' }]).generate({ prompt: 'p', model: 'nano-banana-2' })
    expect(byRequest).toMatchObject({ provider: 'aivideoapi', model: 'nano-banana-2', failover: [{ provider: 'evolink', reason: 'unsupported', error: 'UnsupportedOptionError' }] })

    const perEntry = failover(s, [
      { provider: 'evolink', apiKey: WRONG_KEY, model: 'gemini-3.1-flash-image-preview' },
      { provider: 'aivideoapi', model: 'nano-banana-2-lite' },
    ])
    const result = await perEntry.generate({ prompt: 'p' })
    expect(result).toMatchObject({ provider: 'aivideoapi', model: 'nano-banana-2-lite', failover: [{ provider: 'evolink', reason: 'authentication' }] })
    expect(s.tasks.get('aivideoapi', result.taskId)).toBeDefined()
  })

  it('every provider refused: the last error, with the skip list on it', async () => {
    const s = await sandbox()
    const nb = failover(s, [{ provider: 'odkkk', apiKey: WRONG_KEY }, { provider: 'evolink', apiKey: WRONG_KEY }])
    const error = (await nb.generate({ prompt: 'p' }).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error.provider).toBe('evolink')
    expect(error.failover).toMatchObject([{ provider: 'odkkk', reason: 'authentication', error: 'AuthenticationError' }])
    expect(error.toJSON().failover).toEqual(error.failover)
    expect(leaks([error], WRONG_KEY)).toEqual([])
    expect(counts(s, 'odkkk', 'evolink')).toEqual([0, 0])
  })
})

describe('never falls over after acceptance', () => {
  it('reset after accept: AmbiguousSubmitError, one submission to the first, none to the second', async () => {
    const s = await sandbox([{ provider: 'evolink', phase: 'submit', fault: 'reset-after-accept' }])
    const nb = failover(s, [{ provider: 'evolink' }, { provider: 'aivideoapi' }])
    const error = (await nb.generate({ prompt: 'maybe accepted' }).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(AmbiguousSubmitError)
    expect(error.provider).toBe('evolink')
    expect(error.failover).toBeUndefined()
    expect(counts(s, 'evolink', 'aivideoapi')).toEqual([1, 0])
    expect(s.requests.filter((r) => r.provider === 'aivideoapi')).toHaveLength(0)
  })

  it('the task failed: TaskFailedError with its task id, no second submission', async () => {
    const s = await sandbox([{ provider: 'crun', phase: 'submit', fault: 'task-fail' }])
    const nb = failover(s, [{ provider: 'crun' }, { provider: 'aivideoapi' }])
    const error = (await nb.generate({ prompt: 'fails at the provider' }).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(TaskFailedError)
    expect(error).toMatchObject({ provider: 'crun', taskId: expect.any(String) })
    expect(counts(s, 'crun', 'aivideoapi')).toEqual([1, 0])
  })

  it('a stuck task: TimeoutError, no second submission; a skip before acceptance stays listed', async () => {
    const s = await sandbox([{ provider: 'evolink', phase: 'submit', fault: 'task-stuck' }])
    const nb = failover(s, [{ provider: 'odkkk', apiKey: WRONG_KEY }, { provider: 'evolink' }, { provider: 'aivideoapi' }])
    let submitted: FailoverSubmission | undefined
    const error = (await nb
      .generate({ prompt: 'never ends', timeoutMs: 300, onSubmitted: (sub) => (submitted = sub) })
      .catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error).toMatchObject({ provider: 'evolink', taskId: submitted!.taskId })
    expect(error.failover).toMatchObject([{ provider: 'odkkk', reason: 'authentication' }])
    expect(submitted).toMatchObject({ provider: 'evolink', handle: `evolink:${submitted!.taskId}` })
    expect(counts(s, 'odkkk', 'evolink', 'aivideoapi')).toEqual([0, 1, 0])
  })

  it('submit() returns the handle; wait()/getTask() go to the provider that accepted it', async () => {
    const s = await sandbox()
    const nb = failover(s, [{ provider: 'evolink', apiKey: WRONG_KEY }, { provider: 'aivideoapi' }])
    const submission = await nb.submit({ prompt: 'later' })
    expect(submission).toMatchObject({ provider: 'aivideoapi', handle: `aivideoapi:${submission.taskId}`, failover: [{ provider: 'evolink', reason: 'authentication' }] })
    expect((await nb.getTask(submission.handle)).taskId).toBe(submission.taskId)
    expect((await nb.getTask(submission.taskId, { provider: 'aivideoapi' })).provider).toBe('aivideoapi')
    const result = await nb.wait(submission.handle)
    expect(result).toMatchObject({ provider: 'aivideoapi', taskId: submission.taskId, handle: submission.handle, failover: [] })
    expect((await nb.wait(submission.taskId, { provider: 'aivideoapi' })).taskId).toBe(submission.taskId)
    // A bare task id is ambiguous with two providers.
    await expect(nb.wait(submission.taskId)).rejects.toBeInstanceOf(ConfigurationError)
    await expect(nb.wait(submission.taskId, { provider: 'crun' })).rejects.toThrow(/not one of this client's providers/)
    expect(counts(s, 'evolink', 'aivideoapi')).toEqual([0, 1])
  })
})

describe('configuration', () => {
  it('refuses an empty list, a duplicate provider, and provider + providers together', () => {
    expect(() => createNanoBanana({ providers: [] })).toThrow(ConfigurationError)
    expect(() => createNanoBanana({ providers: [{ provider: 'evolink', apiKey: 'sk-a1b2c3' }, { provider: 'evolink', apiKey: 'sk-d4e5f6' }] })).toThrow(/listed twice/)
    // @ts-expect-error provider and providers are exclusive
    expect(() => createNanoBanana({ provider: 'evolink', providers: [{ provider: 'crun', apiKey: 'k' }], apiKey: 'k' })).toThrow(ConfigurationError)
    expect(() => createNanoBanana({ providers: [{ provider: 'evolink', apiKey: 'sk-a1b2c3' }, { provider: 'uniall', apiKey: 'sk-a1b2c3' }] })).toThrow(/baseUrl|UNIALL_BASE_URL/)
  })

  it('a one-entry failover client resolves bare task ids', async () => {
    const s = await sandbox()
    const nb = failover(s, [{ provider: 'odkkk' }])
    const submission = await nb.submit({ prompt: 'alone' })
    expect((await nb.wait(submission.taskId)).handle).toBe(`odkkk:${submission.taskId}`)
  })
})
