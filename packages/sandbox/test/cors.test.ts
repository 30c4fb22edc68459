// CORS: a page on another origin can call the sandbox. The real-browser proof is runtime-tests'
// Chromium suite; this checks the headers themselves, per provider.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DELAY_HEADER, DURATION_HEADER, FAULT_HEADER, startSandbox, type Sandbox } from '../src/index.js'
import { DRIVERS, PROVIDERS, create, pollToEnd } from './helpers/api.js'

let sandbox: Sandbox
beforeEach(async () => {
  sandbox = await startSandbox({ taskDurationMs: 30 })
})
afterEach(async () => {
  await sandbox.close()
})

const origin = 'http://127.0.0.1:1234'

describe('CORS', () => {
  it.each(PROVIDERS)('%s: a preflight of the create call is allowed, with auth, JSON and fault headers, and is not logged as a call', async (provider) => {
    const asked = ['authorization', 'x-api-key', 'content-type', FAULT_HEADER, DELAY_HEADER, DURATION_HEADER, 'x-custom-trace']
    const res = await fetch(sandbox.baseUrl(provider) + DRIVERS[provider].createPath, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': asked.join(',') },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-allow-methods')?.split(/,\s*/)).toEqual(expect.arrayContaining(['GET', 'POST']))
    expect(res.headers.get('access-control-allow-headers')?.split(/,\s*/)).toEqual(expect.arrayContaining(asked))
    expect(sandbox.requests).toHaveLength(0)
    expect(sandbox.submissions()).toBe(0)
  })

  it('a preflight never echoes a malformed header name', async () => {
    const res = await fetch(sandbox.baseUrl(PROVIDERS[0]!) + DRIVERS[PROVIDERS[0]!].createPath, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, bad header, x-ok' },
    })
    const allowed = res.headers.get('access-control-allow-headers')?.split(/,\s*/) ?? []
    expect(allowed).toContain('x-ok')
    expect(allowed).not.toContain('bad header')
  })

  it.each(PROVIDERS)('%s: every answer (created, queried, refused, file) carries the CORS headers', async (provider) => {
    const created = DRIVERS[provider].idOf((await create(sandbox, provider, DRIVERS[provider].createBody('a banana'))).body)
    const answers: Response[] = [
      await fetch(sandbox.baseUrl(provider) + DRIVERS[provider].queryPath(created), { headers: DRIVERS[provider].authHeader(sandbox.apiKey) }),
      await fetch(sandbox.baseUrl(provider) + DRIVERS[provider].createPath, { method: 'POST', headers: { [FAULT_HEADER]: 'rate-limit' }, body: '{}' }),
      await fetch(sandbox.url + '/nowhere'),
    ]
    for (const res of answers) {
      expect(res.headers.get('access-control-allow-origin'), res.url).toBe('*')
      expect(res.headers.get('access-control-expose-headers')?.split(/,\s*/)).toContain('retry-after')
    }
    expect(answers[1]!.headers.get('retry-after')).toBe('1')
  })

  it('downloads of result files carry the CORS headers', async () => {
    const [provider] = PROVIDERS as [(typeof PROVIDERS)[number]]
    const id = DRIVERS[provider].idOf((await create(sandbox, provider, DRIVERS[provider].createBody('a banana'))).body)
    const urls = DRIVERS[provider].urlsOf((await pollToEnd(sandbox, provider, id)).at(-1)!.body)
    const file = await fetch(urls[0]!, { headers: { origin } })
    expect(file.status).toBe(200)
    expect(file.headers.get('access-control-allow-origin')).toBe('*')
  })
})
