// 3. Bundle size: what a browser app pays, bundled with esbuild (ESM, minified) and gzip -9, the
// same method as the peer numbers in design.md.
import { build } from 'esbuild'
import { gzipSync } from 'node:zlib'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { META, PROVIDER_IDS } from '@nano-banana/manifest'
import { loadPeers } from './peers/index.mjs'
import { round } from './stats.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const capitalize = (id) => id[0].toUpperCase() + id.slice(1)

/** A provider's own strings: its documented host, then its operation paths. */
const candidates = (id) => [META[id].defaultBaseUrl?.replace(/^https?:\/\//, ''), ...Object.values(META[id].operations).map((op) => op.path)].filter(Boolean)

/**
 * A string only one provider's code contains (the first of its own strings no other provider has):
 * its presence in a bundle means that provider came along.
 */
export const MARKERS = Object.fromEntries(
  PROVIDER_IDS.map((id) => {
    const others = new Set(PROVIDER_IDS.filter((other) => other !== id).flatMap(candidates))
    const marker = candidates(id).find((c) => !others.has(c))
    if (!marker) throw new Error(`bench: ${id} has no host or path of its own to recognize it in a bundle by`)
    return [id, marker]
  }),
)

/** The provider of the "sdk + one provider" bundle: any will do, the first of the manifest. */
export const ONE = PROVIDER_IDS[0]

/** esbuild's options for `source`: an app's browser build, ESM, minified (split into chunks unless `splitting: false`). */
export function bundleOptions(source, { splitting = true } = {}) {
  return {
    stdin: { contents: source, resolveDir: here, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    splitting,
    outdir: join(here, '.out'),
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    external: ['node:*'],
    logLevel: 'silent',
  }
}

/**
 * Bundles `source` with code splitting, as app bundlers do by default (or without, `splitting: false`):
 * `minBytes`/`gzipBytes` are what a page loads up front (the entry and the chunks it imports statically),
 * `lazy*` the chunks loaded on first use (the engine, a lazy provider's adapter, downloads).
 */
export async function bundle(source, { splitting = true } = {}) {
  const result = await build(bundleOptions(source, { splitting }))
  // Up front: the entry and every chunk it imports statically (transitively); lazy: the rest.
  const outputs = result.metafile.outputs
  const byPath = new Map(result.outputFiles.map((f) => [relative(process.cwd(), f.path), f]))
  const entryPath = Object.keys(outputs).find((p) => outputs[p].entryPoint !== undefined) ?? Object.keys(outputs)[0]
  const upFront = new Set()
  const visit = (path) => {
    if (upFront.has(path)) return
    upFront.add(path)
    for (const i of outputs[path]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) visit(i.path)
  }
  visit(entryPath)
  const files = Object.keys(outputs).filter((p) => !p.endsWith('.map'))
  const text = (p) => byPath.get(p)?.text ?? ''
  const gz = (t) => gzipSync(t, { level: 9 }).length
  const first = files.filter((p) => upFront.has(p)).map(text)
  const lazy = files.filter((p) => !upFront.has(p)).map(text)
  return {
    code: result.outputFiles.map((f) => f.text).join('\n'),
    // One gzip stream per file, as a server sends them; the up-front files are summed.
    minBytes: first.reduce((n, t) => n + Buffer.byteLength(t), 0),
    gzipBytes: first.reduce((n, t) => n + gz(t), 0),
    lazyMinBytes: lazy.reduce((n, t) => n + Buffer.byteLength(t), 0),
    lazyGzipBytes: lazy.reduce((n, t) => n + gz(t), 0),
  }
}

/**
 * The unified client's core with one provider's definition (or several), as a tree-shaking app imports it:
 * the adapter itself (`providers/<id>`, evaluated up front) or, with `from: 'lazy'`, the lazy provider
 * (`lazy/<id>`, its adapter a chunk loaded on first use).
 */
export function oneProviderSource(id, ...more) {
  return providersSource('providers', [id, ...more])
}

export function lazyProviderSource(id) {
  return providersSource('lazy', [id])
}

function providersSource(from, ids) {
  return `
    import { createNanoBananaClient } from '@nano-banana/sdk/core'
    ${ids.map((p) => `import { ${p} } from '@nano-banana/sdk/${from}/${p}'`).join('\n')}
    export const run = (i, prompt) => createNanoBananaClient({ provider: [${ids.join(', ')}][i], apiKey: 'k' }).generate({ prompt })`
}

export const EVERY = `
    import { createNanoBanana } from '@nano-banana/sdk'
    export const run = (provider, prompt) => createNanoBanana({ provider, apiKey: 'k' }).generate({ prompt })`

/**
 * What each provider adds to a bundle, min+gzip: the core with the first provider, then with that one
 * and the other (the first provider's own cost is measured against the second).
 */
export async function providerIncrements() {
  const alone = new Map()
  const size = async (...ids) => (await bundle(oneProviderSource(...ids), { splitting: false })).gzipBytes
  const out = {}
  for (const id of PROVIDER_IDS) {
    const base = id === ONE ? PROVIDER_IDS.find((p) => p !== ONE) : ONE
    if (!base) break
    if (!alone.has(base)) alone.set(base, await size(base))
    out[id] = (await size(base, id)) - alone.get(base)
  }
  return out
}

/** The one-provider row the 7 KiB target applies to: the smallest way to use one provider. */
export const ONE_PROVIDER_ROW = `sdk + one provider (${ONE}, @nano-banana/sdk/core + lazy/${ONE})`

export const entries = {
  [ONE_PROVIDER_ROW]: lazyProviderSource(ONE),
  [`sdk + one provider (${ONE}, @nano-banana/sdk/core + providers/${ONE}: the adapter up front)`]: oneProviderSource(ONE),
  'sdk, every provider (createNanoBanana)': EVERY,
  ...Object.fromEntries(
    // A synchronous API has no task query: its client alone is create only.
    PROVIDER_IDS.map((id) =>
      META[id].operations.get
        ? [
            `@nano-banana/${id} alone (create + get)`,
            `import { create${capitalize(id)}Client, createImageTask, getImageTask } from '@nano-banana/${id}'
       const client = create${capitalize(id)}Client({ apiKey: 'k', baseUrl: 'https://example.test' })
       export const run = async (body, q) => [await createImageTask({ client, body }), await getImageTask({ client, ...q })]`,
          ]
        : [
            `@nano-banana/${id} alone (create)`,
            `import { create${capitalize(id)}Client, createImageTask } from '@nano-banana/${id}'
       const client = create${capitalize(id)}Client({ apiKey: 'k', baseUrl: 'https://example.test' })
       export const run = async (body) => [await createImageTask({ client, body })]`,
          ],
    ),
  ),
}

export async function benchBundle() {
  const rows = []
  for (const [name, source] of Object.entries(entries)) {
    const { code, minBytes, gzipBytes, lazyGzipBytes } = await bundle(source)
    const providersInside = Object.entries(MARKERS)
      .filter(([, marker]) => code.includes(marker))
      .map(([id]) => id)
    const row = {
      bundle: name,
      minKiB: round(minBytes / 1024, 1),
      gzipKiB: round(gzipBytes / 1024, 2),
      lazyGzipKiB: lazyGzipBytes ? round(lazyGzipBytes / 1024, 2) : '-',
      // Up front + lazy: what a page that generates (and downloads) loads in all, so that a small up-front figure misleads nobody.
      totalGzipKiB: round((gzipBytes + lazyGzipBytes) / 1024, 2),
      providersInside: providersInside.join(' '),
    }
    if (name === ONE_PROVIDER_ROW) {
      row.target = `<= 7 KiB min+gzip up front, only ${ONE} inside`
      row.pass = gzipBytes <= 7 * 1024 && providersInside.join() === ONE
    }
    rows.push(row)
  }
  // Everything in one file, as a bundler without code splitting (or a <script type=module>) ships it.
  const one = await bundle(EVERY, { splitting: false })
  rows.push({
    bundle: 'sdk, every provider (createNanoBanana), one file, no splitting',
    minKiB: round(one.minBytes / 1024, 1),
    gzipKiB: round(one.gzipBytes / 1024, 2),
    lazyGzipKiB: '-',
    totalGzipKiB: round(one.gzipBytes / 1024, 2),
    providersInside: Object.entries(MARKERS)
      .filter(([, marker]) => one.code.includes(marker))
      .map(([id]) => id)
      .join(' '),
    target: '<= 12 KiB min+gzip',
    pass: one.gzipBytes <= 12 * 1024,
  })
  const increments = await providerIncrements()
  for (const [id, bytes] of Object.entries(increments)) {
    rows.push({ bundle: `+ provider ${id} (increment over the core with one other provider, one file)`, gzipKiB: round(bytes / 1024, 2) })
  }
  // The peers' one image call, bundled the same way in one file: what the same page would load with them instead.
  for (const peer of await loadPeers()) {
    const theirs = await bundle(peer.bundle, { splitting: false })
    rows.push({ bundle: `peer: ${peer.name}, one image call, one file`, minKiB: round(theirs.minBytes / 1024, 1), gzipKiB: round(theirs.gzipBytes / 1024, 2) })
  }
  return { name: 'bundle size (esbuild browser ESM, minified, gzip -9)', rows }
}
