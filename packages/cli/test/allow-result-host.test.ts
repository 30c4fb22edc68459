// `--allow-result-host` (generate, wait): the SDK's `allowResultHosts`, parsed strictly; a malformed value
// exits 2 before anything is sent. What the flag lets through: allow-result-host.integration.test.ts.
import { providerIds, providers } from '@nano-banana/sdk'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputError } from '../src/exit.js'
import { resultHost, resultHosts } from '../src/hosts.js'
import { run } from './helpers.js'

const SECRET = 'sk-cli-result-host-81d4'
/** A provider whose results are URLs (a task provider), not inline bytes. */
const provider = providerIds.find((id) => !providers[id].synchronous)!

describe('parsing', () => {
  it.each([
    ['cdn.internal', 'cdn.internal'],
    ['CDN.Example.COM', 'cdn.example.com'],
    ['10.0.0.5', '10.0.0.5'],
    ['[fd00::1]', '[fd00::1]'],
    ['*', '*'],
  ])('%j is the host %j', (value, host) => {
    expect(resultHost(value)).toBe(host)
  })

  it.each([
    '',
    ' ',
    'http://cdn.internal',
    'cdn.internal:8080',
    'cdn.internal/images',
    'user@cdn.internal',
    '010.0.0.5',
    '::1',
    'a..b',
    'cdn.internal.',
    'bücher.de',
    ' cdn.internal',
    '*.example.com',
  ])('%j: InputError (exit 2) naming the flag', (value) => {
    expect(() => resultHost(value)).toThrow(InputError)
    expect(() => resultHost(value)).toThrow(/--allow-result-host/)
  })

  it('repeatable: every value checked; absent is undefined', () => {
    expect(resultHosts(['a.internal', '10.1.2.3'])).toEqual(['a.internal', '10.1.2.3'])
    expect(resultHosts(undefined)).toBeUndefined()
    expect(() => resultHosts(['a.internal', 'b:1'])).toThrow(InputError)
  })
})

describe('the command line', () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await startSandbox({ apiKey: SECRET, taskDurationMs: 50, imageLongSide: 32 })
  })
  afterAll(() => sandbox?.close())

  // 0.0.0.0 reaches this machine's listeners without being a loopback name: the sandbox looks like a remote API.
  const flags = () => ['--provider', provider, '--api-key', SECRET, '--base-url', sandbox.baseUrl(provider).replace('127.0.0.1', '0.0.0.0')]

  it('a malformed value exits 2 naming the flag, before anything is sent', async () => {
    const before = sandbox.requests.length
    const r = await run(['generate', 'a banana', ...flags(), '--allow-result-host', 'cdn.internal:8080'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--allow-result-host')
    expect(sandbox.requests.length).toBe(before)
  })
})
