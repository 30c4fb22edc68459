// Numeric flags are parsed strictly: anything but digits (seconds may have a fraction) exits 2 with a
// message naming the flag, before a sandbox starts or a request is sent. And `status` against a server
// that keeps answering 500 ends with a message after a bounded number of requests.
import { providerIds, providers } from '@nano-banana/sdk'
import { startTestServer, type TestServer } from '@nano-banana/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputError, positiveInt, positiveSeconds } from '../src/exit.js'
import { run } from './helpers.js'

const PROVIDER = providerIds[0]!
const KEY = 'sk-cli-numeric-7d3e9a1b'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ handle: () => ({ status: 500, body: { error: { message: 'internal error' } } }) })
})
afterAll(() => server.close())

const env = () => ({ [providers[PROVIDER].envKey]: KEY, [providers[PROVIDER].baseUrlEnvKey]: server.url })

describe('numeric flag parsers', () => {
  it.each(['abc', '', ' 5', '5 ', '-1', '0', '0.0', '1e3', '0x10', 'Infinity', 'NaN', '1,5', '+3'])('--timeout %j: InputError (exit 2) naming the flag', (value) => {
    expect(() => positiveSeconds('--timeout', value)).toThrow(InputError)
    expect(() => positiveSeconds('--timeout', value)).toThrow(/--timeout/)
  })
  it.each([
    ['90', 90_000],
    ['1.5', 1500],
    ['.5', 500],
  ])('--timeout %j is %i ms', (value, ms) => {
    expect(positiveSeconds('--timeout', value)).toBe(ms)
  })
  it.each(['1.5', '0', '-2', '0x2', '2abc', '', '1e2', '99999999999999999999'])('--n %j: InputError naming the flag', (value) => {
    expect(() => positiveInt('--n', value, 1)).toThrow(InputError)
    expect(() => positiveInt('--n', value, 1)).toThrow(/--n/)
  })
  it('a whole number passes; an absent flag is the fallback', () => {
    expect(positiveInt('--n', '3', 1)).toBe(3)
    expect(positiveInt('--n', undefined, 1)).toBe(1)
    expect(positiveSeconds('--timeout', undefined)).toBeUndefined()
  })
})

describe('the command line', () => {
  it.each([
    ['generate --timeout abc', ['generate', 'a banana', '--provider', PROVIDER, '--timeout', 'abc'], '--timeout'],
    ['wait --timeout -1', ['wait', 'task-1', '--provider', PROVIDER, '--timeout=-1'], '--timeout'],
  ])('%s: exit 2, the flag named, nothing sent', async (_, args, flag) => {
    const before = server.requests.length
    const r = await run(args, env())
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(flag)
    expect(r.stderr).not.toContain(KEY)
    expect(server.requests.length).toBe(before)
  })
})

describe('status against a server answering 500', () => {
  it('reports the failure after a bounded number of requests', async () => {
    const before = server.requests.length
    const r = await run(['status', 'task-500', '--provider', PROVIDER], env())
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/error: .*internal error|error: .*500/)
    const sent = server.requests.length - before
    // One query and at most three retries.
    expect(sent).toBeGreaterThanOrEqual(1)
    expect(sent).toBeLessThanOrEqual(4)
  })
})
