// What the every-provider one-file bundle is made of: which modules its gzipped bytes pay for, so that a
// size target can be judged against the parts it would have to lose (the 12 KiB target of this bundle, say).
import { readFile } from 'node:fs/promises'
import { relative } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { EVERY, bundleOptions } from './bundle.mjs'
import { round } from './stats.mjs'

const gz = (text) => gzipSync(text, { level: 9 }).length
const MARK = /\/\*! nb-module:(\d+) \*\/\n?/g

/**
 * The one-file bundle cut into its modules' stretches of output. Each built module gets a legal comment in
 * front (`legalComments: 'inline'` keeps it where its first statement lands); the output with the comments
 * removed is checked to be byte for byte the real bundle, so the cut changes nothing it measures.
 */
export async function bundlePieces(source = EVERY) {
  const paths = []
  const mark = {
    name: 'mark-modules',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async ({ path }) => {
        paths.push(relative(process.cwd(), path))
        return { contents: `/*! nb-module:${paths.length - 1} */\n${await readFile(path, 'utf8')}`, loader: 'js' }
      })
    },
  }
  const options = bundleOptions(source, { splitting: false })
  const real = (await build(options)).outputFiles[0].text
  const marked = (await build({ ...options, legalComments: 'inline', plugins: [mark] })).outputFiles[0].text
  if (marked.replace(MARK, '') !== real) throw new Error('bench: marking the modules changed the bundle; the cut would not measure it')
  const pieces = []
  let at = 0
  let owner = '<entry>'
  for (const m of marked.matchAll(MARK)) {
    pieces.push({ path: owner, text: marked.slice(at, m.index) })
    owner = paths[Number(m[1])]
    at = m.index + m[0].length
  }
  pieces.push({ path: owner, text: marked.slice(at) })
  return { real, pieces: pieces.filter((p) => p.text.length > 0) }
}

/** The part a module belongs to: a provider's adapter or generated meta, the fetch runtime, or the engine. */
export function partOf(path) {
  if (/(^|\/)packages\/sdk\/dist\/providers\//.test(path)) return 'provider adapters (packages/sdk/dist/providers/*)'
  if (/(^|\/)packages\/[^/]+\/dist\/generated\/meta\.gen\.js$/.test(path)) return "providers' generated metas (packages/<id>/dist/generated/meta.gen.js)"
  if (/(^|\/)packages\/runtime\/dist\//.test(path)) return 'fetch runtime (packages/runtime)'
  if (/(^|\/)packages\/sdk\/dist\/wire\//.test(path)) return 'wire shapes several adapters share (packages/sdk/dist/wire/*)'
  const engine = /(^|\/)packages\/sdk\/dist\/(.+)\.js$/.exec(path)
  return engine ? `engine: ${engine[2]}` : path
}

/**
 * Each part's cost, min and gzip: the gzip figure is what the bundle loses without that part's bytes
 * (the rest gzipped alone), so a part is not credited with what gzip shares between it and the others;
 * the shared remainder is its own row.
 */
export async function benchBundleParts() {
  const { real, pieces } = await bundlePieces()
  const total = gz(real)
  const parts = new Map()
  for (const piece of pieces) {
    const part = partOf(piece.path)
    parts.set(part, [...(parts.get(part) ?? []), piece])
  }
  const without = (excluded) =>
    gz(
      pieces
        .filter((p) => !excluded(p))
        .map((p) => p.text)
        .join(''),
    )
  const rows = [...parts].map(([part, own]) => ({
    part,
    modules: new Set(own.map((p) => p.path)).size,
    minKiB: round(own.reduce((n, p) => n + Buffer.byteLength(p.text), 0) / 1024, 1),
    gzipKiB: round((total - without((p) => own.includes(p))) / 1024, 2),
  }))
  rows.sort((a, b) => b.gzipKiB - a.gzipKiB)
  const engine = pieces.filter((p) => partOf(p.path).startsWith('engine: '))
  const alone = (list) => gz(list.map((p) => p.text).join(''))
  const notEngine = pieces.filter((p) => !engine.includes(p) && p.path !== '<entry>')
  const attributed = rows.reduce((n, r) => n + r.gzipKiB * 1024, 0)
  rows.push(
    { part: 'shared by several parts (gzip matches across them)', gzipKiB: round((total - attributed) / 1024, 2) },
    { part: 'the engine modules together, gzipped alone', modules: new Set(engine.map((p) => p.path)).size, gzipKiB: round(alone(engine) / 1024, 2) },
    {
      part: 'everything but the engine (adapters, metas, wire shapes, runtime), gzipped alone',
      modules: new Set(notEngine.map((p) => p.path)).size,
      gzipKiB: round(alone(notEngine) / 1024, 2),
    },
    {
      part: 'the whole bundle',
      modules: new Set(pieces.map((p) => p.path)).size,
      minKiB: round(Buffer.byteLength(real) / 1024, 1),
      gzipKiB: round(total / 1024, 2),
    },
  )
  return { name: 'what the every-provider one-file bundle is made of (gzip: what the bundle loses without the part)', rows }
}
