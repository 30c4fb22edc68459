// Nothing paid for is lost: onSubmitted hands out the task id before the first poll, every error after
// acceptance carries the id, and wait(taskId) resumes from it (even in a fresh client, as after a crash).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { FaultRule, Sandbox } from '@nano-banana/sandbox'
import { AbortError, NanoBananaError, TimeoutError, type Submission } from '../../src/index.js'
import { fastSandbox, PROVIDERS, requestsOf, sandboxClient } from './support.js'

// Any two providers: what is checked here holds for every one (the per-provider loops above say so).
const [ONE, TWO] = [PROVIDERS[0]!, PROVIDERS[1]!]
import { saveImages } from '../../src/node.js'

const open: Sandbox[] = []
/**
 * A sandbox closed after the test. A concurrent test passes its context's `onTestFinished`: the shared
 * afterEach below runs as each test ends, and would close the sandboxes of the tests still running.
 */
async function sandbox(options: Parameters<typeof fastSandbox>[0] = {}, onTestFinished?: (close: () => Promise<void>) => void) {
  const s = await fastSandbox(options)
  if (onTestFinished) onTestFinished(() => s.close())
  else open.push(s)
  return s
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()))
})

// Per provider side by side: each test has a sandbox of its own, so no other test touches its log or counts.
describe('onSubmitted fires before the first poll', () => {
  it.concurrent.for(PROVIDERS)('%s', async (provider, { expect, onTestFinished }) => {
    const s = await sandbox({}, onTestFinished)
    const nb = sandboxClient(s, provider)
    let seen: { submission: Submission; requestsSoFar: number; pollsSoFar: number } | undefined
    const result = await nb.generate({
      prompt: 'ordering',
      onSubmitted: (submission) => {
        seen = { submission, requestsSoFar: s.requests.length, pollsSoFar: requestsOf(s, 'poll').length }
      },
    })
    expect(seen!.submission.taskId).toBe(result.taskId)
    expect(seen!.pollsSoFar).toBe(0)
    // The log at that moment ends with the accepted create; the first poll of that task comes after.
    const submitIndex = s.requests.findIndex((r) => r.phase === 'submit' && r.taskId === result.taskId)
    const firstPoll = s.requests.findIndex((r) => r.phase === 'poll')
    expect(submitIndex).toBe(seen!.requestsSoFar - 1)
    expect(firstPoll).toBeGreaterThanOrEqual(seen!.requestsSoFar)
    expect(s.requests[firstPoll]!.taskId).toBe(result.taskId)
  })
})

