// The pieces of `pnpm new-provider` (the end-to-end run in a copy of the repository is `pnpm test:scaffold`).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listProviders, repoRoot } from '../src/index.mjs'
import { buildMetaFromYaml } from '../src/meta.mjs'
import { addDependency, dependentsOfAll, ownFilesOf, ownPathPattern, renamePath, renameText } from '../src/scaffold.mjs'

const from = { id: 'acme', name: 'ACME Images' }
const to = { id: 'zeta', name: 'Zeta' }

describe('renameText', () => {
  it('replaces the display name and the id in its three spellings, hosts included', () => {
    const text = 'ACME Images: createAcmeClient(acmeProvider), ACME_API_KEY, https://api.acme.ai/v1, x-provider-id: acme'
    expect(renameText(text, from, to)).toBe('Zeta: createZetaClient(zetaProvider), ZETA_API_KEY, https://api.zeta.ai/v1, x-provider-id: zeta')
  })

  it('leaves words that only contain the id alone', () => {
    expect(renameText('acmes, subacme, ACMEX, Acmeish', from, to)).toBe('acmes, subacme, ACMEX, Acmeish')
  })
})

describe('own files', () => {
  it('matches the naming convention', () => {
    const own = ownPathPattern('acme')
    for (const path of ['specs/acme.openapi.yaml', 'packages/acme/x.ts', 'a/src/providers/acme.ts', 'a/acme-family.ts', 'test/acme_x.ts'])
      expect(own.test(path)).toBe(true)
    for (const path of ['a/acmes.ts', 'a/subacme.ts', 'a/xacme/b.ts']) expect(own.test(path)).toBe(false)
  })

  it("copies the provider's files outside its package and specs/, never generated files or changesets", () => {
    const files = [
      'packages/acme/src/index.ts',
      'specs/acme.openapi.yaml',
      'packages/sdk/src/providers/acme.ts',
      'packages/sdk/src/providers/acme-family.ts',
      'packages/sdk/src/providers/other.ts',
      'contract-tests/test/providers/acme.ts',
      'packages/x/src/generated/acme.gen.ts',
      '.changeset/acme-spec-1.md',
    ]
    expect(ownFilesOf('acme', files)).toEqual([
      'packages/sdk/src/providers/acme.ts',
      'packages/sdk/src/providers/acme-family.ts',
      'contract-tests/test/providers/acme.ts',
    ])
    expect(renamePath('packages/sdk/src/providers/acme-family.ts', 'acme', 'zeta')).toBe('packages/sdk/src/providers/zeta-family.ts')
    expect(renamePath('test/acme/acme.mutation.test.ts', 'acme', 'zeta')).toBe('test/zeta/zeta.mutation.test.ts')
  })
})

describe('registration', () => {
  it('finds the package.json sections that depend on every provider', () => {
    const all = { '@nano-banana/a': 'workspace:*', '@nano-banana/b': 'workspace:*' }
    const found = dependentsOfAll(
      [
        { path: 'x/package.json', json: { dependencies: all } },
        { path: 'y/package.json', json: { devDependencies: { ...all, other: '1' } } },
        { path: 'z/package.json', json: { dependencies: { '@nano-banana/a': 'workspace:*' } } },
      ],
      ['a', 'b'],
    )
    expect(found).toEqual([
      { path: 'x/package.json', section: 'dependencies' },
      { path: 'y/package.json', section: 'devDependencies' },
    ])
  })

  it('adds the dependency in order, keeping a multi-line or compact layout', () => {
    const multi = '{\n  "dependencies": {\n    "@nano-banana/a": "workspace:*",\n    "@nano-banana/z": "workspace:*"\n  },\n  "x": 1\n}\n'
    expect(addDependency(multi, 'dependencies', '@nano-banana/m')).toBe(
      '{\n  "dependencies": {\n    "@nano-banana/a": "workspace:*",\n    "@nano-banana/m": "workspace:*",\n    "@nano-banana/z": "workspace:*"\n  },\n  "x": 1\n}\n',
    )
    const compact = '{ "dependencies": { "@nano-banana/a": "workspace:*" }, "x": 1 }\n'
    expect(addDependency(compact, 'dependencies', '@nano-banana/b')).toBe(
      '{ "dependencies": { "@nano-banana/a": "workspace:*", "@nano-banana/b": "workspace:*" }, "x": 1 }\n',
    )
    expect(addDependency(compact, 'dependencies', '@nano-banana/a')).toBe(compact)
  })

  it('in this repository, finds the packages that list every provider', async () => {
    const providers = await listProviders()
    const { execFileSync } = await import('node:child_process')
    const packageJsons = execFileSync('git', ['ls-files', '*package.json'], { cwd: repoRoot, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((path) => ({ path, json: JSON.parse(readFileSync(join(repoRoot, path), 'utf8')) }))
    const paths = dependentsOfAll(packageJsons, providers).map((d) => d.path)
    expect(paths).toContain('packages/manifest/package.json')
  })
})

describe('the spec template', () => {
  it('is a spec codegen accepts, with every required fact', () => {
    const text = readFileSync(join(repoRoot, 'packages/codegen/templates/spec.openapi.yaml'), 'utf8').replaceAll('__ID__', 'zeta').replaceAll('__NAME__', 'Zeta')
    const meta = buildMetaFromYaml(text)
    expect(meta).toMatchObject({
      id: 'zeta',
      name: 'Zeta',
      envKey: 'ZETA_API_KEY',
      operations: { create: { path: '/v1/images/generations' }, get: { taskId: { in: 'path', name: 'task_id' } } },
    })
    expect(Object.values(meta.statusWords)).toEqual(expect.arrayContaining(['queued', 'running', 'succeeded', 'failed']))
  })
})
