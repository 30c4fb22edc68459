// Runtimes: @nano-banana/sdk (and /core + one provider, /callbacks) bundle for the browser without a
// single `node:` import or Node global. File saving lives in `@nano-banana/sdk/node`. That the
// bundles really run (generate() + download() for every provider in headless Chromium, workerd, Bun
// and Deno) is runtime-tests/, `pnpm test:runtimes`.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { build, type BuildOptions } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { providerIds } from '../src/index.js'

const root = join(import.meta.dirname, '..')

// Any one provider, bundled alone through its `providers/<id>` entry.
const ONE = providerIds[0]!

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
  return { files, inputs, text: files.map((f) => f.text).join('\n'), outputs: result.metafile?.outputs ?? {} }
}

const NODE_IMPORT = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)["']node:/

describe('browser bundle', () => {
  it('@nano-banana/sdk: no node: import in the main chunk or any lazy chunk', async () => {
    const { files, inputs, text } = await bundle(`export * from '@nano-banana/sdk'`, { splitting: true })
    expect(inputs.some((i) => i.startsWith('node:'))).toBe(false)
    expect(inputs.some((i) => i.endsWith('dist/node.js'))).toBe(false)
    expect(text).not.toMatch(NODE_IMPORT)
    expect(text).not.toMatch(/["']node:/)
    // One file: the download code comes with the engine (as a lazy chunk it cost the one-file bundle its
    // lazy-evaluation wrappers and split builds their chunk overhead: more than it saved, in every bench row).
    expect(files.length).toBe(1)
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

  it('@nano-banana/sdk/core + lazy/<id>, split: up front the shell only; the engine and the adapter are lazy chunks', async () => {
    const { outputs } = await bundle(
      `import { createNanoBananaClient } from '@nano-banana/sdk/core'\nimport { ${ONE} } from '@nano-banana/sdk/lazy/${ONE}'\nexport const run = (prompt) => createNanoBananaClient({ provider: ${ONE}, apiKey: 'k' }).generate({ prompt })`,
      { splitting: true },
    )
    const entry = Object.keys(outputs).find((path) => outputs[path]!.entryPoint === '<stdin>')!
    // Up front: the entry and what it imports statically (transitively), as a page loads it.
    const upFront = new Set<string>()
    const visit = (path: string) => {
      if (upFront.has(path)) return
      upFront.add(path)
      for (const i of outputs[path]!.imports) if (i.kind === 'import-statement' && !i.external) visit(i.path)
    }
    visit(entry)
    const inputsOf = (paths: Iterable<string>) => [...paths].flatMap((path) => Object.keys(outputs[path]!.inputs))
    const first = inputsOf(upFront)
    const later = inputsOf(Object.keys(outputs).filter((path) => !upFront.has(path)))
    // This package's own modules (the bundle resolves it through its exports map, from this directory).
    const own = (module: string) => (i: string) => i === `dist/${module}` || i.endsWith(`/sdk/dist/${module}`)
    expect(first.some(own('shell.js'))).toBe(true)
    // The construction facts are written into lazy/<id> itself: the spec's meta (its model tables) comes with the adapter.
    const meta = (i: string) => i.endsWith(`/${ONE}/dist/generated/meta.gen.js`)
    expect(first.filter(meta)).toEqual([])
    expect(later.some(meta)).toBe(true)
    for (const engine of ['client.js', 'define-provider.js', 'validate.js', 'wait.js', 'retry.js', `providers/${ONE}.js`]) {
      expect(first.filter(own(engine)), engine).toEqual([])
      expect(later.some(own(engine)), engine).toBe(true)
    }
    // Neither the generated operations nor the fetch runtime's client are needed before the first call.
    expect(first.filter((i) => i.includes(`/${ONE}/dist/generated/sdk.gen.js`) || i.endsWith('runtime/dist/client.js'))).toEqual([])
  })

  it('@nano-banana/sdk (every provider): only the client part of each meta, no request field facts', async () => {
    const { text } = await bundle(`export { createNanoBanana } from '@nano-banana/sdk'`, { minify: true })
    // Only the whole meta has field facts (`ModelMeta.fields`: their `minLength`, `format`, `type`...).
    expect(text).not.toMatch(/\bminLength:/)
    expect(text).not.toMatch(/format:"uri"/)
    // The check bites: the whole meta of any one provider has them.
    const whole = await bundle(`export { meta } from '@nano-banana/${ONE}/meta'`, { minify: true })
    expect(whole.text).toMatch(/\btype:"string"/)
  })

  it.each(providerIds)('@nano-banana/%s alone (its client): only the client part of its meta', async (id) => {
    const name = `create${id[0]!.toUpperCase()}${id.slice(1)}Client`
    const { text } = await bundle(`export { ${name} } from '@nano-banana/${id}'`, { minify: true })
    expect(text).toContain(`"${id}"`)
    expect(text).not.toMatch(/\bminLength:|format:"uri"|\btype:"string"/)
  })

  it('@nano-banana/sdk/callbacks: no node: import', async () => {
    const { text } = await bundle(`export * from '@nano-banana/sdk/callbacks'`)
    expect(text).not.toMatch(/["']node:/)
  })

  it('the IIFE bundle of the main entry is a plain script: no import(), require or node:', async () => {
    const { text } = await bundle(`export * from '@nano-banana/sdk'`, { format: 'iife', globalName: 'NanoBanana' })
    expect(text).not.toMatch(/\bimport\s*\(/)
    expect(text).not.toMatch(/\brequire\s*\(/)
    expect(text).not.toMatch(/["']node:/)
  })

  it('the check bites: @nano-banana/sdk/node does import node: (and cannot be bundled for the browser)', async () => {
    await expect(bundle(`export * from '@nano-banana/sdk/node'`)).rejects.toThrow(/node:/)
    // undici (the DNS guard's connector) is a Node library: kept out, like node: itself.
    const { text } = await bundle(`export * from '@nano-banana/sdk/node'`, { external: ['node:*', 'undici'] })
    expect(text).toMatch(NODE_IMPORT)
  })

  it('the sources outside src/node.ts and src/node/ (the node entry alone imports them) use no node: module, Buffer or unguarded process', () => {
    const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && f !== 'node.ts' && !f.startsWith('node/'))
    for (const file of files) {
      const source = readFileSync(join(root, 'src', file), 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')
      expect.soft(source, file).not.toMatch(/["']node:/)
      expect.soft(source, file).not.toMatch(/["']\.{1,2}\/(\.\.\/)*node\//)
      expect.soft(source, file).not.toMatch(/\bBuffer\b/)
      expect.soft(source.replace(/globalThis as \{ process\?[^)]*\)\.process\?/g, ''), file).not.toMatch(/\bprocess\b/)
    }
  })
})

describe('callback signature code stays with the callbacks entry', () => {
  // What only checking a signed delivery needs: the verifier modules, their helpers and the webhook library.
  const SIGNATURE_CODE = /\/dist\/providers\/[a-z0-9]+\.callbacks\.js$|\/dist\/signatures\.js$|\/standardwebhooks\//

  it('@nano-banana/sdk (every provider, one file): none of it', async () => {
    const { inputs } = await bundle(`export * from '@nano-banana/sdk'`)
    expect(inputs.filter((i) => SIGNATURE_CODE.test(i))).toEqual([])
    for (const id of providerIds) expect(inputs.some((i) => i.includes(`/${id}/dist/`))).toBe(true)
  })

  it('@nano-banana/sdk/callbacks: every signing provider verifier (the check bites)', async () => {
    const { callbackVerifiers } = await import('../src/callbacks.js')
    const { inputs } = await bundle(`export * from '@nano-banana/sdk/callbacks'`)
    const verifiers = inputs.filter((i) => /\.callbacks\.js$/.test(i)).map((i) => /([a-z0-9]+)\.callbacks\.js$/.exec(i)![1])
    expect(verifiers.sort()).toEqual(Object.keys(callbackVerifiers).sort())
    expect(verifiers.length).toBeGreaterThan(0)
  })
})
