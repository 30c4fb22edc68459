#!/usr/bin/env node
// Builds the published package from the repository, reproducibly (nothing here is edited by hand):
//   specs/        copies of ../specs/*.openapi.yaml, the specs the checks run against;
//   dist/cli.mjs  the bin: src/cli.mjs bundled with the generated client of every provider of the
//                 manifest (one import per PROVIDER_IDS entry, so a new provider is carried automatically);
//   dist/index.mjs the library (src/index.mjs) bundled;
//   dist/*.d.mts  the library's types, with the workspace test kit's types copied beside them.
// Workspace packages (@nano-banana/*, some private) are bundled in; npm dependencies (ajv, yaml, Prism)
// stay imports, so the published manifest has regular dependencies only.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { PROVIDER_IDS } from '@nano-banana/manifest'

const pkg = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
const at = (...parts) => join(pkg, ...parts)

rmSync(at('dist'), { recursive: true, force: true })
rmSync(at('specs'), { recursive: true, force: true })
mkdirSync(at('dist', 'testkit'), { recursive: true })
mkdirSync(at('specs'))

const specs = readdirSync(at('..', 'specs'))
  .filter((f) => f.endsWith('.openapi.yaml'))
  .sort()
for (const file of specs) copyFileSync(at('..', 'specs', file), at('specs', file))

/** Bundle workspace packages, keep everything from npm (and Node's builtins) as imports. */
const workspaceOnly = {
  name: 'workspace-only',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@nano-banana/') ? undefined : { path: args.path, external: true }))
  },
}
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', plugins: [workspaceOnly], logLevel: 'warning', legalComments: 'none' }

const ident = (id) => `p_${id.replace(/[^a-z0-9]/gi, '_')}`
const entry = [
  "import { META } from '@nano-banana/manifest'",
  "import { fileURLToPath } from 'node:url'",
  "import { main } from './src/cli.mjs'",
  ...PROVIDER_IDS.map((id) => `import * as ${ident(id)} from '@nano-banana/${id}'`),
  `const sdks = { ${PROVIDER_IDS.map((id) => `${JSON.stringify(id)}: ${ident(id)}`).join(', ')} }`,
  "process.exitCode = await main({ argv: process.argv.slice(2), sdks, meta: META, specsDir: fileURLToPath(new URL('../specs/', import.meta.url)) })",
].join('\n')
await build({
  ...common,
  stdin: { contents: entry, resolveDir: pkg, sourcefile: 'cli-entry.mjs', loader: 'js' },
  outfile: at('dist', 'cli.mjs'),
  banner: { js: '#!/usr/bin/env node' },
})
await build({ ...common, entryPoints: [at('src', 'index.mjs')], outfile: at('dist', 'index.mjs') })
// Prism is started with this preloaded (src/prism.mjs finds it beside the bundle).
copyFileSync(at('src', 'prism-watchdog.mjs'), at('dist', 'prism-watchdog.mjs'))

// Types: the library's own, and the test kit's declarations they refer to.
copyFileSync(at('src', 'index.d.mts'), at('dist', 'index.d.mts'))
writeFileSync(at('dist', 'types.d.ts'), readFileSync(at('src', 'types.d.ts'), 'utf8').replaceAll("from '@nano-banana/testkit'", "from './testkit/index.js'"))
const testkitDist = join(dirname(require.resolve('@nano-banana/testkit/package.json')), 'dist')
for (const file of readdirSync(testkitDist).filter((f) => f.endsWith('.d.ts'))) {
  // Without the source maps: they point into the repository.
  writeFileSync(at('dist', 'testkit', file), readFileSync(join(testkitDist, file), 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/m, ''))
}
console.log(`contract-tests: bundled dist/cli.mjs (${PROVIDER_IDS.length} providers: ${PROVIDER_IDS.join(', ')}), dist/index.mjs; copied ${specs.length} specs`)
