// workerd through miniflare: a module worker bundled from src/worker-entry.ts runs generate() +
// download() for every provider against the sandbox (workerd's own fetch, reaching 127.0.0.1), and
// the SDK's callback handler accepts each spec's documented callbacks and refuses garbage. workerd
// forbids run-time code generation (`new Function`), which is what this proves the handler avoids.
import { providerIds } from '@nano-banana/sdk'
import { CALLBACK_TOKEN_PARAM, callbackVerifiers } from '@nano-banana/sdk/callbacks'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundle } from '../src/bundle.js'
import { decodeImage } from '../src/images.js'
import { WORKER_CALLBACK_TOKEN, type ProviderOutcome, type ScenarioConfig } from '../src/scenario.js'
import { callbackExamples } from '../src/specs.js'

let sandbox: Sandbox
let mf: Miniflare

beforeAll(async () => {
  sandbox = await startSandbox({ taskDurationMs: 50 })
  const script = await bundle('src/worker-entry.ts', { platform: 'browser', conditions: ['workerd', 'worker', 'browser'] })
  mf = new Miniflare({ modules: true, script, compatibilityDate: '2026-04-01' })
  await mf.ready
})

afterAll(async () => {
  await mf?.dispose()
  await sandbox?.close()
})

/** A callback path with the token the worker's handlers check (constant-time, through crypto.subtle on workerd). */
const signed = (path: string) => `${path}?${CALLBACK_TOKEN_PARAM}=${WORKER_CALLBACK_TOKEN}`
const post = (path: string, body: string) => mf.dispatchFetch(`http://worker.test${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })

/** Every provider in order, each a real image of the size reported, made from `prompt` in the sandbox. */
function expectEveryProviderSaved(outcomes: ProviderOutcome[], prompt: string) {
  expect(outcomes.map((o) => o.provider)).toEqual([...providerIds])
  for (const outcome of outcomes) {
    expect(outcome, JSON.stringify(outcome).slice(0, 500)).toMatchObject({ ok: true })
    if (!outcome.ok) continue
    const bytes = Buffer.from(outcome.base64, 'base64')
    expect(bytes.byteLength).toBe(outcome.byteLength)
    expect(decodeImage(bytes, outcome.contentType).width).toBeGreaterThan(0)
    expect(sandbox.tasks.get(outcome.provider as never, outcome.taskId)?.prompt).toBe(prompt)
  }
}

describe('workerd (miniflare)', () => {
  it('generate() + download() for every provider saves a real image', async () => {
    const config: ScenarioConfig = { baseUrls: sandbox.baseUrls(), apiKey: sandbox.apiKey, runtime: 'workerd' }
    const res = await post('/generate', JSON.stringify(config))
    expect(res.status).toBe(200)
    expectEveryProviderSaved((await res.json()) as ProviderOutcome[], 'a nano banana in workerd')
  })

  it('generate() + download() for every provider through the /core shell and lazy providers', async () => {
    const config: ScenarioConfig = { baseUrls: sandbox.baseUrls(), apiKey: sandbox.apiKey, runtime: 'workerd' }
    const res = await post('/generate-core', JSON.stringify(config))
    expect(res.status).toBe(200)
    expectEveryProviderSaved((await res.json()) as ProviderOutcome[], 'a nano banana through core in workerd')
  })

  const examples = providerIds.flatMap((provider) => callbackExamples(provider).map((example) => [provider, example.name, example.value] as const))
  // Providers that sign their deliveries: a documented body without the provider's signature headers is refused.
  const signing = (provider: string) => callbackVerifiers[provider as keyof typeof callbackVerifiers] !== undefined
  const documented = examples.filter(([provider]) => !signing(provider))
  const unsigned = examples.filter(([provider]) => signing(provider))

  it.each(unsigned)('%s: the documented callback %s without the provider signature is refused (401) on workerd', async (provider, _name, value) => {
    expect((await post(signed(`/callbacks/${provider}`), JSON.stringify(value))).status).toBe(401)
  })

  it('the specs document callbacks to check', () => {
    expect(new Set(documented.map(([provider]) => provider)).size).toBeGreaterThan(1)
  })

  it.each(documented)('%s: the documented callback %s is accepted (2xx) by the handler on workerd', async (provider, _name, value) => {
    const res = await post(signed(`/callbacks/${provider}`), JSON.stringify(value))
    const body = (await res.json()) as { ok?: boolean; taskId?: string; message?: string }
    expect(res.status, body.message).toBeGreaterThanOrEqual(200)
    expect(res.status, body.message).toBeLessThan(300)
    expect(body.ok).toBe(true)
    expect(body.taskId).toMatch(/\S/)
  })

  it.each(documented.slice(0, 1))('%s: the documented callback %s without the URL token is refused (401) on workerd', async (provider, _name, value) => {
    expect((await post(`/callbacks/${provider}`, JSON.stringify(value))).status).toBe(401)
  })

  it.each(providerIds)('%s: garbage is refused with 4xx on workerd', async (provider) => {
    for (const garbage of ['{"hello": "world"}', '[1, 2, 3]', 'not json', '{"status": 7}']) {
      const res = await post(signed(`/callbacks/${provider}`), garbage)
      expect(res.status, garbage).toBeGreaterThanOrEqual(400)
      expect(res.status, garbage).toBeLessThan(500)
    }
  })
})
