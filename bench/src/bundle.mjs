// 3. Bundle size: what a browser app pays, bundled with esbuild (ESM, minified) and gzip -9, the
// same method as the peer numbers in design.md.
import { build } from 'esbuild'
import { gzipSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { round } from './stats.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const PROVIDERS = ['odkkk', 'evolink', 'crun', 'uniall', 'aivideoapi']
const NAMES = { odkkk: 'Odkkk', evolink: 'Evolink', crun: 'Crun', uniall: 'Uniall', aivideoapi: 'Aivideoapi' }
/** Strings only one provider's code contains: their presence in a bundle means that provider came along. */
export const MARKERS = {
  odkkk: 'ai.odkkk.com',
  evolink: 'api.evolink.ai',
  crun: 'api.crun.ai',
  uniall: '/v1/images/tasks',
  aivideoapi: 'api.aivideoapi.ai',
}

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

export const entries = {
  'sdk + one provider (evolink, @nano-banana/sdk/core)': `
    import { createNanoBananaClient } from '@nano-banana/sdk/core'
    import { evolink } from '@nano-banana/sdk/providers/evolink'
    const nb = createNanoBananaClient({ provider: evolink, apiKey: 'k' })
    export const run = (prompt) => nb.generate({ prompt })`,
  'sdk, every provider (createNanoBanana)': `
    import { createNanoBanana } from '@nano-banana/sdk'
    export const run = (provider, prompt) => createNanoBanana({ provider, apiKey: 'k' }).generate({ prompt })`,
  ...Object.fromEntries(
    PROVIDERS.map((id) => [
      `@nano-banana/${id} alone (create + get)`,
      `import { create${NAMES[id]}Client, createImageTask, getImageTask } from '@nano-banana/${id}'
       const client = create${NAMES[id]}Client({ apiKey: 'k', baseUrl: 'https://example.test' })
       export const run = async (body, q) => [await createImageTask({ client, body }), await getImageTask({ client, ...q })]`,
    ]),
  ),
}

export async function benchBundle() {
  const rows = []
  for (const [name, source] of Object.entries(entries)) {
    const { code, minBytes, gzipBytes, lazyGzipBytes } = await bundle(source)
    const providersInside = Object.entries(MARKERS).filter(([, marker]) => code.includes(marker)).map(([id]) => id)
    const row = {
      bundle: name,
      minKiB: round(minBytes / 1024, 1),
      gzipKiB: round(gzipBytes / 1024, 2),
      lazyGzipKiB: lazyGzipBytes ? round(lazyGzipBytes / 1024, 2) : '-',
      providersInside: providersInside.join(' '),
    }
    if (name.startsWith('sdk + one provider')) {
      row.target = '<= 10 KiB min+gzip up front, only evolink inside'
      row.pass = gzipBytes <= 10 * 1024 && providersInside.join() === 'evolink'
    }
    rows.push(row)
  }
  return { name: 'bundle size (esbuild browser ESM, minified, gzip -9)', rows }
}
