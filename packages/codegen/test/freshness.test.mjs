// The committed generated code must equal a fresh generation from the committed spec: a spec edited
// without `pnpm generate`, or a generated file edited by hand, fails here.
import { existsSync } from 'node:fs'
import { cp, mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { checkFresh, extractCommitted, generatedDirOf, generateInto, diffDirs, listProviders, repoRoot, specPathOf } from '../src/index.mjs'

const providers = await listProviders()
const temps = []
const tempDir = async (prefix) => {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  temps.push(dir)
  return dir
}
afterAll(async () => {
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })))
})

describe('generated clients are fresh', () => {
  it('finds every provider spec: named after its x-provider-id, each with its package', async () => {
    expect(providers.length).toBeGreaterThan(0)
    expect([...providers].sort()).toEqual(providers)
    for (const id of providers) {
      expect(parse(await readFile(specPathOf(id), 'utf8'))['x-provider-id']).toBe(id)
      expect(existsSync(join(repoRoot, 'packages', id, 'package.json'))).toBe(true)
    }
  })

  it.each(providers)('%s: committed src/generated equals a fresh generation', async (provider) => {
    // In a git checkout compare with HEAD (turbo's generate step has already rewritten the tree);
    // in an unpacked tarball, compare with the files on disk.
    const committed = await tempDir(`nb-head-${provider}-`)
    const inGit = await extractCommitted(provider, committed)
    const problems = await checkFresh({ specPath: specPathOf(provider), generatedDir: inGit ? committed : generatedDirOf(provider) })
    expect(problems).toEqual([])
  })
})

// Any provider will do for the drift checks.
const [first] = providers
const last = providers.at(-1)

describe('the freshness check catches drift', () => {
  it('reports a generated file edited by hand', async () => {
    const copy = await tempDir('nb-edited-')
    await cp(generatedDirOf(first), copy, { recursive: true })
    await appendFile(join(copy, 'types.gen.ts'), '\nexport type HandEdited = true\n')
    const problems = await checkFresh({ specPath: specPathOf(first), generatedDir: copy })
    expect(problems).toEqual([{ file: 'types.gen.ts', problem: 'changed' }])
  })

  it('reports a deleted and an extra file', async () => {
    const copy = await tempDir('nb-files-')
    await cp(generatedDirOf(last), copy, { recursive: true })
    await rm(join(copy, 'paths.gen.ts'))
    await writeFile(join(copy, 'extra.gen.ts'), 'export {}\n')
    const problems = await checkFresh({ specPath: specPathOf(last), generatedDir: copy })
    expect(problems).toEqual(
      expect.arrayContaining([
        { file: 'paths.gen.ts', problem: 'missing' },
        { file: 'extra.gen.ts', problem: 'unexpected' },
      ]),
    )
  })

  it('reports a spec changed without regenerating', async () => {
    const dir = await tempDir('nb-spec-')
    const spec = join(dir, `${first}.openapi.yaml`)
    const text = await readFile(specPathOf(first), 'utf8')
    // An operation codegen does not require (create and get are), so that generation itself still works.
    const operationId = [...text.matchAll(/operationId: (\w+)/g)].map((m) => m[1]).findLast((id) => id !== 'createImageTask' && id !== 'getImageTask')
    expect(operationId).toBeDefined()
    await writeFile(spec, text.replace(`operationId: ${operationId}`, `operationId: ${operationId}Renamed`))
    const problems = await checkFresh({ specPath: spec, generatedDir: generatedDirOf(first) })
    expect(problems.map((p) => p.file)).toEqual(expect.arrayContaining(['sdk.gen.ts', 'types.gen.ts']))
  })

  it('is deterministic: two generations of one spec are identical', async () => {
    const [a, b] = [await tempDir('nb-a-'), await tempDir('nb-b-')]
    await generateInto(specPathOf(first), a)
    await generateInto(specPathOf(first), b)
    expect(await diffDirs(a, b)).toEqual([])
  })
})
