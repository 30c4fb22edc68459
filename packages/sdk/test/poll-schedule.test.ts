// The poll schedule against simulated tasks on a fake clock: polls are counted, time is simulated,
// nothing waits on the wall clock.
import { describe, expect, it } from 'vitest'
import { createDurationBook, MAX_KEYS, observedSeconds, type DurationBook } from '../src/durations.js'
import { createTaskEvents } from '../src/events.js'
import type { ProviderId, Task } from '../src/types.js'
import { DEFAULT_POLLING, nextPollDelay, waitForTask, type WaitClock } from '../src/wait.js'

const provider = 'sim' as ProviderId

/** A clock whose sleeps advance simulated time at once; `at(ms, fn)` runs fn when time reaches ms (ending a sleep early if fn aborts it). */
function fakeClock() {
  let now = 0
  const timeline: { at: number; fn: () => void }[] = []
  const clock: WaitClock & { at(ms: number, fn: () => void): void } = {
    now: () => now,
    at: (ms, fn) => timeline.push({ at: ms, fn }),
    async sleep(ms, signal) {
      const until = now + Math.max(0, ms)
      for (;;) {
        timeline.sort((a, b) => a.at - b.at)
        const next = timeline[0]
        if (!next || next.at > until) break
        timeline.shift()
        now = Math.max(now, next.at)
        next.fn()
        if (signal?.aborted) throw signal.reason ?? new Error('aborted')
      }
      now = until
    },
  }
  return clock
}

interface SimTask {
  durationMs: number
  /** Progress 0..1 reported while running, as a function of the fraction done; none when undefined. */
  progress?: (fraction: number) => number
  /** The provider's own figure of the duration, reported once done. */
  reportSeconds?: boolean
  queuedMs?: number
}

