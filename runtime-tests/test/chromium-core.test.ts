// Headless Chromium, the one-provider way: a page bundled with code splitting (as app bundlers do) from
// `@nano-banana/sdk/core` + every `@nano-banana/sdk/lazy/<id>`, its chunks served from its own origin. The
// page evaluates the shell only; the engine chunk and each provider's adapter chunk are fetched by the
// browser's own import() on the first call, and generate() + download() work for every provider.
import { join } from 'node:path'
import { providerIds } from '@nano-banana/sdk'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { build } from 'esbuild'
import type { Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { root } from '../src/bundle.js'
import { launchChromium } from '../src/chromium.js'
import { decodeImage } from '../src/images.js'
import type { ProviderOutcome, ScenarioConfig } from '../src/scenario.js'
import { serve, type LocalServer } from '../src/servers.js'

let sandbox: Sandbox
let site: LocalServer
let chromium: Awaited<ReturnType<typeof launchChromium>>
let page: Page
const pageErrors: string[] = []
/** The script files the page fetched, in order. */
const fetched: string[] = []
/** Output file name -> the SDK module it is the chunk of (`client.js`, `providers/<id>.js`), for the lazy entries. */
const chunkOf = new Map<string, string>()

beforeAll(async () => {
  sandbox = await startSandbox({ taskDurationMs: 50 })
  // The entry names every provider from the SDK's own list: no id is typed here.
  const contents = [
    ...providerIds.map((id) => `import { ${id} } from '@nano-banana/sdk/lazy/${id}'`),
    "import { generateThroughCore } from './src/core-scenario.ts'",
    `globalThis.nanoBananaCore = { run: (config) => generateThroughCore(config, { ${providerIds.join(', ')} }) }`,
  ].join('\n')
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts', sourcefile: 'core-page.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: join(root, '.core-page'),
    entryNames: 'app',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const files = new Map(result.outputFiles.map((file) => [file.path.split('/').at(-1)!, file.text]))
  for (const [path, output] of Object.entries(result.metafile.outputs)) {
    const sdkModule = output.entryPoint?.match(/sdk\/dist\/(.+)$/)?.[1]
    if (sdkModule) chunkOf.set(path.split('/').at(-1)!, sdkModule)
  }
  site = await serve((req, res) => {
    const name = req.url?.slice(1) ?? ''
    const script = files.get(name)
    if (script !== undefined) {
      fetched.push(name)
      return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>nano banana core</title><script type="module" src="/app.js"></script>')
  })
  chromium = await launchChromium()
  page = await chromium.browser.newPage()
  page.on('pageerror', (error) => pageErrors.push(String(error)))
  await page.goto(`${site.url}/`)
  await page.waitForFunction(() => 'nanoBananaCore' in globalThis)
})

afterAll(async () => {
  await chromium?.close()
  await Promise.all([sandbox?.close(), site?.close()])
})

const config = (): ScenarioConfig => ({ baseUrls: sandbox.baseUrls(), apiKey: sandbox.apiKey, runtime: 'chromium' })
const lazyFetched = () => fetched.map((name) => chunkOf.get(name)).filter((m): m is string => m !== undefined)

describe('headless Chromium, @nano-banana/sdk/core + lazy/<id> split into chunks', () => {
  it('on load the page fetched neither the engine nor any adapter', () => {
    expect(fetched).toContain('app.js')
    // The check bites: the bundle has those chunks, the page just has not asked for them.
    expect([...chunkOf.values()]).toEqual(expect.arrayContaining(['client.js', ...providerIds.map((id) => `providers/${id}.js`)]))
    expect(lazyFetched()).toEqual([])
  })

  it('generate() + download() for every provider: the browser imports the engine once and each adapter on first use', async () => {
    const outcomes = (await page.evaluate(
      (c) => (globalThis as unknown as { nanoBananaCore: { run(config: unknown): Promise<unknown> } }).nanoBananaCore.run(c),
      config(),
    )) as ProviderOutcome[]
    expect(outcomes.map((o) => o.provider)).toEqual([...providerIds])
    for (const outcome of outcomes) {
      expect(outcome, JSON.stringify(outcome).slice(0, 500)).toMatchObject({ ok: true })
      if (!outcome.ok) continue
      const bytes = Buffer.from(outcome.base64, 'base64')
      expect(decodeImage(bytes, outcome.contentType).width).toBeGreaterThan(0)
      expect(sandbox.tasks.get(outcome.provider as never, outcome.taskId)?.prompt).toBe('a nano banana through core in chromium')
    }
    const loaded = lazyFetched()
    expect(loaded.filter((m) => m === 'client.js')).toEqual(['client.js'])
    expect(loaded.filter((m) => m.startsWith('providers/')).sort()).toEqual(providerIds.map((id) => `providers/${id}.js`).sort())
    expect(pageErrors).toEqual([])
  })
})
