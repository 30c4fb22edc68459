// A new user's install: every published package packed (pnpm pack, which turns `workspace:^` into a
// version range), the tarballs installed with npm in a folder outside the workspace, and their public
// types compiled the way apps do: `module: nodenext` and `moduleResolution: bundler`, `lib: ["ES2022"]`
// (no DOM), `skipLibCheck: false`, Node's types only.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { entryPoints, exec, publishedPackages, repo } from '../src/packed.js'

const packages = publishedPackages()
let app: string
const tarballs = new Map<string, string>()

/** Entries that import a peer the user brings only for that entry (`./testing` needs vitest). */
const PEER_ONLY_ENTRIES = new Set(['@nano-banana/runtime/testing'])

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'nb-packed-'))
  for (const pkg of packages) {
    const packed = await exec('pnpm', ['pack', '--pack-destination', app], pkg.dir)
    expect(packed.code, packed.stderr).toBe(0)
    tarballs.set(pkg.name, packed.stdout.trim().split('\n').at(-1)!.trim())
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'nb-packed-app', private: true, type: 'module' }))
  const versions = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).devDependencies as Record<string, string>
  // @types/json-schema: @ai-sdk/provider's (and so `ai`'s) declarations import 'json-schema' types
  // without depending on them; every strict app using `ai` with skipLibCheck false installs it.
  const installed = await exec(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      ...tarballs.values(),
      `typescript@${versions.typescript}`,
      `@types/node@${versions['@types/node']}`,
      '@types/json-schema@7.0.15',
    ],
    app,
  )
  expect(installed.code, installed.stderr).toBe(0)
}, 300_000)

afterAll(() => {
  if (app) rmSync(app, { recursive: true, force: true })
})

describe('packed tarballs installed with npm outside the workspace', () => {
  it('every tarball carries the MIT LICENSE, and a manifest without workspace: ranges, dev-only scripts or dev dependencies', async () => {
    const license = readFileSync(join(repo, 'LICENSE'), 'utf8')
    expect(license).toMatch(/^MIT License/)
    for (const pkg of packages) {
      const listed = await exec('tar', ['-xzOf', tarballs.get(pkg.name)!, 'package/LICENSE'], app)
      expect(listed.stdout, pkg.name).toBe(license)
      const manifest = JSON.parse(readFileSync(join(app, 'node_modules', pkg.name, 'package.json'), 'utf8'))
      expect(manifest.license, pkg.name).toBe('MIT')
      // Build and test scripts, and devDependencies naming private workspace packages, stay in the repo (.pnpmfile.mjs).
      expect(manifest.scripts, pkg.name).toBeUndefined()
      expect(manifest.devDependencies, pkg.name).toBeUndefined()
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
        for (const [dep, range] of Object.entries<string>(manifest[field] ?? {})) {
          expect(range, `${pkg.name} ${field} ${dep}`).not.toMatch(/^workspace:/)
          // Ranges, so that an app's own copy of a shared dependency is reused.
          expect(range, `${pkg.name} ${field} ${dep}`).not.toMatch(/^\d+\.\d+\.\d+$/)
        }
      }
    }
  })

  it('@nano-banana/ai-sdk brings a supported `ai` (peer ^6), and npm refuses to install it with `ai` 5', async () => {
    const ai = JSON.parse(readFileSync(join(app, 'node_modules', 'ai', 'package.json'), 'utf8')).version as string
    expect(ai).toMatch(/^6\./)
    // A fresh app asking for ai@5 next to the tarballs: the peer range stops it at install time.
    const fresh = mkdtempSync(join(tmpdir(), 'nb-ai5-'))
    try {
      writeFileSync(join(fresh, 'package.json'), JSON.stringify({ name: 'nb-ai5', private: true }))
      const five = await exec('npm', ['install', '--dry-run', '--no-audit', '--no-fund', 'ai@5', ...tarballs.values()], fresh)
      expect(five.code).not.toBe(0)
      expect(five.stderr).toMatch(/ERESOLVE/)
    } finally {
      rmSync(fresh, { recursive: true, force: true })
    }
  })

  const entries = packages.flatMap((pkg) => entryPoints(pkg)).filter((entry) => !PEER_ONLY_ENTRIES.has(entry))

  it.each([
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ])('the public types of every entry compile with %s resolution, lib ES2022 (no DOM), skipLibCheck false', async (name, resolution) => {
    expect(entries.length).toBeGreaterThan(packages.length)
    const source = entries.map((entry, i) => `import * as entry${i} from '${entry}'\nexport type Entry${i} = typeof entry${i}\n`).join('')
    writeFileSync(join(app, `entries-${name}.ts`), source)
    const tsconfig = {
      compilerOptions: { ...resolution, target: 'ES2022', lib: ['ES2022'], types: ['node'], strict: true, skipLibCheck: false, noEmit: true },
      files: [`entries-${name}.ts`],
    }
    writeFileSync(join(app, `tsconfig.${name}.json`), JSON.stringify(tsconfig))
    const tsc = await exec(join(app, 'node_modules', '.bin', 'tsc'), ['-p', `tsconfig.${name}.json`], app)
    expect(tsc.stdout + tsc.stderr).toBe('')
    expect(tsc.code).toBe(0)
  })
})
