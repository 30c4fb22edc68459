// `pnpm generate` runs every package's `generate` script in one process (turbo runs only the codegen
// package's): the list it runs must be exactly what the packages declare.
import { describe, expect, it } from 'vitest'
import { generateTasksOf, listProviders, repoRoot } from '../src/index.mjs'
import { REGISTRY_KINDS } from '../src/registry.mjs'
import { workspaceDependencies, workspacePackages } from '../src/workspace.mjs'

const packages = workspacePackages(repoRoot)

describe('the one-process generate', () => {
  it('covers every spec once, in the package named after it, and every registry kind', async () => {
    const tasks = generateTasksOf(packages)
    const providers = await listProviders()
    expect(tasks.flatMap((t) => t.providers).sort()).toEqual(providers)
    for (const task of tasks.filter((t) => t.providers.length)) expect(task.dir.endsWith(`/packages/${task.providers[0]}`)).toBe(true)
    expect(
      tasks
        .map((t) => t.registry)
        .filter(Boolean)
        .sort(),
    ).toEqual([...REGISTRY_KINDS].sort())
  })

  it('skips its own script and refuses a generate script it cannot run in-process', () => {
    const codegen = packages.find(({ json }) => json.name === '@nano-banana/codegen')
    expect(codegen?.json.scripts.generate).toContain('--workspace')
    expect(generateTasksOf([codegen]).length).toBe(0)
    const other = { dir: '/x/packages/other', json: { name: 'other', scripts: { generate: 'node make.mjs' } } }
    expect(() => generateTasksOf([other])).toThrow(/other: "generate": "node make.mjs" is not a nano-banana-codegen call/)
    const bare = { dir: '/x/packages/bare', json: { name: 'bare', scripts: { generate: 'nano-banana-codegen' } } }
    expect(() => generateTasksOf([bare])).toThrow(/name the provider/)
  })

  it('reads workspace dependencies from every section, not npm ones nor itself', () => {
    const names = new Set(['a', 'b', 'c', 'self'])
    const json = {
      name: 'self',
      dependencies: { b: 'workspace:^', yaml: '2' },
      devDependencies: { a: 'workspace:*', self: 'workspace:*' },
      peerDependencies: { c: '^1' },
    }
    expect(workspaceDependencies(json, names)).toEqual(['a', 'b', 'c'])
  })
})
