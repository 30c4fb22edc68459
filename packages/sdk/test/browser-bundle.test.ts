// Runtimes: @nano-banana/sdk (and /core + one provider, /callbacks) bundle for the browser without a
// single `node:` import, and the bundle runs in a context holding only web globals (no process,
// Buffer, require, global): a client is built, generate() runs against the sandbox through the
// context's fetch, and an image is downloaded. File saving lives in `@nano-banana/sdk/node`.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createContext, runInContext } from 'node:vm'
import { build, type BuildOptions } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '@nano-banana/sandbox'
import { providerIds, providers } from '../src/index.js'
import { FAST_POLLING, fastSandbox, SECRET_KEY } from './reliability/support.js'

const root = join(import.meta.dirname, '..')

// Two providers, picked by capability: ONE (bundled alone through its `providers/<id>` entry) has a default
// model that refuses some aspect ratio another model takes; TWO serves the failover.
const ALL_RATIOS = [...new Set(providerIds.flatMap((id) => Object.values(providers[id].models).flatMap((m) => m.aspectRatios)))]
const defaultRatios = (id: (typeof providerIds)[number]) => providers[id].models[providers[id].defaultModel]!.aspectRatios
const ONE = providerIds.find((id) => ALL_RATIOS.some((r) => !defaultRatios(id).includes(r)))!
const TWO = providerIds.find((id) => id !== ONE)!
const REFUSED_RATIO = ALL_RATIOS.find((r) => !defaultRatios(ONE).includes(r))!
const ACCEPTED_RATIO = defaultRatios(ONE).at(-1)!

/** Bundles `contents` (importing the package by its name, so through its `exports` map and `dist/`). */
async function bundle(contents: string, options: BuildOptions = {}) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    outdir: join(root, '.bundle-test'),
    ...options,
  })
  const files = result.outputFiles ?? []
  const inputs = Object.keys(result.metafile?.inputs ?? {})
  return { files, inputs, text: files.map((f) => f.text).join('\n') }
}

