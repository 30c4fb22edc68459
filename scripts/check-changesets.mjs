#!/usr/bin/env node
// CI gate: every change to a published package (under packages/, and contract-tests/) comes with a changeset.
//
//   node scripts/check-changesets.mjs            (root: `pnpm changeset:check`, part of `pnpm test`)
//
// Base to compare against: $CHANGESET_BASE, else the merge-base with origin/main, else HEAD~1; with
// no history to compare (a single-commit or depth-1 clone) the check is skipped with a message.
// Runs `changeset status --since=<base>` (valid changesets, config and release plan; it fails when
// packages changed and no changeset exists at all), then checks per package: each published package
// under packages/ with a changed file since the base (committed, staged, unstaged or untracked) must
// be named by a changeset added or edited since the base. A release commit (its package.json version
// changed) and an empty changeset (`changeset add --empty`: "no release needed") also pass.
// Then per spec: each specs/<id>.openapi.yaml changed since the base is classified with
// api-smart-diff (scripts/spec-diff.mjs: breaking -> major, additive -> minor, docs -> patch), and
// the check fails when the new changesets bump its provider package lower than that, empty changeset
// or not.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)

function git(args, cwd) {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  return { ok: r.status === 0, out: (r.stdout ?? '').trim(), err: (r.stderr ?? '').trim() }
}

/** The ref to compare against, or null (with the reason) when there is no history to compare. */
export function resolveBase(cwd, env = process.env) {
  if (env.CHANGESET_BASE) {
    if (!git(['rev-parse', '--verify', '--quiet', `${env.CHANGESET_BASE}^{commit}`], cwd).ok) {
      throw new Error(`CHANGESET_BASE=${env.CHANGESET_BASE} is not a commit in this repository`)
    }
    return { base: env.CHANGESET_BASE, why: 'CHANGESET_BASE' }
  }
  if (git(['rev-parse', '--verify', '--quiet', 'origin/main^{commit}'], cwd).ok) {
    const mb = git(['merge-base', 'origin/main', 'HEAD'], cwd)
    if (mb.ok && mb.out) return { base: mb.out, why: 'merge-base with origin/main' }
  }
  if (git(['rev-parse', '--verify', '--quiet', 'HEAD~1^{commit}'], cwd).ok) return { base: 'HEAD~1', why: 'HEAD~1 (no origin/main)' }
  return { base: null, why: 'no origin/main and no parent commit (single-commit or shallow clone): nothing to compare against' }
}

/** Files changed since `base`: committed after it, staged, unstaged and untracked. */
function changedFiles(cwd, base) {
  const diff = git(['diff', '--name-only', '--no-renames', base], cwd)
  if (!diff.ok) throw new Error(`git diff ${base} failed: ${diff.err}`)
  const untracked = git(['ls-files', '--others', '--exclude-standard'], cwd)
  return [...new Set([...diff.out.split('\n'), ...untracked.out.split('\n')].filter(Boolean))]
}

function readJsonAt(cwd, ref, file) {
  const r = git(['show', `${ref}:${file}`], cwd)
  if (!r.ok) return undefined
  try {
    return JSON.parse(r.out)
  } catch {
    return undefined
  }
}

/** Frontmatter of a changeset file: package name -> bump; {} for an empty changeset. */
export function parseChangeset(text) {
  const m = /^---\r?\n([\s\S]*?)\r?\n?---/.exec(text)
  if (!m) return null
  const releases = {}
  for (const line of m[1].split(/\r?\n/)) {
    const r = /^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch|none)\s*$/.exec(line)
    if (r) releases[r[1].trim()] = r[2]
  }
  return releases
}

const SPEC_FILE = /^specs\/([^/]+)\.openapi\.yaml$/

/**
 * Name of the package generated from specs/<id>.openapi.yaml (packages/<id>/), or null when there is
 * none to release (not created yet, removed with its spec, or private): the package check covers those.
 */
function providerPackageOf(cwd, id) {
  const file = join(cwd, 'packages', id, 'package.json')
  if (!existsSync(file)) return null
  const pkg = JSON.parse(readFileSync(file, 'utf8'))
  return pkg.private ? null : pkg.name
}

/** One message per changed spec whose provider package is bumped lower than the spec change needs. */
export async function checkSpecBumps({ cwd, base, files, declared, log = console.log }) {
  const specs = files.map((f) => [f, SPEC_FILE.exec(f)?.[1]]).filter(([, id]) => id)
  if (!specs.length) return []
  // Loaded only when a spec changed: the diff library takes a second or two per spec.
  const { bumpRank, classifySpecText, formatChanges, maxBump } = await import('./spec-diff.mjs')
  const problems = []
  for (const [file, id] of specs.sort()) {
    const name = providerPackageOf(cwd, id)
    if (!name) continue
    const before = git(['show', `${base}:${file}`], cwd)
    const afterPath = join(cwd, file)
    const { bump, changes } = classifySpecText(before.ok ? before.out : null, existsSync(afterPath) ? readFileSync(afterPath, 'utf8') : null)
    if (!bump) continue
    const given = declared.get(name) ?? []
    const have = maxBump(given.map((g) => g.bump))
    log(`${file} changed since ${base}: ${bump} (api-smart-diff); ${name} is bumped ${have ?? 'nowhere'}.`)
    if (bumpRank(have) >= bumpRank(bump)) continue
    const shown = changes.filter((c) => c.bump === bump)
    problems.push(
      [
        `${file} changed since ${base} and the change is ${bump}, but ${name} is bumped ${have ? `only ${have} (${given.map((g) => g.file).join(', ')})` : 'by no changeset'}.`,
        `The ${bump} changes:`,
        formatChanges(shown, { limit: 20 }),
        `Fix: run \`pnpm spec:update ${id} --base ${base}\` (it writes a changeset with the right bump), or set \`"${name}": ${bump}\` in the changeset's frontmatter; then commit the changeset.`,
      ].join('\n'),
    )
  }
  return problems
}

