// The `build` script of each package generated from a spec. @nano-banana/codegen#build compiles them all
// in one process; turbo then caches and restores each one's dist/ under its own build task, and this
// script compiles a package alone only when its dist/ is missing or older than its src/ (a cache entry
// lost), so a package is never left unbuilt. Kept apart from build.mjs so the usual no-op loads nothing.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

export const ENSURE_BUILT_SCRIPT = 'nano-banana-codegen --ensure-built'

/** Source files of `dir`/src whose dist/ output (.js and .d.ts) is missing or older. */
export function staleOutputs(dir) {
  const stale = []
  const walk = (rel) => {
    for (const entry of readdirSync(join(dir, 'src', rel), { withFileTypes: true })) {
      const path = join(rel, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const source = statSync(join(dir, 'src', path)).mtimeMs
        const base = join(dir, 'dist', path.slice(0, -'.ts'.length))
        if (![`${base}.js`, `${base}.d.ts`].every((out) => existsSync(out) && statSync(out).mtimeMs >= source)) stale.push(path)
      }
    }
  }
  walk('')
  return stale
}

/** ENSURE_BUILT_SCRIPT, in the package directory `dir`: compiles it alone when its dist/ is stale. */
export async function ensureBuilt(dir, { log = (line) => process.stdout.write(`${line}\n`) } = {}) {
  const stale = staleOutputs(dir)
  if (!stale.length) return 0
  const { buildAll, CONFIG } = await import('./build.mjs')
  log(`dist/ is missing or older than src/${stale[0]}${stale.length > 1 ? ` and ${stale.length - 1} more` : ''}: compiling this package alone`)
  return buildAll([{ name: relative(resolve(dir, '..', '..'), dir), dir, config: join(dir, CONFIG) }], { root: dir, log })
}
