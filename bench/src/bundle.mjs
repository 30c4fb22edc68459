// 3. Bundle size: what a browser app pays, bundled with esbuild (ESM, minified) and gzip -9, the
// same method as the peer numbers in design.md.
import { build } from 'esbuild'
import { gzipSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { META, PROVIDER_IDS } from '@nano-banana/manifest'
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

/**
 * Bundles `source` with code splitting, as app bundlers do by default: `minBytes`/`gzipBytes` are the
 * entry chunk (what a page loads up front), `lazy*` the chunks loaded on first use (downloads).
 */
export async function bundle(source) {
  const result = await build({
    stdin: { contents: source, resolveDir: here, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    splitting: true,
    outdir: join(here, '.out'),
    platform: 'browser',
    target: 'es2022',
    write: false,
    external: ['node:*'],
    logLevel: 'silent',
  })
  const [entry, ...lazy] = result.outputFiles
  const gz = (text) => gzipSync(text, { level: 9 }).length
  const code = result.outputFiles.map((f) => f.text).join('\n')
  return {
    code,
    minBytes: Buffer.byteLength(entry.text),
    gzipBytes: gz(entry.text),
    lazyMinBytes: lazy.reduce((n, f) => n + Buffer.byteLength(f.text), 0),
    lazyGzipBytes: lazy.reduce((n, f) => n + gz(f.text), 0),
  }
}

/** The unified client's core with one provider's definition, as a tree-shaking app imports it. */
export function oneProviderSource(id) {
  return `
    import { createNanoBananaClient } from '@nano-banana/sdk/core'
    import { ${id} } from '@nano-banana/sdk/providers/${id}'
    const nb = createNanoBananaClient({ provider: ${id}, apiKey: 'k' })
    export const run = (prompt) => nb.generate({ prompt })`
}

export const entries = {
  [`sdk + one provider (${ONE}, @nano-banana/sdk/core)`]: oneProviderSource(ONE),
  'sdk, every provider (createNanoBanana)': `
    import { createNanoBanana } from '@nano-banana/sdk'
    export const run = (provider, prompt) => createNanoBanana({ provider, apiKey: 'k' }).generate({ prompt })`,
  ...Object.fromEntries(
    PROVIDER_IDS.map((id) => [
      `@nano-banana/${id} alone (create + get)`,
      `import { create${capitalize(id)}Client, createImageTask, getImageTask } from '@nano-banana/${id}'
       const client = create${capitalize(id)}Client({ apiKey: 'k', baseUrl: 'https://example.test' })
       export const run = async (body, q) => [await createImageTask({ client, body }), await getImageTask({ client, ...q })]`,
    ]),
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
      providersInside: providersInside.join(' '),
    }
    if (name.startsWith('sdk + one provider')) {
      row.target = `<= 10 KiB min+gzip up front, only ${ONE} inside`
      row.pass = gzipBytes <= 10 * 1024 && providersInside.join() === ONE
    }
    rows.push(row)
  }
  return { name: 'bundle size (esbuild browser ESM, minified, gzip -9)', rows }
}
