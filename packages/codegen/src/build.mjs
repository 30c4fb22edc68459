#!/usr/bin/env node
// Usage: node src/build.mjs   (the turbo task @nano-banana/codegen#build, which `pnpm build` runs)
//
// Compiles every package generated from a spec (each `packages/<provider>/tsconfig.build.json`) in ONE
// TypeScript solution build (ts.createSolutionBuilder, the engine of `tsc -b`). One process parses and
// binds the standard library, DOM and @types/node once instead of once per package; for these small
// generated packages that is most of a `tsc -p`, so the ten cost about what two or three did one by one.
// Each project compiles exactly as its own `tsc -p tsconfig.build.json` would (same config, same output)
// and, like `tsc -p`, not incrementally: turbo's cache decides whether the task runs at all.
// The packages with hand-written code keep a `tsc -p` build task each, so that turbo caches them (and
// their tests) one by one.
import { existsSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { ENSURE_BUILT_SCRIPT } from './ensure-built.mjs'
import { generateTasksOf } from './index.mjs'
import { workspacePackages } from './workspace.mjs'

// Loaded when something is compiled: a package's up-to-date check should not pay for it.
const typescript = () => createRequire(import.meta.url)('typescript')
export const CONFIG = 'tsconfig.build.json'
// What turbo hashes of these packages for this task (turbo.json): their hand-written source is src/index.ts,
// the rest of src/ is generated (and hashed through the generate task).
const HAND_WRITTEN = new Set(['index.ts', 'generated'])

/**
 * The packages this task compiles, `{ name, dir, config }`: those whose `generate` script names a
 * provider. Their own `build` script is ENSURE_BUILT_SCRIPT (a `tsc` there would compile them twice).
 */
export function generatedBuildsOf(packages) {
  const ts = typescript()
  const byDir = new Map(packages.map((p) => [p.dir, p.json]))
  return generateTasksOf(packages)
    .filter((task) => task.providers.length > 0)
    .map(({ dir, name }) => {
      const json = byDir.get(dir)
      if (json.scripts?.build !== ENSURE_BUILT_SCRIPT) throw new Error(`${name}: "build" must be "${ENSURE_BUILT_SCRIPT}" (@nano-banana/codegen#build compiles it)`)
      const wanted = json.devDependencies?.typescript ?? json.dependencies?.typescript
      if (wanted !== undefined && wanted !== ts.version) throw new Error(`${name} declares typescript ${wanted}; this build runs ${ts.version}: use one version`)
      const extra = readdirSync(join(dir, 'src')).filter((f) => !HAND_WRITTEN.has(f))
      if (extra.length)
        throw new Error(`${name}: src/${extra[0]}: a generated package's own code is src/index.ts (what turbo hashes for @nano-banana/codegen#build)`)
      const config = join(dir, CONFIG)
      if (!existsSync(config)) throw new Error(`${name}: no ${CONFIG}`)
      return { name, dir, config }
    })
}

/** Compiles `builds` in order; returns the exit code. */
export function buildAll(builds, { root, log = (line) => process.stdout.write(`${line}\n`) } = {}) {
  const ts = typescript()
  const formatHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => ts.sys.newLine }
  const pretty = process.stdout.isTTY === true && !process.env.NO_COLOR
  const report = (diagnostic) =>
    process.stderr.write(pretty ? ts.formatDiagnosticsWithColorAndContext([diagnostic], formatHost) : ts.formatDiagnostic(diagnostic, formatHost))
  const host = ts.createSolutionBuilderHost(ts.sys, undefined, report, () => {})
  // `tsc -b` records a .tsbuildinfo beside each config even for a non-incremental project; nothing reads
  // it back here (every project is forced), so it is not written.
  const writeFile = (path, data, bom) => {
    if (!path.endsWith('.tsbuildinfo')) ts.sys.writeFile(path, data, bom)
  }
  // force: compile every project, as `tsc -p` would, whatever an earlier `tsc -b` left behind.
  const builder = ts.createSolutionBuilder(
    host,
    builds.map((b) => b.config),
    { force: true },
  )
  // One build() over every project: building them one call each would not share the parsed libraries.
  const started = performance.now()
  const status = builder.build(undefined, undefined, writeFile)
  if (status !== ts.ExitStatus.Success) {
    log(`build failed (${builds.map((b) => relative(root, b.config)).join(', ')})`)
    return 1
  }
  log(`built ${builds.map((b) => b.name).join(', ')} in ${Math.round(performance.now() - started)} ms`)
  return 0
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
  process.exit(buildAll(generatedBuildsOf(workspacePackages(root)), { root }))
}