/** Waits for one simulated task from t=now; returns its polls and the latency added after it ended. */
async function run(clock: ReturnType<typeof fakeClock>, sim: SimTask, extra: { book?: DurationBook; estimatedSeconds?: number } = {}) {
  const start = clock.now()
  let polls = 0
  const key = 'sim/model'
  const task = await waitForTask({
    provider,
    taskId: `t${start}`,
    clock,
    timeoutMs: 600_000,
    startedAt: start,
    estimatedSeconds: extra.estimatedSeconds,
    expected: extra.book?.expect(key),
    onSucceeded: (done, pending, doneMs) => extra.book?.record(key, observedSeconds(pending, doneMs, done.durationSeconds)),
    poll: async (): Promise<Task> => {
      polls++
      const elapsed = clock.now() - start
      const base = { taskId: `t${start}`, provider, urls: [], raw: {} }
      if (elapsed >= sim.durationMs)
        return { ...base, status: 'succeeded', urls: ['https://x.test/1.png'], ...(sim.reportSeconds ? { durationSeconds: sim.durationMs / 1000 } : {}) }
      if (elapsed < (sim.queuedMs ?? 0)) return { ...base, status: 'queued' }
      return { ...base, status: 'running', ...(sim.progress ? { progress: sim.progress(elapsed / sim.durationMs) } : {}) }
    },
  })
  expect(task.status).toBe('succeeded')
  return { polls, addedMs: clock.now() - start - sim.durationMs, fixed500Polls: Math.ceil(sim.durationMs / 500) }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

describe('poll schedule', () => {
  it("a batch of ~8 s tasks: from the fourth on, a quarter of the 500 ms poller's polls and ≤ 600 ms added", async () => {
    // Eight durations spread over 8 s ± 20%, in an order that does not sort them.
    const durations = [8.3, 6.9, 9.4, 7.6, 8.8, 6.5, 9.1, 7.9].map((s) => s * 1000)
    const clock = fakeClock()
    const book = createDurationBook()
    const results = []
    for (const durationMs of durations) results.push(await run(clock, { durationMs }, { book }))
    const later = results.slice(3)
    const polls = later.reduce((n, r) => n + r.polls, 0)
    const fixed = later.reduce((n, r) => n + r.fixed500Polls, 0)
    expect(polls).toBeLessThanOrEqual(fixed / 4)
    expect(median(later.map((r) => r.addedMs))).toBeLessThanOrEqual(600)
    // The first tasks, with nothing learned yet, already cost fewer polls than the fixed poller.
    expect(results[0]?.polls).toBeLessThan(results[0]?.fixed500Polls as number)
  })

  it.each([4_000, 5_000, 8_000, 16_000, 20_000, 60_000])("a %d ms task with no history: ≤ half the 500 ms poller's polls, ≤ 10%% added", async (durationMs) => {
    const r = await run(fakeClock(), { durationMs })
    expect(r.polls).toBeLessThanOrEqual(r.fixed500Polls / 2)
    expect(r.addedMs).toBeLessThanOrEqual(durationMs * 0.1)
  })

  it.each([5_000, 16_000, 60_000])('an exact estimate with linear progress (%d ms): ≤ 3 polls, ≤ 300 ms added', async (durationMs) => {
    // Progress reads 100 a little before the end (the provider rounds), as EvoLink's did.
    const r = await run(
      fakeClock(),
      { durationMs: durationMs + 120, progress: (f) => Math.min(1, Math.round(f * 100) / 100) },
      { estimatedSeconds: durationMs / 1000 },
    )
    expect(r.polls).toBeLessThanOrEqual(3)
    expect(r.addedMs).toBeLessThanOrEqual(300)
  })

  it('progress at or near 100% but unfinished never backs off long', () => {
    const running = { taskId: 't', provider, status: 'running' as const, urls: [], raw: {} }
    for (const progress of [0.96, 0.99, 1]) {
      expect(nextPollDelay({ elapsedMs: 60_000, task: { ...running, progress } })).toBe(DEFAULT_POLLING.minDelayMs)
      expect(nextPollDelay({ elapsedMs: 60_000, task: { ...running, progress }, estimatedSeconds: 30 })).toBe(DEFAULT_POLLING.minDelayMs)
    }
    // Mid-way, the same elapsed time backs off to the extrapolated remainder.
    expect(nextPollDelay({ elapsedMs: 20_000, task: { ...running, progress: 0.5 } })).toBeGreaterThanOrEqual(20_000)
  })

  it('a queued -> running change polls again within a second', () => {
    const base = { taskId: 't', provider, urls: [], raw: {} }
    const queued = { ...base, status: 'queued' as const }
    expect(nextPollDelay({ elapsedMs: 40_000, task: queued, previous: queued })).toBe(40_000 * DEFAULT_POLLING.elapsedFactor * 2)
    expect(nextPollDelay({ elapsedMs: 40_000, task: { ...base, status: 'running' }, previous: queued })).toBeLessThanOrEqual(1000)
  })

  it("a provider's own duration figure is what is learned, when it falls between the polls", async () => {
    const clock = fakeClock()
    const book = createDurationBook()
    await run(clock, { durationMs: 7_300, reportSeconds: true }, { book })
    const expected = book.expect('sim/model')
    expect(expected?.samples).toBe(1)
    // 7.3 s exactly, less the margin for a single sample.
    expect(expected?.lowMs).toBeCloseTo(7_300 * 0.9, 0)
    expect(observedSeconds(7_000, 8_000, 3)).toBe(7.5)
    expect(observedSeconds(undefined, 8_000)).toBeLessThan(8)
  })

  it('a first poll set too late by a prior moves earlier with each task', async () => {
    const clock = fakeClock()
    const book = createDurationBook()
    const key = 'sim/model'
    const prior = book.expect(key, 30)
    expect(prior).toMatchObject({ lowMs: 18_000, samples: 0 })
    const firsts: number[] = []
    for (let i = 0; i < 6; i++) {
      const start = clock.now()
      let first: number | undefined
      await waitForTask({
        provider,
        taskId: `p${i}`,
        clock,
        timeoutMs: 600_000,
        startedAt: start,
        expected: book.expect(key, 30),
        onSucceeded: (_t, pending, done) => book.record(key, observedSeconds(pending, done)),
        poll: async () => {
          first ??= clock.now() - start
          return { taskId: `p${i}`, provider, status: clock.now() - start >= 4_000 ? 'succeeded' : 'running', urls: ['https://x.test/a.png'], raw: {} }
        },
      })
      firsts.push(first as number)
    }
    for (let i = 1; i < firsts.length; i++) expect(firsts[i]).toBeLessThan(firsts[i - 1] as number)
  })

  it('a duration store informs a new book; a failing store is ignored', async () => {
    const stored = new Map<string, unknown>()
    const first = createDurationBook({ get: (k) => stored.get(k), set: (k, v) => stored.set(k, v) })
    await first.load('k')
    first.record('k', 8)
    first.record('k', 9)
    expect(stored.get('k')).toEqual([8, 9])
    const second = createDurationBook({ get: async (k) => stored.get(k), set: () => {} })
    expect(second.expect('k')).toBeUndefined()
    await second.load('k')
    expect(second.expect('k')?.samples).toBe(2)
    // Garbage in the store is dropped, a throwing store is no error.
    stored.set('bad', ['x', -1, Number.NaN, 5])
    const third = createDurationBook({ get: (k) => stored.get(k), set: () => Promise.reject(new Error('down')) })
    await third.load('bad')
    expect(third.expect('bad')?.samples).toBe(1)
    const broken = createDurationBook({
      get: () => {
        throw new Error('down')
      },
      set: () => {
        throw new Error('down')
      },
    })
    await broken.load('k')
    broken.record('k', 3)
    expect(broken.expect('k')?.samples).toBe(1)
    // A store that never answers: loading gives up, the book still works.
    const hanging = createDurationBook({ get: () => new Promise(() => {}), set: () => {} })
    await hanging.load('k')
    hanging.record('k', 4)
    expect(hanging.expect('k')?.samples).toBe(1)
  })

  it('a book remembers at most MAX_KEYS keys, the least recently used forgotten first', async () => {
    // Keys carry a model and resolution wait() takes from its caller: a long-lived client must not grow with each one.
    const book = createDurationBook()
    book.record('first', 5)
    book.record('kept', 6)
    for (let i = 0; i < MAX_KEYS - 2; i++) book.record(`k${i}`, 7)
    book.record('kept', 6.5)
    book.record('one more', 8)
    expect(book.expect('first')).toBeUndefined()
    expect(book.expect('kept')?.samples).toBe(2)
    expect(book.expect('k0')?.samples).toBe(1)
    book.record('and another', 8)
    expect(book.expect('k0')).toBeUndefined()
    expect(book.expect('one more')?.samples).toBe(1)

    // Store reads are forgotten with their key: read again afterwards, and not merged twice.
    const reads: string[] = []
    const stored = createDurationBook({
      get: (k) => {
        reads.push(k)
        return [3, 4]
      },
      set: () => {},
    })
    await stored.load('a')
    for (let i = 0; i < MAX_KEYS; i++) await stored.load(`k${i}`)
    expect(stored.expect('a')).toBeUndefined()
    await stored.load('a')
    expect(reads.filter((k) => k === 'a')).toHaveLength(2)
    expect(stored.expect('a')?.samples).toBe(2)
  })

  it('with callback news, waiting polls once the callback arrives, and otherwise only as a slow safety net', async () => {
    const clock = fakeClock()
    const events = createTaskEvents()
    let polls = 0
    const doneAt = 20_000
    clock.at(doneAt + 40, () => events.publish({ provider, taskId: 'cb', status: 'succeeded' }))
    await waitForTask({
      provider,
      taskId: 'cb',
      clock,
      timeoutMs: 600_000,
      startedAt: 0,
      wake: (listener) => events.subscribe(provider, 'cb', listener),
      poll: async () => {
        polls++
        return { taskId: 'cb', provider, status: clock.now() >= doneAt ? 'succeeded' : 'running', urls: ['https://x.test/a.png'], raw: {} }
      },
    })
    expect(polls).toBe(1)
    expect(clock.now()).toBe(doneAt + 40)

    // No callback ever arrives: the safety net still finds the task, at the slow pace.
    let netPolls = 0
    const started = clock.now()
    await waitForTask({
      provider,
      taskId: 'lost',
      clock,
      timeoutMs: 600_000,
      startedAt: started,
      wake: (listener) => events.subscribe(provider, 'lost', listener),
      poll: async () => {
        netPolls++
        return { taskId: 'lost', provider, status: clock.now() - started >= 70_000 ? 'succeeded' : 'running', urls: ['https://x.test/a.png'], raw: {} }
      },
    })
    expect(netPolls).toBe(Math.ceil(70_000 / DEFAULT_POLLING.callbackSafetyNetMs))
  })

  it("news that arrived before waiting began still wakes the wait; other tasks' news does not", async () => {
    const events = createTaskEvents()
    events.publish({ provider, taskId: 'early', status: 'succeeded' })
    events.publish({ provider, taskId: 'other', status: 'succeeded' })
    events.publish({ provider, taskId: 'early-running', status: 'running' })
    let woke = 0
    const unsubscribe = events.subscribe(provider, 'early', () => woke++)
    await Promise.resolve()
    expect(woke).toBe(1)
    unsubscribe()
    let running = 0
    events.subscribe(provider, 'early-running', () => running++)
    await Promise.resolve()
    expect(running).toBe(0)
  })
})