describe('wait(taskId) resumes', () => {
  it.concurrent.for(PROVIDERS)('%s: after a timeout, from a fresh client (as after a crash)', async (provider, { expect, onTestFinished }) => {
    const s = await sandbox({ taskDurationMs: 400 }, onTestFinished)
    let kept: string | undefined
    const error = (await sandboxClient(s, provider)
      .generate({ prompt: 'resume me', timeoutMs: 100, onSubmitted: ({ taskId }) => (kept = taskId) })
      .catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error.taskId).toBe(kept)
    expect(error.message).toContain(`wait("${kept}")`)
    const result = await sandboxClient(s, provider).wait(error.taskId!)
    expect(result.taskId).toBe(kept)
    expect(result.images.length).toBeGreaterThan(0)
    expect(s.submissions()).toBe(1)
  })

  it('after an abort', async () => {
    const s = await sandbox({ taskDurationMs: 300 })
    const nb = sandboxClient(s, ONE)
    const controller = new AbortController()
    const error = (await nb
      .generate({ prompt: 'abort me', signal: controller.signal, onSubmitted: () => setTimeout(() => controller.abort(), 30) })
      .catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(AbortError)
    expect(s.tasks.get(ONE, error.taskId!)).toBeDefined()
    expect((await nb.wait(error.taskId!)).taskId).toBe(error.taskId)
  })

  it('after a poll outage longer than the wait', async () => {
    const s = await sandbox({ faults: [{ provider: TWO, phase: 'poll', fault: 'unavailable', count: Infinity }] })
    const nb = sandboxClient(s, TWO)
    const error = (await nb.generate({ prompt: 'outage', timeoutMs: 200 }).catch((e: unknown) => e)) as NanoBananaError
    expect(error.taskId).toBeTruthy()
    s.faults.clear()
    expect((await nb.wait(error.taskId!)).taskId).toBe(error.taskId)
  })
})

describe('every error after acceptance carries the task id the provider knows', () => {
  const pollFaults: Omit<FaultRule, 'provider'>[] = [
    { phase: 'poll', fault: 'task-fail' },
    { phase: 'poll', fault: 'task-stuck' },
    { phase: 'poll', fault: 'server-error', count: Infinity },
    { phase: 'poll', fault: 'rate-limit', count: Infinity },
    { phase: 'poll', fault: 'html-error', count: Infinity },
    { phase: 'poll', fault: 'malformed-json', count: Infinity },
    { phase: 'poll', fault: 'reset-after-accept', count: Infinity },
  ]
  // One provider at a time: each case already runs its seven faults side by side; eight providers at once
  // (56 sandboxes polled every few ms) would be a CPU burst beside the other worker's time-bound tests.
  it.each(PROVIDERS)('%s: failed, stuck, and every poll fault that does not clear', async (provider) => {
    await Promise.all(
      pollFaults.map(async (rule) => {
        // A task longer than the wait: every fault finds it running (a task that ended first would hide a task fault).
        const s = await sandbox({ faults: [{ provider, ...rule }], taskDurationMs: 5000 })
        const error = (await sandboxClient(s, provider, { retry: { poll: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 5 } } })
          .generate({ prompt: rule.fault, timeoutMs: 300 })
          .catch((e: unknown) => e)) as NanoBananaError
        expect(error, rule.fault).toBeInstanceOf(NanoBananaError)
        expect(error.taskId, `${rule.fault}: ${String(error)}`).toBeTruthy()
        expect(error.provider, rule.fault).toBe(provider)
        expect(s.tasks.get(provider, error.taskId!), rule.fault).toBeDefined()
      }),
    )
  })

  it('errors of the caller’s own callbacks are wrapped with the task id (onSubmitted, onProgress)', async () => {
    const s = await sandbox()
    const nb = sandboxClient(s, ONE)
    const fromSubmitted = (await nb
      .generate({
        prompt: 'callback throws',
        onSubmitted: () => {
          throw new Error('could not save the id')
        },
      })
      .catch((e: unknown) => e)) as NanoBananaError
    expect(fromSubmitted).toBeInstanceOf(NanoBananaError)
    expect(fromSubmitted.taskId).toBeTruthy()
    expect((fromSubmitted.cause as Error).message).toBe('could not save the id')
    const fromProgress = (await nb
      .generate({
        prompt: 'progress throws',
        onProgress: () => {
          throw new TypeError('ui gone')
        },
      })
      .catch((e: unknown) => e)) as NanoBananaError
    expect(fromProgress.taskId).toBeTruthy()
    expect(fromProgress.cause).toBeInstanceOf(TypeError)
    // Both tasks can still be collected.
    for (const taskId of [fromSubmitted.taskId!, fromProgress.taskId!]) expect((await nb.wait(taskId)).taskId).toBe(taskId)
  })

  it('download and save errors carry the task id too', async () => {
    const s = await sandbox()
    const result = await sandboxClient(s, TWO).generate({ prompt: 'keep me' })
    const tooLarge = (await result.images[0]!.download({ maxBytes: 10 }).catch((e: unknown) => e)) as NanoBananaError
    expect(tooLarge).toMatchObject({ code: 'too_large', taskId: result.taskId })
    const dir = await mkdtemp(join(tmpdir(), 'nb-lost-'))
    try {
      const file = join(dir, 'not-a-dir')
      await writeFile(file, 'x')
      const cannotWrite = (await saveImages(result, join(file, 'sub')).catch((e: unknown) => e)) as NanoBananaError
      expect(cannotWrite).toBeInstanceOf(NanoBananaError)
      expect(cannotWrite.taskId).toBe(result.taskId)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