export async function checkChangesets({ cwd = process.cwd(), env = process.env, log = console.log, error = console.error } = {}) {
  const root = git(['rev-parse', '--show-toplevel'], cwd)
  if (!root.ok) {
    log('changeset check skipped: not a git repository')
    return 0
  }
  cwd = root.out
  const { base, why } = resolveBase(cwd, env)
  if (!base) {
    log(`changeset check skipped: ${why}. Set CHANGESET_BASE=<ref> to check against a base.`)
    return 0
  }
  log(`changeset check against ${base} (${why})`)

  // 1. changesets' own status: config, changeset files, release plan. It sees committed and staged
  // changesets only, and fails a release commit (`changeset version` deletes the changesets), so its
  // "no changesets were found" verdict is re-decided per package below; any other failure stands.
  const bin = join(dirname(require.resolve('@changesets/cli/package.json')), 'bin.js')
  const st = spawnSync(process.execPath, [bin, 'status', `--since=${base}`], { cwd, encoding: 'utf8' })
  const statusOut = `${st.stdout ?? ''}${st.stderr ?? ''}`.trim()
  const noChangesets = st.status !== 0 && /no changesets were found/.test(statusOut)
  if (st.status !== 0 && !noChangesets) {
    error(statusOut)
    error(`changeset status --since=${base} failed.`)
    return 1
  }

  // 2. per package: every changed published package under packages/ is named by a new changeset.
  const files = changedFiles(cwd, base)
  // The published contract tests live at the root (contract-tests/), every other package under packages/.
  const dirOf = (f) => (f.startsWith('contract-tests/') ? 'contract-tests' : f.split('/').slice(0, 2).join('/'))
  const changedDirs = new Set(files.filter((f) => /^(packages\/[^/]+|contract-tests)\//.test(f)).map(dirOf))
  const newChangesets = files.filter((f) => /^\.changeset\/[^/]+\.md$/.test(f) && f !== '.changeset/README.md' && existsSync(join(cwd, f)))
  const covered = new Set()
  const declared = new Map() // package name -> [{ bump, file }]
  let emptyChangeset = null
  for (const f of newChangesets) {
    const releases = parseChangeset(readFileSync(join(cwd, f), 'utf8'))
    if (!releases) continue
    if (Object.keys(releases).length === 0) emptyChangeset = f
    for (const [name, bump] of Object.entries(releases)) {
      covered.add(name)
      declared.set(name, [...(declared.get(name) ?? []), { bump, file: f }])
    }
  }

  // 3. per spec: the provider package's bump is at least the spec change's classification.
  const specProblems = await checkSpecBumps({ cwd, base, files, declared, log })
  if (specProblems.length) {
    error(specProblems.join('\n\n'))
    return 1
  }

  const missing = []
  for (const dir of [...changedDirs].sort()) {
    const pkgFile = join(cwd, dir, 'package.json')
    if (!existsSync(pkgFile)) continue // package removed
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'))
    if (pkg.private || !pkg.name) continue
    if (covered.has(pkg.name)) continue
    const before = readJsonAt(cwd, base, `${dir}/package.json`)
    if (before && before.version !== pkg.version) continue // a release (`changeset version`) commit
    missing.push(`${pkg.name} (${dir})`)
  }
  if (missing.length && emptyChangeset) {
    log(`no release needed for ${missing.join(', ')}: empty changeset ${emptyChangeset}`)
    return 0
  }
  if (missing.length) {
    error(`These packages changed since ${base} without a changeset:\n  ${missing.join('\n  ')}`)
    error('Run `pnpm changeset` (or `pnpm changeset add --empty` when no release is needed) and commit the file in .changeset/.')
    return 1
  }
  if (noChangesets) log(`(changeset status found no committed changeset; covered by the changesets in the working tree or by a release)`)
  log(
    `changeset check passed: ${changedDirs.size ? [...changedDirs].sort().join(', ') : 'no package under packages/'} changed; ${newChangesets.length} new changeset(s).`,
  )
  return 0
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = await checkChangesets()
  } catch (e) {
    console.error(`changeset check: ${e instanceof Error ? e.message : String(e)}`)
    process.exitCode = 1
  }
}
