// The workspace's packages as pnpm-workspace.yaml lists them (`dir/*` and `dir` entries), read from
// their package.json files: what the one-process generate and build run over.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

/** `{ dir, json }` of every workspace package, sorted by directory. */
export function workspacePackages(root) {
  const file = join(root, 'pnpm-workspace.yaml')
  const globs = existsSync(file) ? (parse(readFileSync(file, 'utf8'))?.packages ?? []) : ['packages/*']
  const dirs = globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return [join(root, glob)]
    const parent = join(root, glob.slice(0, -2))
    return existsSync(parent) ? readdirSync(parent).map((d) => join(parent, d)) : []
  })
  return dirs
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .sort()
    .map((dir) => ({ dir, json: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
}

/** Names of the workspace packages `json` depends on, in any section (tests and builds need them all). */
export function workspaceDependencies(json, names) {
  const declared = { ...json.dependencies, ...json.devDependencies, ...json.peerDependencies, ...json.optionalDependencies }
  return Object.keys(declared)
    .filter((name) => names.has(name) && name !== json.name)
    .sort()
}
