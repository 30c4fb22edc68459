import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox, type ProviderId, type Sandbox } from '../src/index.js'
import { DRIVERS, PROVIDERS, WITH_DOCUMENTED_CALLBACKS, create, nextEvent, queryEnded, startReceiver, type Receiver } from './helpers/api.js'
import { documentedRetrySchedule, validateCallbackAgainstSpec } from './helpers/spec.js'

const SCALE = 0.001
let sandbox: Sandbox
let receiver: Receiver | undefined
beforeEach(async () => {
  // 0.001: a documented 1/2/4 s becomes 1/2/4 ms, 180 s becomes 180 ms.
  sandbox = await startSandbox({ taskDurationMs: 40, callbackDelayScale: SCALE })
})
afterEach(async () => {
  await sandbox.close()
  await receiver?.close()
  receiver = undefined
})

/** The sandbox's own retry delays where a spec documents none (its README says so). */
const SANDBOX_DEFAULT_RETRIES = [5, 30, 120]

/** Delay before each attempt: the first delivery is immediate, then the spec's retries (specs/CONVENTIONS.md), else the sandbox's own. */
const scheduleOf = (provider: ProviderId): number[] => [0, ...(documentedRetrySchedule(provider) ?? SANDBOX_DEFAULT_RETRIES)]

const settled = (provider: ProviderId, id: string) => sandbox.callbackOutcome(provider, id)

describe.each(PROVIDERS)('%s callbacks', (provider: ProviderId) => {
  const driver = DRIVERS[provider]

  it('POSTs the documented payload when the task ends, and retries after the receiver answered 500', async () => {
    receiver = await startReceiver([500])
    const created = await create(sandbox, provider, driver.createBody('callback me', { aspect: '1:1', callbackUrl: receiver.url }))
    expect(created.status).toBe(driver.createdStatus)
    const id = driver.idOf(created.body)
    const outcome = await settled(provider, id)
    expect(outcome).toMatchObject({ delivered: true, reason: 'delivered', attempts: 2 })
    expect(receiver.hits).toHaveLength(2)
    const [first, second] = receiver.hits
    expect(first!.text).toBe(second!.text)
    for (const hit of receiver.hits) {
      expect(hit.headers['content-type']).toBe('application/json')
      validateCallbackAgainstSpec(provider, hit.body)
    }
    const payload = second!.body as Record<string, any>
    // The callback body is what a query answers now (or the documented part of it).
    const queried = (await queryEnded(sandbox, provider, id)).body
    expect(payload).toEqual(driver.callbackPart(queried))
    expect(driver.statusOf(driver.asQueried(payload))).toBe(driver.words.done)
    expect(driver.urlsOf(driver.asQueried(payload))).toHaveLength(1)
    driver.checkCallbackHeaders?.(second!.headers, id, 'succeeded')
    // The second attempt waits the first retry delay (scaled) after the first attempt.
    const delayMs = scheduleOf(provider)[1]! * 1000 * SCALE
    if (delayMs >= 20) expect(second!.at - first!.at).toBeGreaterThanOrEqual(delayMs - 10)
    const attempts = sandbox.callbacks.filter((attempt) => attempt.taskId === id)
    expect(attempts.map((attempt) => [attempt.attempt, attempt.status, attempt.delivered])).toEqual([
      [1, 500, false],
      [2, 200, true],
    ])
  })

  it('follows the retry schedule, then gives up', async () => {
    const schedule = scheduleOf(provider)
    receiver = await startReceiver(schedule.map(() => 503))
    const created = await create(sandbox, provider, driver.createBody('never acknowledged', { callbackUrl: receiver.url }))
    const id = driver.idOf(created.body)
    // The sandbox says when the schedule is used up: no attempt follows that event.
    const outcome = await settled(provider, id)
    expect(outcome).toMatchObject({ delivered: false, reason: 'exhausted', attempts: schedule.length })
    expect(receiver.hits).toHaveLength(schedule.length)
    const attempts = sandbox.callbacks.filter((attempt) => attempt.taskId === id)
    expect(attempts.map((attempt) => attempt.status)).toEqual(schedule.map(() => 503))
  })

  it('a failed task calls back with the documented failure shape', async () => {
    receiver = await startReceiver()
    const created = await create(sandbox, provider, driver.createBody('fail me', { callbackUrl: receiver.url }), { 'x-sandbox-fault': 'task-fail' })
    await settled(provider, driver.idOf(created.body))
    const payload = receiver.hits[0]!.body as Record<string, any>
    validateCallbackAgainstSpec(provider, payload)
    expect(driver.statusOf(driver.asQueried(payload))).toBe(driver.words.failed)
    driver.checkFailed(driver.asQueried(payload))
    driver.checkCallbackHeaders?.(receiver.hits[0]!.headers, driver.idOf(created.body), 'failed')
  })
})

