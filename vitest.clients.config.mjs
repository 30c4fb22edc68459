// `pnpm test`'s root task `test:clients`: the tests of every workspace package with a `test:client`
// script (the generated provider packages: packages/<id>/test/client.test.ts) in ONE vitest run, each
// package a project with its own vitest config, instead of one vitest process per package: each of those
// spent about 3 s of CPU starting vitest for a test of half a second. `pnpm --filter <pkg> test:client`
// still runs one package alone.
import { defineConfig } from 'vitest/config'
import { workspacePackages } from './packages/codegen/src/workspace.mjs'

export const SCRIPT = 'test:client'
const root = import.meta.dirname

const projects = workspacePackages(root)
  .filter(({ json }) => json.scripts?.[SCRIPT] !== undefined)
  .map(({ dir, json }) => {
    if (json.scripts[SCRIPT] !== 'vitest run') throw new Error(`${json.name}: its ${SCRIPT} script must be \`vitest run\` (this run uses its vitest config)`)
    return dir
  })
if (projects.length === 0) throw new Error(`no workspace package has a ${SCRIPT} script`)

export default defineConfig({ test: { projects } })
