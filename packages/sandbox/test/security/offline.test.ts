// Security, issue 15 item 13: the sandbox stays offline (callbacks only to loopback unless allowed), a
// duration past the timer limit does not end the task at once, and its logs stay bounded.
import { afterEach, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '@nano-banana/testkit'
import { DURATION_HEADER, startSandbox, type ProviderId, type Sandbox } from '../../src/index.js'
import { isLoopbackUrl } from '../../src/callbacks.js'
import { MAX_TIMER_MS, timerDelay } from '../../src/timers.js'
import { DRIVERS, PROVIDERS, WITH_DOCUMENTED_CALLBACKS, create, pollToEnd, query } from '../helpers/api.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((fn) => fn()))
})
async function sandbox(options: Parameters<typeof startSandbox>[0] = {}): Promise<Sandbox> {
  const s = await startSandbox({ taskDurationMs: 20, callbackDelayScale: 0.001, imageLongSide: 16, ...options })
  cleanups.push(() => s.close())
  return s
}
async function receiver(): Promise<TestServer> {
  const server = await startTestServer({ handle: () => ({ status: 200, body: {} }) })
  cleanups.push(() => server.close())
  return server
}

describe('isLoopbackUrl: the hosts the sandbox calls back by default', () => {
  it.each([
    ['http://127.0.0.1:8080/hook', true],
    ['http://127.5.6.7/hook', true],
    ['http://[::1]:8080/hook', true],
    ['http://localhost:8080/hook', true],
    // A subdomain of localhost goes to the system resolver, which may answer anything.
    ['http://evil.localhost:8080/hook', false],
    ['http://localhost.evil.example/hook', false],
    ['http://127.0.0.1.nip.io/hook', false],
    ['http://10.0.0.1/hook', false],
    ['http://169.254.169.254/latest', false],
    ['https://hooks.example.com/nb', false],
    ['http://0.0.0.0:8080/hook', false],
    ['http://[::ffff:7f00:1]/hook', false],
    ['ftp://127.0.0.1/hook', false],
    ['not a url', false],
  ])('%s: %s', (url, expected) => {
    expect(isLoopbackUrl(url)).toBe(expected)
  })
})

const CALLBACK_PROVIDERS = PROVIDERS.filter((p) => WITH_DOCUMENTED_CALLBACKS.includes(p))

describe.each(CALLBACK_PROVIDERS)('%s: callbacks stay on loopback', (provider: ProviderId) => {
  const driver = DRIVERS[provider]

  it('a callback URL whose name only looks local is not sent (logged as blocked); the receiver on 127.0.0.1 gets nothing', async () => {
    const s = await sandbox()
    const hook = await receiver()
    const url = `http://sandbox-callback.localhost:${hook.port}/hook`
    const created = await create(s, provider, driver.createBody('offline', { aspect: '1:1', callbackUrl: url }))
    // A spec may refuse such a URL outright (400); accepted, the delivery must be blocked.
    if (created.status === driver.createdStatus) {
      const outcome = await s.callbackOutcome(provider, driver.idOf(created.body))
      expect(outcome).toMatchObject({ delivered: false, reason: 'blocked', attempts: 0 })
      expect(s.callbacks.filter((a) => a.url === url).every((a) => a.blocked)).toBe(true)
    } else expect(created.status).toBe(400)
    expect(hook.requests).toHaveLength(0)
  })

  it('the same receiver by its loopback address is called back', async () => {
    const s = await sandbox()
    const hook = await receiver()
    const created = await create(s, provider, driver.createBody('offline', { aspect: '1:1', callbackUrl: `${hook.url}/hook` }))
    const outcome = await s.callbackOutcome(provider, driver.idOf(created.body))
    expect(outcome).toMatchObject({ delivered: true })
    expect(hook.requests).toHaveLength(1)
  })
})

describe('timers', () => {
  it('timerDelay clamps to the setTimeout limit', () => {
    expect([timerDelay(-5), timerDelay(Number.NaN), timerDelay(10), timerDelay(2 ** 40), timerDelay(Number.POSITIVE_INFINITY)]).toEqual([
      0,
      0,
      10,
      MAX_TIMER_MS,
      MAX_TIMER_MS,
    ])
  })

  it.each(PROVIDERS)('%s: a task lasting past the timer limit is still in progress after another task ended', async (provider) => {
    const s = await sandbox()
    const driver = DRIVERS[provider]
    const long = await create(s, provider, driver.createBody('long', { aspect: '1:1' }), { [DURATION_HEADER]: String(2 ** 31 + 10_000) })
    const short = await create(s, provider, driver.createBody('short', { aspect: '1:1' }), { [DURATION_HEADER]: '1' })
    // The short task's end is the event waited for: by then an overflowing timer would have ended the long one too.
    await pollToEnd(s, provider, driver.idOf(short.body), 5)
    const longAnswer = await query(s, provider, driver.idOf(long.body))
    expect(driver.statusOf(longAnswer.body)).not.toBe(driver.words.done)
  })
})

describe('logs stay bounded', () => {
  it('the request log keeps the newest logLimit entries', async () => {
    const s = await sandbox({ logLimit: 3 })
    const provider = PROVIDERS[0]!
    const driver = DRIVERS[provider]
    const ids: string[] = []
    for (let i = 0; i < 8; i++) ids.push(driver.idOf((await create(s, provider, driver.createBody(`p${i}`, { aspect: '1:1' }))).body))
    expect(s.requests).toHaveLength(3)
    expect(s.requests.map((r) => r.taskId)).toEqual(ids.slice(-3))
  })
})
