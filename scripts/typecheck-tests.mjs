#!/usr/bin/env node
// Usage: node scripts/typecheck-tests.mjs [--list]   (the root task `test:types`, which `pnpm test` runs)
//
// Type-checks the tests (and sources) of every workspace package whose `typecheck:test` script is
// `tsc -p <config> --noEmit`, in ONE TypeScript solution build (ts.createSolutionBuilder, the engine of
// `tsc -b`), instead of one `tsc` process per package. One process parses and binds the standard library,
// DOM, @types/node and the packages' dist declarations once, where each `tsc -p` did it again.
// Each project is checked exactly as its own `tsc -p <config> --noEmit` would (same config, nothing
// written, not incremental: turbo's cache decides whether the task runs at all). Every error is reported,
// with its file, and any error fails the task.
// A package opts in by its `typecheck:test` script alone, so that `pnpm --filter <pkg> typecheck:test`
// still checks one package, and a new package is picked up with no list to edit here.
// turbo.json's `//#test:types` waits only for the builds whose declarations these programs read (the
// packages the tests import); the packages under test are in their own programs as source, so their
// builds (cli, mcp, ai-sdk, contract-tests) need not finish first, and this long task starts earlier.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { workspacePackages } from '../packages/codegen/src/workspace.mjs'

export const SCRIPT = 'typecheck:test'
const COMMAND = /^tsc -p (\S+) --noEmit$/

/** `{ name, config }` of every package that type-checks its tests, sorted by directory. */
export function testTypecheckProjects(root) {
  const projects = []
  for (const { dir, json } of workspacePackages(root)) {
    const command = json.scripts?.[SCRIPT]
    if (command === undefined) continue
    const match = COMMAND.exec(command)
    if (!match) throw new Error(`${json.name}: its ${SCRIPT} script must be \`tsc -p <config> --noEmit\` (this task runs that config), not \`${command}\``)
    const config = join(dir, match[1])
    if (!existsSync(config)) throw new Error(`${json.name}: ${SCRIPT} names ${match[1]}, which does not exist`)
    projects.push({ name: json.name, config })
  }
  return projects
}

/** Checks every project in one solution build; returns the exit code. */
export function typecheck(projects, { root, log = (line) => process.stdout.write(`${line}\n`) }) {
  const ts = createRequire(import.meta.url)('typescript')
  const formatHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => ts.sys.newLine }
  const pretty = process.stdout.isTTY === true && !process.env.NO_COLOR
  let errors = 0
  const report = (diagnostic) => {
    if (diagnostic.category === ts.DiagnosticCategory.Error) errors++
    process.stderr.write(pretty ? ts.formatDiagnosticsWithColorAndContext([diagnostic], formatHost) : ts.formatDiagnostic(diagnostic, formatHost))
  }
  const host = ts.createSolutionBuilderHost(ts.sys, undefined, report, () => {})
  // The configs say noEmit; `tsc -b` would still record a .tsbuildinfo beside each one. Nothing reads it
  // back (every project is forced), so nothing at all is written.
  const writeFile = () => {}
  const builder = ts.createSolutionBuilder(
    host,
    projects.map((p) => p.config),
    { force: true },
  )
  const started = performance.now()
  // One build() over every project: one call per project would not share the parsed files.
  const status = builder.build(undefined, undefined, writeFile)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  if (status !== ts.ExitStatus.Success || errors > 0) {
    log(`type errors (${errors}) in the tests of ${projects.map((p) => relative(root, p.config)).join(', ')}`)
    return 1
  }
  log(`type-checked ${projects.length} packages' tests (${projects.map((p) => p.name).join(', ')}) in ${seconds} s`)
  return 0
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  const projects = testTypecheckProjects(root)
  if (process.argv.includes('--list')) {
    for (const p of projects) console.log(`${p.name}\t${relative(root, p.config)}`)
    process.exit(0)
  }
  if (projects.length === 0) throw new Error(`no workspace package has a ${SCRIPT} script`)
  process.exit(typecheck(projects, { root }))
}
