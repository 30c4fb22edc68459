// `pnpm test`'s root task `test:clients`: the tests of every workspace package with a `test:client`
// script (the generated provider packages: packages/<id>/test/client.test.ts) in ONE vitest run and ONE
// module graph (isolate: false), instead of one vitest process per package (about 3 s of CPU each to start
// vitest for a test of half a second) or one vitest project per package (each project its own worker and
// module graph: 9 CPU seconds for the ten, 3.5 s this way). The files share nothing but the runtime and
// testkit they import, and no file changes global state.
// One config serves every package, so each package's own vitest config must be the scaffold's (only its
// include): a package that needs more gets a `test` script of its own instead. `pnpm --filter <pkg>
// test:client` still runs one package alone, with its own config.
import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { defineConfig } from 'vitest/config'
import { workspacePackages } from './packages/codegen/src/workspace.mjs'

export const SCRIPT = 'test:client'
const CONFIG = 'vitest.config.ts'
const INCLUDE = 'test/**/*.test.ts'
const EXPECTED = `import { defineConfig } from 'vitest/config'\nexport default defineConfig({ test: { include: ['${INCLUDE}'] } })\n`
const root = import.meta.dirname

const dirs = workspacePackages(root)
  .filter(({ json }) => json.scripts?.[SCRIPT] !== undefined)
  .map(({ dir, json }) => {
    if (json.scripts[SCRIPT] !== 'vitest run') throw new Error(`${json.name}: its ${SCRIPT} script must be \`vitest run\` (this run stands in for it)`)
    if (readFileSync(join(dir, CONFIG), 'utf8') !== EXPECTED)
      throw new Error(`${json.name}: ${CONFIG} differs from the scaffold's, which this one run applies to every package: give the package a \`test\` script instead`)
    return dir
  })
if (dirs.length === 0) throw new Error(`no workspace package has a ${SCRIPT} script`)

export default defineConfig({ test: { include: dirs.map((dir) => `${relative(root, dir)}/${INCLUDE}`), isolate: false } })
