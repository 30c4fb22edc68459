import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox, type ProviderId, type Sandbox } from '../src/index.js'
import { DRIVERS, PROVIDERS, create, query, sleep, startReceiver, waitUntil, type Receiver } from './helpers/api.js'
import { documentedRetrySchedule, validateCallbackAgainstSpec } from './helpers/spec.js'

let sandbox: Sandbox
let receiver: Receiver
beforeEach(async () => {
  // 0.001: odkkk's documented 1/2/4 s become 1/2/4 ms, aivideoapi's 180 s becomes 180 ms.
  sandbox = await startSandbox({ taskDurationMs: 40, callbackDelayScale: 0.001 })
})
afterEach(async () => {
  await sandbox.close()
  await receiver?.close()
})

/** The sandbox's schedules: the documented ones, and its own choice where the docs say nothing. */
const SCHEDULES: Record<ProviderId, number[]> = {
  odkkk: [0, 1, 2, 4],
  evolink: [0, 1, 2, 4],
  crun: [0, 5, 30, 120],
  uniall: [0, 5, 30, 120],
  aivideoapi: [0, 180, 420],
}

describe.each(PROVIDERS)('%s callbacks', (provider: ProviderId) => {
  const driver = DRIVERS[provider]

  it('POSTs the documented payload when the task ends, and retries after the receiver answered 500', async () => {
    receiver = await startReceiver([500])
    const created = await create(sandbox, provider, driver.createBody('callback me', { aspect: '1:1', callbackUrl: receiver.url }))
    expect(created.status).toBe(200)
    const id = driver.idOf(created.body)
    await waitUntil(() => receiver.hits.length >= 2, 3000, 'two callback attempts')
    await sleep(30)
    expect(receiver.hits).toHaveLength(2)
    const [first, second] = receiver.hits
    expect(first!.text).toBe(second!.text)
    for (const hit of receiver.hits) {
      expect(hit.headers['content-type']).toBe('application/json')
      validateCallbackAgainstSpec(provider, hit.body)
    }
    const payload = second!.body
    // The callback body is what a query answers now (crun: the query's `data`).
    const queried = (await query(sandbox, provider, id)).body
    expect(payload).toEqual(provider === 'crun' ? queried.data : queried)
    expect(driver.statusOf(provider === 'crun' ? { data: payload } : payload)).toBe(driver.words.done)
    expect(driver.urlsOf(provider === 'crun' ? { data: payload } : payload)).toHaveLength(1)
    if (provider === 'aivideoapi') {
      expect(second!.headers['x-event']).toBe('task.completed')
      expect(second!.headers['x-task-id']).toBe(id)
      expect(Number(second!.headers['x-timestamp'])).toBeGreaterThan(1_700_000_000)
      // Second attempt of "immediately, +3 min, +10 min", scaled by 0.001.
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(170)
    }
    const attempts = sandbox.callbacks.filter((attempt) => attempt.taskId === id)
    expect(attempts.map((attempt) => [attempt.attempt, attempt.status, attempt.delivered])).toEqual([
      [1, 500, false],
      [2, 200, true],
    ])
  })

  it('follows the retry schedule, then gives up', async () => {
    const schedule = SCHEDULES[provider]
    const documented = documentedRetrySchedule(provider)
    if (documented) expect(schedule.slice(-documented.length)).toEqual(documented)
    receiver = await startReceiver(schedule.map(() => 503))
    await create(sandbox, provider, driver.createBody('never acknowledged', { callbackUrl: receiver.url }))
    await waitUntil(() => receiver.hits.length >= schedule.length, 3000, 'all attempts', () => sandbox.callbacks)
    await sleep(60)
    expect(receiver.hits).toHaveLength(schedule.length)
  })

  it('a failed task calls back with the documented failure shape', async () => {
    receiver = await startReceiver()
    await create(sandbox, provider, driver.createBody('fail me', { callbackUrl: receiver.url }), { 'x-sandbox-fault': 'task-fail' })
    await waitUntil(() => receiver.hits.length >= 1, 3000, 'callback', () => [sandbox.callbacks, sandbox.tasks.list()])
    const payload = receiver.hits[0]!.body
    validateCallbackAgainstSpec(provider, payload)
    expect(driver.statusOf(provider === 'crun' ? { data: payload } : payload)).toBe(driver.words.failed)
    if (provider === 'aivideoapi') {
      expect(receiver.hits[0]!.headers['x-event']).toBe('task.failed')
      expect(payload.error.code).toBe('upstream_error')
    }
  })
})

describe('callback delivery details', () => {
  it('a connection error is retried like a non-2xx answer', async () => {
    receiver = await startReceiver([0, 0])
    await create(sandbox, 'evolink', DRIVERS.evolink.createBody('flaky receiver', { callbackUrl: receiver.url }))
    // The receiver sees the body before the sandbox has logged the answer: wait for the log.
    await waitUntil(() => sandbox.callbacks.some((attempt) => attempt.delivered), 3000, 'delivery')
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
    await create(sandbox, 'odkkk', DRIVERS.odkkk.createBody('flaky network', { callbackUrl: receiver.url }))
    await waitUntil(() => receiver.hits.length >= 1, 3000, 'callback')
    // Attempt 1 never left the sandbox; attempt 2 arrived with half a JSON document (and the receiver said 200).
    expect(sandbox.callbacks[0]).toMatchObject({ attempt: 1, delivered: false })
    expect(receiver.hits[0]!.body).toBeUndefined()
    expect(() => JSON.parse(receiver.hits[0]!.text)).toThrow()
  })

  it('no callback for a task that never ends', async () => {
    receiver = await startReceiver()
    await create(sandbox, 'crun', DRIVERS.crun.createBody('stuck', { callbackUrl: receiver.url }), { 'x-sandbox-fault': 'task-stuck' })
    await sleep(150)
    expect(receiver.hits).toHaveLength(0)
  })
})
