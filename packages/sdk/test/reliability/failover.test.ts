// Failover, in both directions: the next provider is tried only on errors that prove the task was not
// accepted (401, 402, 429, 5xx refusals, capability mismatch), never once a task exists or may exist
// (reset after accept, failed task, stuck task). The sandbox's submission counts prove it.
import { META } from '@nano-banana/manifest'
import { afterEach, describe, expect, it } from 'vitest'
import type { FaultRule, Sandbox } from '@nano-banana/sandbox'
import {
  AmbiguousSubmitError,
  AuthenticationError,
  ConfigurationError,
  createNanoBanana,
  type NanoBananaError,
  providers as allProviders,
  TaskFailedError,
  TimeoutError,
  type FailoverSubmission,
  type NanoBananaFailoverOptions,
  type ProviderId,
} from '../../src/index.js'
import { FIXTURES } from '../support.js'
import { FAST_POLLING, FAST_RETRY, fastSandbox, leaks, PROVIDERS, SECRET_KEY } from './support.js'

// The providers, picked by what each test needs (never by name):
// FIRST follows plain HTTP semantics on refusals (no provider codes of its own in its fixture);
const FIRST = PROVIDERS.find((p) => !FIXTURES[p].faultOutcomes && !FIXTURES[p].statusClasses)!
const defaultOf = (p: ProviderId) => allProviders[p].models[allProviders[p].defaultModel]!
// SECOND's default model takes an aspect ratio FIRST's does not, and FIRST does not know SECOND's default model id;
const SECOND = PROVIDERS.find(
  (p) =>
    p !== FIRST &&
    defaultOf(p).aspectRatios.some((r) => !defaultOf(FIRST).aspectRatios.includes(r)) &&
    !Object.hasOwn(allProviders[FIRST].models, allProviders[p].defaultModel),
)!
const RATIO = defaultOf(SECOND).aspectRatios.find((r) => !defaultOf(FIRST).aspectRatios.includes(r))!
// THIRD is any other one; FAILING reports a failed task as a plain TaskFailedError.
const THIRD = PROVIDERS.find((p) => p !== FIRST && p !== SECOND)!
const FAILING = PROVIDERS.find((p) => p !== SECOND && FIXTURES[p].failedClass === TaskFailedError)!
const otherModel = (p: ProviderId) => Object.keys(allProviders[p].models).find((m) => m !== allProviders[p].defaultModel)!
const BASE_URL_REQUIRED = PROVIDERS.find((p) => META[p].baseUrlRequired)!

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
    const nb = failover(s, [{ provider: FIRST, apiKey: WRONG_KEY }, { provider: SECOND }])
    const result = await nb.generate({ prompt: 'a banana' })
    expect(result.provider).toBe(SECOND)
    expect(result.model).toBe(allProviders[SECOND].defaultModel)
    expect(result.handle).toBe(`${SECOND}:${result.taskId}`)
    expect(result.failover).toEqual([
      { provider: FIRST, skipped: true, reason: 'authentication', error: 'AuthenticationError', status: 401, code: expect.any(String), message: expect.any(String) },
    ])
    expect(counts(s, FIRST, SECOND)).toEqual([0, 1])
    expect(leaks([result.failover], WRONG_KEY)).toEqual([])
    expect(leaks([result.failover], SECRET_KEY)).toEqual([])
  })

  it('402 (insufficient credits): skipped as insufficient-credits', async () => {
    const s = await sandbox()
    const firstBase = s.baseUrl(FIRST)
    // The sandbox has no 402 fault: a fetch in front of it answers a 402 in every envelope shape the providers use.
    const fetch402: typeof fetch = async (input, init) => {
      const request = new Request(input, init)
      if (request.method === 'POST' && request.url.startsWith(firstBase)) {
        return Response.json(
          { code: 402, message: 'Insufficient credits', error: { code: 'insufficient_quota', message: 'Insufficient credits', type: 'insufficient_quota' } },
          { status: 402 },
        )
      }
      return fetch(request)
    }
    const nb = failover(s, [{ provider: FIRST }, { provider: SECOND }], { fetch: fetch402 })
    const result = await nb.generate({ prompt: 'no money at the first' })
    expect(result.provider).toBe(SECOND)
    expect(result.failover).toMatchObject([{ provider: FIRST, skipped: true, reason: 'insufficient-credits', error: 'InsufficientCreditsError', status: 402 }])
    expect(counts(s, FIRST, SECOND)).toEqual([0, 1])
  })

  it.each([
    ['429', 'rate-limit', 'rate-limited', 'RateLimitError', 429],
    ['503', 'unavailable', 'unavailable', 'ServerError', 503],
  ] as const)('%s before acceptance', async (_label, fault, reason, error, status) => {
    const s = await sandbox([{ provider: FIRST, phase: 'submit', fault, count: Infinity }])
    const nb = failover(s, [{ provider: FIRST }, { provider: SECOND }])
    const result = await nb.generate({ prompt: `${fault} at the first` })
    expect(result.provider).toBe(SECOND)
    expect(result.failover).toMatchObject([{ provider: FIRST, skipped: true, reason, error, status }])
    expect(counts(s, FIRST, SECOND)).toEqual([0, 1])
  })

  // A 5xx other than 503 came after the provider read the request: a task may exist there.
  it.each([
    ['500', 'server-error', 500],
    ['HTML 502 page', 'html-error', 502],
  ] as const)('%s after sending: AmbiguousSubmitError naming the first provider, no failover', async (_label, fault, status) => {
    const s = await sandbox([{ provider: FIRST, phase: 'submit', fault, count: Infinity }])
    const nb = failover(s, [{ provider: FIRST }, { provider: SECOND }])
    const error = (await nb.generate({ prompt: `${fault} at the first` }).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(AmbiguousSubmitError)
    expect(error).toMatchObject({ provider: FIRST, status, code: 'server_error_after_send' })
    expect(s.requests.filter((r) => r.provider === SECOND)).toHaveLength(0)
  })

  it('a provider’s own submit retries run first (503 once, then accepted: no failover)', async () => {
    const s = await sandbox([{ provider: FIRST, phase: 'submit', fault: 'unavailable' }])
    const nb = failover(s, [{ provider: FIRST }, { provider: SECOND }], { retry: FAST_RETRY })
    const result = await nb.generate({ prompt: 'retried in place' })
    expect(result).toMatchObject({ provider: FIRST, failover: [] })
    expect(counts(s, FIRST, SECOND)).toEqual([1, 0])
  })

  it('capability mismatch found locally (an aspect ratio the first model lacks): nothing sent to the first', async () => {
    const s = await sandbox()
    const nb = failover(s, [{ provider: FIRST }, { provider: SECOND }])
    const result = await nb.generate({ prompt: 'a tall banana', aspectRatio: RATIO })
    expect(result.provider).toBe(SECOND)
    expect(result.failover).toMatchObject([{ provider: FIRST, reason: 'unsupported', error: 'UnsupportedOptionError', code: 'unsupported_option' }])
    expect(result.failover[0]).not.toHaveProperty('status')
    expect(s.requests.filter((r) => r.provider === FIRST)).toHaveLength(0)
    expect(counts(s, FIRST, SECOND)).toEqual([0, 1])
  })

  it('a model id only one provider knows is a capability mismatch; per-entry `model` maps it', async () => {
    const s = await sandbox()
    const byRequest = await failover(s, [{ provider: FIRST }, { provider: SECOND }]).generate({ prompt: 'p', model: allProviders[SECOND].defaultModel })
    expect(byRequest).toMatchObject({
      provider: SECOND,
      model: allProviders[SECOND].defaultModel,
      failover: [{ provider: FIRST, reason: 'unsupported', error: 'UnsupportedOptionError' }],
    })

    const perEntry = failover(s, [
      { provider: FIRST, apiKey: WRONG_KEY, model: otherModel(FIRST) },
      { provider: SECOND, model: otherModel(SECOND) },
    ])
    const result = await perEntry.generate({ prompt: 'p' })
    expect(result).toMatchObject({ provider: SECOND, model: otherModel(SECOND), failover: [{ provider: FIRST, reason: 'authentication' }] })
    expect(s.tasks.get(SECOND, result.taskId)).toBeDefined()
  })

  it('every provider refused: the last error, with the skip list on it', async () => {
    const s = await sandbox()
    const nb = failover(s, [
      { provider: THIRD, apiKey: WRONG_KEY },
      { provider: FIRST, apiKey: WRONG_KEY },
    ])
    const error = (await nb.generate({ prompt: 'p' }).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error.provider).toBe(FIRST)
    expect(error.failover).toMatchObject([{ provider: THIRD, reason: 'authentication', error: 'AuthenticationError' }])
    expect(error.toJSON().failover).toEqual(error.failover)
    expect(leaks([error], WRONG_KEY)).toEqual([])
    expect(counts(s, THIRD, FIRST)).toEqual([0, 0])
  })
})