const NODE_IMPORT = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)["']node:/

describe('browser bundle', () => {
  it('@nano-banana/sdk: no node: import in the main chunk or any lazy chunk', async () => {
    const { files, inputs, text } = await bundle(`export * from '@nano-banana/sdk'`, { splitting: true })
    expect(inputs.some((i) => i.startsWith('node:'))).toBe(false)
    expect(inputs.some((i) => i.endsWith('dist/node.js'))).toBe(false)
    expect(text).not.toMatch(NODE_IMPORT)
    expect(text).not.toMatch(/["']node:/)
    // The download code stays a lazy chunk of its own.
    expect(files.length).toBeGreaterThan(1)
    const main = files.find((f) => f.path.endsWith('stdin.js'))!
    expect(main.text).not.toMatch(/["']node:/)
  })

  it('@nano-banana/sdk/core + one provider: no node: import, no other provider', async () => {
    const { inputs, text } = await bundle(
      `export { createNanoBananaClient } from '@nano-banana/sdk/core'\nexport { ${ONE} } from '@nano-banana/sdk/providers/${ONE}'`,
      { splitting: true },
    )
    expect(text).not.toMatch(/["']node:/)
    expect(inputs.some((i) => i.includes(`/${ONE}/dist/`))).toBe(true)
    for (const other of providerIds.filter((id) => id !== ONE)) expect(inputs.some((i) => i.includes(`/${other}/`))).toBe(false)
  })

  it('@nano-banana/sdk/callbacks: no node: import', async () => {
    const { text } = await bundle(`export * from '@nano-banana/sdk/callbacks'`)
    expect(text).not.toMatch(/["']node:/)
  })

  it('the check bites: @nano-banana/sdk/node does import node: (and cannot be bundled for the browser)', async () => {
    await expect(bundle(`export * from '@nano-banana/sdk/node'`)).rejects.toThrow(/node:/)
    const { text } = await bundle(`export * from '@nano-banana/sdk/node'`, { external: ['node:*'] })
    expect(text).toMatch(NODE_IMPORT)
  })

  it('the sources outside src/node.ts use no node: module, Buffer or unguarded process', () => {
    const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && f !== 'node.ts')
    for (const file of files) {
      const source = readFileSync(join(root, 'src', file), 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')
      expect.soft(source, file).not.toMatch(/["']node:/)
      expect.soft(source, file).not.toMatch(/\bBuffer\b/)
      expect.soft(source.replace(/globalThis as \{ process\?[^)]*\)\.process\?/g, ''), file).not.toMatch(/\bprocess\b/)
    }
  })
})

describe('the bundle in a context with web globals only', () => {
  let sandbox: Sandbox
  let script: string
  beforeAll(async () => {
    sandbox = await fastSandbox()
    const { files } = await bundle(
      [
        `export { createNanoBanana, ConfigurationError, UnsupportedOptionError } from '@nano-banana/sdk'`,
        `export { createNanoBananaClient } from '@nano-banana/sdk/core'`,
        `export { ${ONE} as one } from '@nano-banana/sdk/providers/${ONE}'`,
      ].join('\n'),
      { format: 'iife', globalName: 'NanoBanana' },
    )
    script = files[0]!.text
  })
  afterAll(() => sandbox?.close())

  /** A fresh context holding the web platform's globals and nothing of Node's. */
  function webContext() {
    const g = globalThis
    const context = createContext({
      fetch: g.fetch.bind(g),
      Request: g.Request,
      Response: g.Response,
      Headers: g.Headers,
      FormData: g.FormData,
      Blob: g.Blob,
      URL: g.URL,
      URLSearchParams: g.URLSearchParams,
      AbortController: g.AbortController,
      AbortSignal: g.AbortSignal,
      DOMException: g.DOMException,
      ReadableStream: g.ReadableStream,
      WritableStream: g.WritableStream,
      TransformStream: g.TransformStream,
      TextEncoder: g.TextEncoder,
      TextDecoder: g.TextDecoder,
      Event: g.Event,
      EventTarget: g.EventTarget,
      setTimeout: g.setTimeout.bind(g),
      clearTimeout: g.clearTimeout.bind(g),
      queueMicrotask: g.queueMicrotask.bind(g),
      structuredClone: g.structuredClone.bind(g),
      crypto: g.crypto,
      atob: g.atob.bind(g),
      btoa: g.btoa.bind(g),
      console,
    })
    runInContext(script, context)
    return context as Record<string, unknown>
  }

  it('has no Node globals, and has a script without import() or require', () => {
    const context = webContext()
    expect(runInContext(`[typeof process, typeof Buffer, typeof require, typeof global, typeof module]`, context)).toEqual([
      'undefined',
      'undefined',
      'undefined',
      'undefined',
      'undefined',
    ])
    expect(script).not.toMatch(/\bimport\s*\(/)
    expect(script).not.toMatch(/["']node:/)
    expect(Object.keys(context.NanoBanana as object).sort()).toEqual(['ConfigurationError', 'UnsupportedOptionError', 'createNanoBanana', 'createNanoBananaClient', 'one'])
  })

  it('builds clients and throws validation errors before any request', async () => {
    const context = webContext()
    context.config = JSON.stringify({ one: ONE, refused: REFUSED_RATIO })
    const outcome = (await runInContext(
      `(async () => {
        const { createNanoBanana, ConfigurationError, UnsupportedOptionError } = NanoBanana
        const c = JSON.parse(config)
        let noKey
        try { createNanoBanana({ provider: c.one }) } catch (e) { noKey = e instanceof ConfigurationError && e.param }
        const nb = createNanoBanana({ provider: c.one, apiKey: 'sk-browser', baseUrl: 'http://127.0.0.1:9' })
        const bad = await nb.submit({ prompt: 'p', aspectRatio: c.refused }).catch((e) => e)
        return { noKey, unsupported: bad instanceof UnsupportedOptionError, param: bad.param }
      })()`,
      context,
    )) as Record<string, unknown>
    expect(outcome).toEqual({ noKey: 'apiKey', unsupported: true, param: 'aspectRatio' })
  })

  it('generate() against the sandbox through the context fetch, with failover and a download', async () => {
    const context = webContext()
    context.config = JSON.stringify({ key: SECRET_KEY, ids: [ONE, TWO], ratio: ACCEPTED_RATIO, urls: [sandbox.baseUrl(ONE), sandbox.baseUrl(TWO)], polling: FAST_POLLING })
    const outcome = (await runInContext(
      `(async () => {
        const { createNanoBanana, createNanoBananaClient, one: adapter } = NanoBanana
        const c = JSON.parse(config)
        const core = createNanoBananaClient({ provider: adapter, apiKey: c.key, baseUrl: c.urls[0], polling: c.polling })
        const one = await core.generate({ prompt: 'a browser banana', aspectRatio: c.ratio })
        const image = await one.images[0].download()
        const nb = createNanoBanana({
          providers: [{ provider: c.ids[0], apiKey: 'sk-wrong-browser', baseUrl: c.urls[0] }, { provider: c.ids[1], apiKey: c.key, baseUrl: c.urls[1] }],
          polling: c.polling,
        })
        const two = await nb.generate({ prompt: 'failover in a browser' })
        return {
          provider: one.provider, urls: one.images.length, bytes: image.bytes.byteLength, type: image.contentType,
          served: two.provider, skipped: two.failover.map((s) => s.provider + ':' + s.reason),
        }
      })()`,
      context,
    )) as Record<string, unknown>
    expect(outcome).toMatchObject({ provider: ONE, urls: 1, type: expect.stringMatching(/^image\/(png|jpeg)$/), served: TWO, skipped: [`${ONE}:authentication`] })
    expect(outcome.bytes).toBeGreaterThan(50)
    expect(sandbox.submissions(ONE)).toBe(1)
    expect(sandbox.submissions(TWO)).toBe(1)
  })
})
