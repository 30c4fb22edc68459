// @nano-banana/codegen#build compiles the packages generated from specs in one TypeScript process;
// each package's own `build` script only makes sure its dist/ is there.
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { generatedBuildsOf } from '../src/build.mjs'
import { ENSURE_BUILT_SCRIPT, ensureBuilt, staleOutputs } from '../src/ensure-built.mjs'
import { listProviders, repoRoot } from '../src/index.mjs'
import { workspacePackages } from '../src/workspace.mjs'

const temps = []
afterAll(async () => {
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })))
})

async function fakePackage(files) {
  const dir = await mkdtemp(join(tmpdir(), 'nb-build-'))
  temps.push(dir)
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true })
    await writeFile(join(dir, path), text)
  }
  return dir
}

describe('the one-process build of the generated packages', () => {
  it('compiles every provider package and the manifest, dependencies first, each with its tsconfig.build.json', async () => {
    const builds = generatedBuildsOf(workspacePackages(repoRoot))
    const providers = (await listProviders()).map((id) => `@nano-banana/${id}`)
    expect(builds.map((b) => b.name).sort()).toEqual([...providers, '@nano-banana/manifest'].sort())
    expect(builds.at(-1).name).toBe('@nano-banana/manifest')
    for (const b of builds) expect(b.config).toBe(join(b.dir, 'tsconfig.build.json'))
  })

  it('takes the generated packages whose build script says so, and refuses one with source turbo does not hash', async () => {
    const dir = await fakePackage({ 'src/index.ts': '', 'src/generated/a.ts': '', 'tsconfig.build.json': '{}' })
    const pkg = (scripts) => ({ dir, json: { name: 'p', scripts: { generate: 'nano-banana-codegen p', ...scripts } } })
    expect(generatedBuildsOf([pkg({ build: 'tsc -p tsconfig.build.json' })])).toEqual([])
    expect(generatedBuildsOf([pkg({ build: ENSURE_BUILT_SCRIPT })]).map((b) => b.name)).toEqual(['p'])
    await writeFile(join(dir, 'src', 'extra.ts'), '')
    expect(() => generatedBuildsOf([pkg({ build: ENSURE_BUILT_SCRIPT })])).toThrow(/p: src\/extra\.ts: a generated package's own code is src\/index\.ts/)
  })

  it('finds sources whose .js or .d.ts is missing or older', async () => {
    const dir = await fakePackage({
      'src/index.ts': '',
      'src/generated/a.ts': '',
      'src/generated/b.ts': '',
      'dist/index.js': '',
      'dist/index.d.ts': '',
      'dist/generated/a.js': '',
      'dist/generated/a.d.ts': '',
      'dist/generated/b.js': '',
    })
    expect(staleOutputs(dir)).toEqual([join('generated', 'b.ts')])
    await writeFile(join(dir, 'dist/generated/b.d.ts'), '')
    expect(staleOutputs(dir)).toEqual([])
    const later = new Date(Date.now() + 60_000)
    await utimes(join(dir, 'src/index.ts'), later, later)
    expect(staleOutputs(dir)).toEqual(['index.ts'])
  })

  it('compiles a package whose dist/ is stale, and leaves a fresh one alone', async () => {
    const config = { compilerOptions: { rootDir: 'src', outDir: 'dist', declaration: true, module: 'NodeNext', types: [], lib: ['ES2022'] }, include: ['src'] }
    const dir = await fakePackage({ 'src/index.ts': 'export const answer: number = 42\n', 'tsconfig.build.json': JSON.stringify(config) })
    const lines = []
    expect(await ensureBuilt(dir, { log: (line) => lines.push(line) })).toBe(0)
    expect(lines[0]).toMatch(/dist\/ is missing or older than src\/index\.ts: compiling this package alone/)
    expect(staleOutputs(dir)).toEqual([])
    const before = lines.length
    expect(await ensureBuilt(dir, { log: (line) => lines.push(line) })).toBe(0)
    expect(lines.length).toBe(before)
  })
})
