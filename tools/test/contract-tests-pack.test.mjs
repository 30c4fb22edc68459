// "Done when" of issue 14: the published contract tests work outside the monorepo. The package is
// packed with `pnpm pack` (as it would be published: bundled, its specs inside, regular dependencies),
// installed with npm into a temporary folder outside the repository, and its bin is run for one
// provider in mock mode: it must pass and list its checks; against a spec whose answers break it, it
// must fail. Slow (an npm install of Prism), so under `pnpm test:integration`.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listProviders } from '@nano-banana/codegen'
import YAML from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const work = mkdtempSync(join(tmpdir(), 'nb-contract-pack-'))
const provider = (await listProviders(join(root, 'specs')))[0]
let bin
let installedSpec

const run = (cwd, args) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 300_000 })

beforeAll(() => {
  execFileSync('pnpm', ['pack', '--pack-destination', work], { cwd: join(root, 'contract-tests'), stdio: 'pipe' })
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'outside-the-repo', private: true, type: 'module' }))
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `./${tarball}`], { cwd: work, stdio: 'pipe', timeout: 600_000 })
  const installed = join(work, 'node_modules', '@nano-banana', 'contract-tests')
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'))
  bin = join(installed, manifest.bin['nano-banana-contract-tests'])
  installedSpec = join(installed, 'specs', `${provider}.openapi.yaml`)
}, 900_000)
afterAll(() => rmSync(work, { recursive: true, force: true }), 120_000)

describe(`packed @nano-banana/contract-tests, installed with npm outside the repository (${provider})`, () => {
  it('ships the specs as they are in specs/, and no workspace dependency', () => {
    const installed = join(work, 'node_modules', '@nano-banana', 'contract-tests')
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'))
    for (const file of readdirSync(join(root, 'specs')).filter((f) => f.endsWith('.openapi.yaml'))) {
      expect(readFileSync(join(installed, 'specs', file), 'utf8')).toBe(readFileSync(join(root, 'specs', file), 'utf8'))
    }
    expect(Object.values(manifest.dependencies).filter((range) => range.startsWith('workspace:'))).toEqual([])
    expect(Object.keys(manifest.dependencies)).toContain('@stoplight/prism-cli')
    expect(manifest.private).toBeUndefined()
  })

  it('mock mode passes: exit 0, a report that lists its checks', () => {
    const result = run(work, ['--provider', provider])
    expect(result.status, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`^${provider} \\(mock, `, 'm'))
    for (const kind of ['example', 'request', 'response']) expect(result.stdout).toMatch(new RegExp(`^  ${kind}: (\\d+)/\\1 passed$`, 'm'))
    const [, total, passed, failed] = /(\d+) checks, (\d+) passed, (\d+) failed/.exec(result.stdout)
    expect(Number(total)).toBeGreaterThan(10)
    expect([Number(passed), Number(failed)]).toEqual([Number(total), 0])
  }, 300_000)

  it('a spec the answers break fails: exit 1, the failed checks named', () => {
    // Every 2xx JSON answer of the spec must now carry a property none of its examples has.
    const doc = YAML.parse(readFileSync(installedSpec, 'utf8'))
    const at = (ref) =>
      ref
        .slice(2)
        .split('/')
        .reduce((node, key) => node[key], doc)
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item)) {
        for (const [code, raw] of Object.entries(op?.responses ?? {})) {
          const response = raw.$ref ? at(raw.$ref) : raw
          const media = response.content?.['application/json']
          if (code.startsWith('2') && media?.schema) media.schema = { allOf: [media.schema, { required: ['x_contract_test_missing'] }] }
        }
      }
    }
    const broken = join(work, 'broken.openapi.yaml')
    writeFileSync(broken, YAML.stringify(doc))
    const result = run(work, ['--provider', provider, '--spec', broken])
    expect(result.status, result.stdout + result.stderr).toBe(1)
    expect(result.stdout).toMatch(/^ {2}FAIL (response|prism response) .*x_contract_test_missing/m)
    expect(Number(/(\d+) failed/.exec(result.stdout)[1])).toBeGreaterThan(0)
  }, 300_000)

  it('bad usage: exit 2 with the provider list', () => {
    const result = run(work, ['--provider', 'not-a-provider'])
    expect(result.status).toBe(2)
    expect(result.stderr).toContain(provider)
  })
})