describe('never falls over after acceptance', () => {
  it('reset after accept: AmbiguousSubmitError, one submission to the first, none to the second', async () => {
    const s = await sandbox([{ provider: FIRST, phase: 'submit', fault: 'reset-after-accept' }])
    const nb = failover(s, [{ provider: FIRST }, { provider: SECOND }])
    const error = (await nb.generate({ prompt: 'maybe accepted' }).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(AmbiguousSubmitError)
    expect(error.provider).toBe(FIRST)
    expect(error.failover).toBeUndefined()
    expect(counts(s, FIRST, SECOND)).toEqual([1, 0])
    expect(s.requests.filter((r) => r.provider === SECOND)).toHaveLength(0)
  })

  it('the task failed: TaskFailedError with its task id, no second submission', async () => {
    const s = await sandbox([{ provider: FAILING, phase: 'submit', fault: 'task-fail' }])
    const nb = failover(s, [{ provider: FAILING }, { provider: SECOND }])
    const error = (await nb.generate({ prompt: 'fails at the provider' }).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(TaskFailedError)
    expect(error).toMatchObject({ provider: FAILING, taskId: expect.any(String) })
    expect(counts(s, FAILING, SECOND)).toEqual([1, 0])
  })

  it('a stuck task: TimeoutError, no second submission; a skip before acceptance stays listed', async () => {
    const s = await sandbox([{ provider: FIRST, phase: 'submit', fault: 'task-stuck' }])
    const nb = failover(s, [{ provider: THIRD, apiKey: WRONG_KEY }, { provider: FIRST }, { provider: SECOND }])
    let submitted: FailoverSubmission | undefined
    const error = (await nb.generate({ prompt: 'never ends', timeoutMs: 300, onSubmitted: (sub) => (submitted = sub) }).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error).toMatchObject({ provider: FIRST, taskId: submitted!.taskId })
    expect(error.failover).toMatchObject([{ provider: THIRD, reason: 'authentication' }])
    expect(submitted).toMatchObject({ provider: FIRST, handle: `${FIRST}:${submitted!.taskId}` })
    expect(counts(s, THIRD, FIRST, SECOND)).toEqual([0, 1, 0])
  })

  it('submit() returns the handle; wait()/getTask() go to the provider that accepted it', async () => {
    const s = await sandbox()
    const nb = failover(s, [{ provider: FIRST, apiKey: WRONG_KEY }, { provider: SECOND }])
    const submission = await nb.submit({ prompt: 'later' })
    expect(submission).toMatchObject({ provider: SECOND, handle: `${SECOND}:${submission.taskId}`, failover: [{ provider: FIRST, reason: 'authentication' }] })
    expect((await nb.getTask(submission.handle)).taskId).toBe(submission.taskId)
    expect((await nb.getTask(submission.taskId, { provider: SECOND })).provider).toBe(SECOND)
    const result = await nb.wait(submission.handle)
    expect(result).toMatchObject({ provider: SECOND, taskId: submission.taskId, handle: submission.handle, failover: [] })
    expect((await nb.wait(submission.taskId, { provider: SECOND })).taskId).toBe(submission.taskId)
    // A bare task id is ambiguous with two providers.
    await expect(nb.wait(submission.taskId)).rejects.toBeInstanceOf(ConfigurationError)
    await expect(nb.wait(submission.taskId, { provider: THIRD })).rejects.toThrow(/not one of this client's providers/)
    expect(counts(s, FIRST, SECOND)).toEqual([0, 1])
  })
})

describe('configuration', () => {
  it('refuses an empty list, a duplicate provider, and provider + providers together', () => {
    expect(() => createNanoBanana({ providers: [] })).toThrow(ConfigurationError)
    expect(() =>
      createNanoBanana({
        providers: [
          { provider: FIRST, apiKey: 'sk-a1b2c3' },
          { provider: FIRST, apiKey: 'sk-d4e5f6' },
        ],
      }),
    ).toThrow(/listed twice/)
    // @ts-expect-error provider and providers are exclusive
    expect(() => createNanoBanana({ provider: FIRST, providers: [{ provider: THIRD, apiKey: 'k' }], apiKey: 'k' })).toThrow(ConfigurationError)
    const needsBaseUrl = allProviders[BASE_URL_REQUIRED]
    expect(() =>
      createNanoBanana({
        providers: [
          { provider: SECOND, apiKey: 'sk-a1b2c3' },
          { provider: BASE_URL_REQUIRED, apiKey: 'sk-a1b2c3' },
        ],
      }),
    ).toThrow(new RegExp(`baseUrl|${needsBaseUrl.baseUrlEnvKey}`))
  })

  it('a one-entry failover client resolves bare task ids', async () => {
    const s = await sandbox()
    const nb = failover(s, [{ provider: THIRD }])
    const submission = await nb.submit({ prompt: 'alone' })
    expect((await nb.wait(submission.taskId)).handle).toBe(`${THIRD}:${submission.taskId}`)
  })
})
