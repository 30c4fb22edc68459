// Headless Chromium: the page is served from one origin, the sandbox from another (another port), so
// every call is a real cross-origin fetch with a CORS preflight, through the page's own global fetch.
import { providerIds } from '@nano-banana/sdk'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import type { Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundle } from '../src/bundle.js'
import { launchChromium } from '../src/chromium.js'
import { decodeImage } from '../src/images.js'
import type { ProviderOutcome, ScenarioConfig } from '../src/scenario.js'
import { serve, type LocalServer } from '../src/servers.js'

let sandbox: Sandbox
let site: LocalServer
let noCors: LocalServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
let page: Page
const pageErrors: string[] = []
/** What reached the server without CORS: `METHOD path-prefix`. */
const arrived: string[] = []

beforeAll(async () => {
  sandbox = await startSandbox({ taskDurationMs: 50 })
  const script = await bundle('src/browser-entry.ts', { platform: 'browser' })
  site = await serve((req, res) => {
    if (req.url === '/app.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>nano banana</title><script type="module" src="/app.js"></script>')
  })
  // Two ways a browser blocks a cross-origin call: under /preflight-fails nothing has CORS headers
  // (the preflight fails, the POST is never sent); under /answer-blocked the preflight is allowed but
  // the answer lacks Access-Control-Allow-Origin (the POST is sent, only its answer is hidden).
  noCors = await serve((req, res) => {
    arrived.push(`${req.method} ${req.url?.split('/')[1]}`)
    const allowed = req.url?.startsWith('/answer-blocked') && req.method === 'OPTIONS'
    const headers: Record<string, string> = allowed
      ? {
          'access-control-allow-origin': '*',
          'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? '*'),
          'access-control-allow-methods': 'POST',
        }
      : { 'content-type': 'application/json' }
    res.writeHead(allowed ? 204 : 200, headers).end(allowed ? undefined : '{}')
  })
  chromium = await launchChromium()
  page = await chromium.browser.newPage()
  page.on('pageerror', (error) => pageErrors.push(String(error)))
  await page.goto(`${site.url}/`)
  await page.waitForFunction(() => 'nanoBananaTests' in globalThis)
})

afterAll(async () => {
  await chromium?.close()
  await Promise.all([sandbox?.close(), site?.close(), noCors?.close()])
})

/** The sandbox on its own port: another origin than the page. */
const config = (): ScenarioConfig => ({ baseUrls: sandbox.baseUrls(), apiKey: sandbox.apiKey, runtime: 'chromium' })

type Tests = {
  generateEveryProvider(config: ScenarioConfig): Promise<ProviderOutcome[]>
  failover(config: ScenarioConfig): Promise<{ served: string; skipped: string[] }>
  validation(config: ScenarioConfig): Promise<{ empty: unknown; ratio: unknown }>
  corsBlocked(config: ScenarioConfig & { blockedBaseUrl: string }): Promise<{ name: string | undefined; described: string }>
}
const inPage = <K extends keyof Tests>(name: K, ...args: Parameters<Tests[K]>) =>
  page.evaluate(
    (n, a) => (globalThis as unknown as { nanoBananaTests: Record<string, (...x: unknown[]) => unknown> }).nanoBananaTests[n]!(...a),
    name,
    args as unknown[],
  ) as Promise<Awaited<ReturnType<Tests[K]>>>

describe('headless Chromium, page and sandbox on different origins', () => {
  it('the page and the sandbox are different origins', () => {
    expect(new URL(site.url).origin).not.toBe(new URL(sandbox.url).origin)
  })

  it('generate() + download() for every provider saves a real image', async () => {
    const outcomes = await inPage('generateEveryProvider', config())
    expect(outcomes.map((o) => o.provider)).toEqual([...providerIds])
    for (const outcome of outcomes) {
      expect(outcome, JSON.stringify(outcome).slice(0, 500)).toMatchObject({ ok: true })
      if (!outcome.ok) continue
      const bytes = Buffer.from(outcome.base64, 'base64')
      expect(bytes.byteLength).toBe(outcome.byteLength)
      const decoded = decodeImage(bytes, outcome.contentType)
      expect(decoded.width).toBeGreaterThan(0)
      expect(sandbox.tasks.get(outcome.provider as never, outcome.taskId)?.prompt).toBe('a nano banana in chromium')
    }
    for (const id of providerIds) expect(sandbox.submissions(id)).toBe(1)
    expect(pageErrors).toEqual([])
  })

  it('failover through the page fetch: a refused key moves on to the next provider', async () => {
    const [first, second] = providerIds
    const outcome = await inPage('failover', config())
    expect(outcome).toEqual({ served: second, skipped: [`${first}:authentication`] })
  })

  it('bad input is a typed error before any request', async () => {
    const before = sandbox.requests.length
    expect(await inPage('validation', config())).toEqual({ empty: 'prompt', ratio: 'aspectRatio' })
    expect(sandbox.requests.length).toBe(before)
  })

  it('a CORS block: the SDK cannot tell a failed preflight (not sent) from a hidden answer (sent), so it never resubmits', async () => {
    const preflightFails = await inPage('corsBlocked', { ...config(), blockedBaseUrl: `${noCors.url}/preflight-fails` })
    const answerBlocked = await inPage('corsBlocked', { ...config(), blockedBaseUrl: `${noCors.url}/answer-blocked` })
    // The POST of the second really reached the server: a provider would have created (and billed) a task.
    expect(arrived).toEqual(['OPTIONS preflight-fails', 'OPTIONS answer-blocked', 'POST answer-blocked'])
    // The page sees one and the same TypeError for both...
    const browserError = (described: string) => described.split(' <- ').at(-1)
    expect(browserError(preflightFails.described)).toBe(browserError(answerBlocked.described))
    // ...so both are AmbiguousSubmitError (the task id may exist; nothing resubmitted), not a "nothing was sent".
    expect([preflightFails.name, answerBlocked.name]).toEqual(['AmbiguousSubmitError', 'AmbiguousSubmitError'])
    // The message says what a browser cannot: that this may be CORS.
    expect(preflightFails.described).toMatch(/CORS block looks the same/)
  })
})
