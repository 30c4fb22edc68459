import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const script = join(root, 'scripts/check-changesets.mjs')
const dirs = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const gitEnv = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' }
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: { ...process.env, ...gitEnv }, encoding: 'utf8' })
const write = (cwd, file, text) => {
  mkdirSync(dirname(join(cwd, file)), { recursive: true })
  writeFileSync(join(cwd, file), text)
}
const json = (v) => JSON.stringify(v, null, 2) + '\n'

/** A small monorepo like this one: a published package, a private one, the real changesets config. */
function repo({ commit = true } = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'changeset-check-'))
  dirs.push(cwd)
  git(cwd, 'init', '-q', '-b', 'main')
  write(cwd, 'package.json', json({ name: 'fixture-root', private: true }))
  write(cwd, 'pnpm-workspace.yaml', 'packages:\n  - packages/*\n')
  write(cwd, '.changeset/config.json', readFileSync(join(root, '.changeset/config.json'), 'utf8'))
  write(cwd, '.changeset/README.md', '# Changesets\n')
  write(cwd, 'packages/lib/package.json', json({ name: '@fixture/lib', version: '1.0.0' }))
  write(cwd, 'packages/lib/src/index.js', 'export const a = 1\n')
  write(cwd, 'packages/internal/package.json', json({ name: '@fixture/internal', version: '0.0.0', private: true }))
  write(cwd, 'packages/internal/src/index.js', 'export const b = 1\n')
  if (commit) {
    git(cwd, 'add', '-A')
    git(cwd, 'commit', '-q', '-m', 'initial')
  }
  return cwd
}
const commitAll = (cwd, message) => {
  git(cwd, 'add', '-A')
  git(cwd, 'commit', '-q', '-m', message)
}
function check(cwd, env = {}) {
  const e = { ...process.env, ...env }
  delete e.CHANGESET_BASE
  if (env.CHANGESET_BASE) e.CHANGESET_BASE = env.CHANGESET_BASE
  const r = spawnSync(process.execPath, [script], { cwd, env: e, encoding: 'utf8' })
  return { code: r.status, out: r.stdout + r.stderr }
}

describe('scripts/check-changesets.mjs', () => {
  it('fails on a package change without a changeset, passes once a changeset names the package', () => {
    const cwd = repo()
    write(cwd, 'packages/lib/src/index.js', 'export const a = 2\n')
    commitAll(cwd, 'change lib')
    const failed = check(cwd)
    expect(failed.code).toBe(1)
    expect(failed.out).toMatch(/HEAD~1/)

    write(cwd, '.changeset/lib-change.md', '---\n"@fixture/lib": patch\n---\n\na is 2\n')
    commitAll(cwd, 'changeset')
    // HEAD~1 now is the changeset commit alone: compare with the commit before the change.
    const passed = check(cwd, { CHANGESET_BASE: 'HEAD~2' })
    expect(passed.out).toMatch(/changeset check passed/)
    expect(passed.code).toBe(0)
  })

  it('checks uncommitted work too: a change plus its changeset in the working tree passes', () => {
    const cwd = repo()
    write(cwd, 'packages/lib/src/index.js', 'export const a = 3\n')
    expect(check(cwd, { CHANGESET_BASE: 'HEAD' }).code).toBe(1)
    write(cwd, '.changeset/lib.md', '---\n"@fixture/lib": minor\n---\n\nnew a\n')
    expect(check(cwd, { CHANGESET_BASE: 'HEAD' }).code).toBe(0)
  })

  it('a changeset for another package does not cover the changed one', () => {
    const cwd = repo()
    write(cwd, 'packages/other/package.json', json({ name: '@fixture/other', version: '1.0.0' }))
    commitAll(cwd, 'other')
    write(cwd, 'packages/lib/src/index.js', 'export const a = 4\n')
    write(cwd, 'packages/other/README.md', '# other\n')
    write(cwd, '.changeset/other.md', '---\n"@fixture/other": patch\n---\n\nreadme\n')
    commitAll(cwd, 'two changes, one changeset')
    const r = check(cwd)
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/@fixture\/lib \(packages\/lib\)/)
    expect(r.out).not.toMatch(/@fixture\/other \(/)
  })

  it('private packages, files outside packages/ and release commits need no changeset', () => {
    const cwd = repo()
    write(cwd, 'packages/internal/src/index.js', 'export const b = 2\n')
    write(cwd, 'README.md', '# docs\n')
    commitAll(cwd, 'private + docs')
    expect(check(cwd).code).toBe(0)

    write(cwd, 'packages/lib/package.json', json({ name: '@fixture/lib', version: '1.1.0' }))
    write(cwd, 'packages/lib/CHANGELOG.md', '# @fixture/lib\n\n## 1.1.0\n')
    commitAll(cwd, 'Version packages')
    expect(check(cwd).code).toBe(0)
  })

  it('an empty changeset (`changeset add --empty`) says no release is needed', () => {
    const cwd = repo()
    write(cwd, 'packages/lib/src/index.js', '// comment\nexport const a = 1\n')
    write(cwd, '.changeset/no-release.md', '---\n---\n')
    commitAll(cwd, 'comment only')
    const r = check(cwd)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/no release needed/)
  })

  it('skips with a clear message when there is no history to compare (single-commit clone)', () => {
    const cwd = repo()
    const r = check(cwd)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/skipped: no origin\/main and no parent commit/)
  })

  it('prefers the merge-base with origin/main over HEAD~1', () => {
    const cwd = repo()
    git(cwd, 'update-ref', 'refs/remotes/origin/main', 'HEAD')
    write(cwd, 'packages/lib/src/index.js', 'export const a = 5\n')
    commitAll(cwd, 'change')
    write(cwd, '.changeset/lib.md', '---\n"@fixture/lib": patch\n---\n\na is 5\n')
    commitAll(cwd, 'changeset in a second commit')
    const r = check(cwd)
    expect(r.out).toMatch(/merge-base with origin\/main/)
    expect(r.code).toBe(0)
  })

  it('rejects a CHANGESET_BASE that is not a commit', () => {
    const cwd = repo()
    const r = check(cwd, { CHANGESET_BASE: 'no-such-ref' })
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/not a commit/)
  })
})