describe('callback delivery details', () => {
  const provider = WITH_DOCUMENTED_CALLBACKS[0]!
  const other = WITH_DOCUMENTED_CALLBACKS[1] ?? provider
  const driver = DRIVERS[provider]

  it('the schedule delays come from the spec where it documents one', () => {
    for (const id of WITH_DOCUMENTED_CALLBACKS) {
      const documented = documentedRetrySchedule(id)
      if (documented) expect(scheduleOf(id).slice(1)).toEqual(documented)
    }
    expect(WITH_DOCUMENTED_CALLBACKS.some((id) => documentedRetrySchedule(id) !== undefined)).toBe(true)
  })

  it('a connection error is retried like a non-2xx answer', async () => {
    receiver = await startReceiver([0, 0])
    const created = await create(sandbox, provider, driver.createBody('flaky receiver', { callbackUrl: receiver.url }))
    await settled(provider, driver.idOf(created.body))
    expect(sandbox.callbacks.map((attempt) => [attempt.attempt, attempt.delivered, Boolean(attempt.error)])).toEqual([
      [1, false, true],
      [2, false, true],
      [3, true, false],
    ])
  })

  it('callback faults: a reset attempt and a truncated body are retried/visible to the receiver', async () => {
    receiver = await startReceiver([])
    sandbox.faults.add({ phase: 'callback', fault: 'reset-before-accept' })
    sandbox.faults.add({ phase: 'callback', fault: 'malformed-json' })
    const created = await create(sandbox, other, DRIVERS[other].createBody('flaky network', { callbackUrl: receiver.url }))
    await settled(other, DRIVERS[other].idOf(created.body))
    // Attempt 1 never left the sandbox; attempt 2 arrived with half a JSON document (and the receiver said 200).
    expect(sandbox.callbacks[0]).toMatchObject({ attempt: 1, delivered: false })
    expect(receiver.hits).toHaveLength(1)
    expect(() => JSON.parse(receiver!.hits[0]!.text)).toThrow()
  })

  it('no callback for a task that never ends', async () => {
    receiver = await startReceiver()
    const stuck = await create(sandbox, provider, driver.createBody('stuck', { callbackUrl: receiver.url }), { 'x-sandbox-fault': 'task-stuck' })
    // A second task of the same duration, created after it: when that one has called back, the stuck one's
    // end was due (its timer fired first) and passed without a callback.
    const witness = await create(sandbox, provider, driver.createBody('witness', { callbackUrl: receiver.url }))
    await settled(provider, driver.idOf(witness.body))
    const stuckId = driver.idOf(stuck.body)
    expect(sandbox.callbacks.filter((attempt) => attempt.taskId === stuckId)).toEqual([])
    expect(receiver.hits).toHaveLength(1)
    expect(sandbox.tasks.get(provider, stuckId)?.status).toBe(driver.words.running)
  })

  it('callbacks go to loopback hosts only, unless allowExternalCallbacks', async () => {
    const external = 'https://callbacks.example.com/hook'
    const created = await create(sandbox, provider, driver.createBody('outside', { callbackUrl: external }))
    const outcome = await settled(provider, driver.idOf(created.body))
    expect(outcome).toMatchObject({ delivered: false, reason: 'blocked', attempts: 0, url: external })
    expect(sandbox.callbacks).toEqual([expect.objectContaining({ url: external, blocked: true, delivered: false, error: expect.stringMatching(/not loopback/) })])

    // Allowed: the sandbox really tries (here it fails fast: the attempt is aborted by its 1 ms timeout).
    const open = await startSandbox({ taskDurationMs: 0, callbackDelayScale: SCALE, allowExternalCallbacks: true, callbackTimeoutMs: 1 })
    try {
      const sent = await create(open, provider, driver.createBody('outside', { callbackUrl: external }))
      const tried = await open.callbackOutcome(provider, driver.idOf(sent.body))
      expect(tried).toMatchObject({ delivered: false, reason: 'exhausted', attempts: scheduleOf(provider).length })
      expect(open.callbacks.every((attempt) => !attempt.blocked && attempt.error !== undefined)).toBe(true)
    } finally {
      await open.close()
    }
  })

  it('emits an event per attempt', async () => {
    receiver = await startReceiver([500])
    const seen: number[] = []
    sandbox.events.on('callback-attempt', (attempt) => seen.push(attempt.status ?? 0))
    const finished = nextEvent(sandbox, 'task-finished', (task) => task.prompt === 'events')
    const created = await create(sandbox, provider, driver.createBody('events', { callbackUrl: receiver.url }))
    expect(await finished).toMatchObject({ id: driver.idOf(created.body), status: driver.words.done })
    await settled(provider, driver.idOf(created.body))
    expect(seen).toEqual([500, 200])
  })
})
