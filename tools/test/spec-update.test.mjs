// pnpm spec:update and the changeset check on real specs: a temporary git repository holds copies of
// specs/ and of every packages/*/package.json; the tests edit one spec there the way a maintainer would
// and check the classification, the changeset written and `pnpm changeset:check`.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listProviders } from '@nano-banana/codegen'
import YAML from 'yaml'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { classifyProvider, describeClassification, packagesOf, timestamp, writeSpecChangeset } from '../../scripts/spec-update.mjs'
import { checkChangesets, parseChangeset } from '../../scripts/check-changesets.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
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

/** A repository like this one, reduced to what spec:update and the check read, with one commit. */
function fixture() {
  const cwd = mkdtempSync(join(tmpdir(), 'spec-update-'))
  dirs.push(cwd)
  git(cwd, 'init', '-q', '-b', 'main')
  write(cwd, 'package.json', JSON.stringify({ name: 'fixture-root', private: true }))
  write(cwd, 'pnpm-workspace.yaml', 'packages:\n  - packages/*\n')
  cpSync(join(root, '.changeset/config.json'), join(cwd, '.changeset/config.json'))
  write(cwd, '.changeset/README.md', '# Changesets\n')
  cpSync(join(root, 'specs'), join(cwd, 'specs'), { recursive: true })
  for (const dir of readdirSync(join(root, 'packages'))) {
    const file = join('packages', dir, 'package.json')
    try {
      write(cwd, file, readFileSync(join(root, file), 'utf8'))
    } catch {
      // not a package folder
    }
  }
  git(cwd, 'add', '-A')
  git(cwd, 'commit', '-q', '-m', 'initial')
  return cwd
}

const resolveRef = (doc, node) =>
  node?.$ref
    ? resolveRef(
        doc,
        node.$ref
          .slice(2)
          .split('/')
          .reduce((n, k) => n[k], doc),
      )
    : node

/**
 * The first provider (in listProviders order) with a request model whose aspect-ratio field (the
 * spec's own `x-options.aspectRatio`) is an enum: the field name, the model schema and the enum.
 */
async function aspectRatioTarget() {
  for (const provider of await listProviders(join(root, 'specs'))) {
    const text = readFileSync(join(root, 'specs', `${provider}.openapi.yaml`), 'utf8')
    const doc = YAML.parse(text)
    const field = doc['x-options']?.aspectRatio?.[0]?.split('.').pop()
    for (const [model, schema] of Object.entries(doc.components?.schemas ?? {})) {
      const values = resolveRef(doc, schema.properties?.[field])
      if (field && Array.isArray(values?.enum) && values.enum.length > 1) return { provider, field, model, values }
    }
  }
  throw new Error('no spec has an aspect-ratio enum in a request model')
}

/** Rewrites the fixture's spec with `edit(doc, target)` applied; returns the value it touched. */
function editSpec(cwd, target, edit) {
  const file = join(cwd, 'specs', `${target.provider}.openapi.yaml`)
  const doc = YAML.parse(readFileSync(file, 'utf8'))
  const out = edit(doc, doc.components.schemas[target.model])
  writeFileSync(file, YAML.stringify(doc))
  return out
}

// The model's own aspect-ratio enum, inlined so that the edit touches this one model only.
const ownEnum = (doc, model, target) => (model.properties[target.field] = { ...structuredClone(resolveRef(doc, model.properties[target.field])) })
const NEW_FIELD = 'nb_test_seed'
const addEnumValueAndField = (target) => (doc, model) => {
  const own = ownEnum(doc, model, target)
  const value = ['2:1', '5:2', '7:3'].find((v) => !own.enum.includes(v))
  own.enum.push(value)
  model.properties[NEW_FIELD] = { type: 'integer', description: 'Optional seed.' }
  return value
}
const removeEnumValue = (target) => (doc, model) => {
  const own = ownEnum(doc, model, target)
  const value = own.enum.filter((v) => v !== own.default).at(-1)
  own.enum = own.enum.filter((v) => v !== value)
  return value
}
const editDescription = () => (_doc, model) => {
  model.description = `${model.description ?? ''} Reworded by the test.`.trim()
}

const changesetOf = (file) => ({ text: readFileSync(file, 'utf8'), releases: parseChangeset(readFileSync(file, 'utf8')) })

let target
beforeAll(async () => {
  target = await aspectRatioTarget()
})

describe('pnpm spec:update: classification and changeset from a real spec', () => {
  it('a new enum value in one model plus an optional field is minor; the changeset names the enum and the field', async () => {
    const cwd = fixture()
    const value = editSpec(cwd, target, addEnumValueAndField(target))
    const classification = await classifyProvider({ root: cwd, provider: target.provider })
    expect(classification.bump).toBe('minor')
    expect(classification.changes.filter((c) => c.bump === 'major')).toEqual([])

    const { text, releases } = changesetOf(writeSpecChangeset({ root: cwd, provider: target.provider, classification }))
    const { name, dependents } = packagesOf(cwd, target.provider)
    expect(releases[name]).toBe('minor')
    expect(dependents.length).toBeGreaterThan(0)
    for (const d of dependents) expect(releases[d]).toBe('minor')
    expect(text).toContain(`specs/${target.provider}.openapi.yaml`)
    expect(text).toMatch(new RegExp(`possible values of \`([\\w.]+\\.)?${target.field}\`.*: added \`${value}\``))
    expect(text).toContain(`property \`${NEW_FIELD}\``)
  })

  it('then removing an enum value is major and listed as breaking', async () => {
    const cwd = fixture()
    editSpec(cwd, target, addEnumValueAndField(target))
    git(cwd, 'commit', '-q', '-am', 'minor spec change')
    const removed = editSpec(cwd, target, removeEnumValue(target))
    const classification = await classifyProvider({ root: cwd, provider: target.provider })
    expect(classification.bump).toBe('major')
    const breaking = classification.changes.filter((c) => c.bump === 'major')
    expect(breaking.length).toBeGreaterThan(0)
    expect(breaking.every((c) => c.type === 'breaking')).toBe(true)
    expect(breaking.map((c) => c.text)).toContainEqual(
      expect.stringMatching(new RegExp(`possible values of \`([\\w.]+\\.)?${target.field}\`.*: removed \`${removed}\``)),
    )

    const printed = describeClassification(classification)
    expect(printed).toMatch(new RegExp(`since HEAD: major \\(${breaking.length} breaking`))
    expect(printed.split('Breaking changes:\n')[1]).toContain(`removed \`${removed}\``)

    const { text, releases } = changesetOf(writeSpecChangeset({ root: cwd, provider: target.provider, classification }))
    expect(releases[packagesOf(cwd, target.provider).name]).toBe('major')
    expect(text).toContain(`removed \`${removed}\``)
  })

  it('a description-only edit is patch; an untouched spec needs no changeset', async () => {
    const cwd = fixture()
    const untouched = await classifyProvider({ root: cwd, provider: target.provider })
    expect(untouched.bump).toBe(null)
    expect(() => writeSpecChangeset({ root: cwd, provider: target.provider, classification: untouched })).toThrow(/no change/)

    editSpec(cwd, target, editDescription())
    const classification = await classifyProvider({ root: cwd, provider: target.provider })
    expect(classification.bump).toBe('patch')
    expect(classification.changes.every((c) => c.type === 'annotation')).toBe(true)
    const { releases } = changesetOf(writeSpecChangeset({ root: cwd, provider: target.provider, classification }))
    expect(releases[packagesOf(cwd, target.provider).name]).toBe('patch')
  })

  it('refuses an unknown provider and never overwrites a changeset', async () => {
    const cwd = fixture()
    await expect(classifyProvider({ root: cwd, provider: 'nope' })).rejects.toThrow(/unknown provider "nope"/)
    editSpec(cwd, target, editDescription())
    const classification = await classifyProvider({ root: cwd, provider: target.provider })
    const date = new Date()
    writeSpecChangeset({ root: cwd, provider: target.provider, classification, date })
    expect(() => writeSpecChangeset({ root: cwd, provider: target.provider, classification, date })).toThrow(/already exists/)
    expect(readdirSync(join(cwd, '.changeset')).filter((f) => f.includes('-spec-'))).toEqual([`${target.provider}-spec-${timestamp(date)}.md`])
  })
})

/** `pnpm changeset:check` in the fixture, in this process (the script's own CLI is tested in check-changesets.test.mjs). */
async function check(cwd) {
  const lines = []
  const code = await checkChangesets({ cwd, env: { ...process.env, CHANGESET_BASE: 'HEAD' }, log: (l) => lines.push(l), error: (l) => lines.push(l) })
  return { code, out: lines.join('\n') }
}

describe('pnpm changeset:check: a changed spec needs a changeset bump at least its classification', () => {
  it('fails while the bump is lower than the spec change (or missing), passes once it matches', async () => {
    const cwd = fixture()
    const pkg = JSON.parse(readFileSync(join(cwd, 'packages', target.provider, 'package.json'), 'utf8')).name
    const removed = editSpec(cwd, target, removeEnumValue(target))

    const none = await check(cwd)
    expect(none.code).toBe(1)
    expect(none.out).toMatch(new RegExp(`the change is major, but ${pkg} is bumped by no changeset`))

    write(cwd, '.changeset/spec.md', `---\n"${pkg}": minor\n---\n\nspec change\n`)
    const low = await check(cwd)
    expect(low.code).toBe(1)
    expect(low.out).toContain(`is bumped only minor (.changeset/spec.md)`)
    expect(low.out).toContain(`removed \`${removed}\``)
    expect(low.out).toContain(`pnpm spec:update ${target.provider} --base HEAD`)

    write(cwd, '.changeset/spec.md', `---\n"${pkg}": major\n---\n\nspec change\n`)
    const ok = await check(cwd)
    expect(ok.out).toMatch(/changeset check passed/)
    expect(ok.code).toBe(0)
  })

  it('a docs-only spec change passes with a patch changeset, and an empty changeset does not excuse a spec change', async () => {
    const cwd = fixture()
    const pkg = JSON.parse(readFileSync(join(cwd, 'packages', target.provider, 'package.json'), 'utf8')).name
    editSpec(cwd, target, editDescription())
    write(cwd, '.changeset/empty.md', '---\n---\n')
    expect((await check(cwd)).code).toBe(1)
    write(cwd, '.changeset/spec.md', `---\n"${pkg}": patch\n---\n\nreworded\n`)
    const ok = await check(cwd)
    expect(ok.out).toMatch(/: patch \(api-smart-diff\)/)
    expect(ok.code).toBe(0)
  })
})

describe('pnpm spec:update, the command', () => {
  const script = join(root, 'scripts/spec-update.mjs')
  const run = (...args) => spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8' })

  it('refuses an unknown provider with the list of specs, before running any step', async () => {
    const providers = await listProviders(join(root, 'specs'))
    const r = run('nope', '--dry-run')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(`usage: pnpm spec:update <${providers.join('|')}>`)
    expect(r.stdout).not.toContain('> generate')
  })

  it('--dry-run prints the classification against the committed spec and stops', () => {
    const r = run(target.provider, '--dry-run', '--base', 'HEAD')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^specs/${target.provider}\\.openapi\\.yaml(: no change since HEAD\\.| since HEAD: (major|minor|patch) )`))
    expect(r.stdout).not.toContain('> generate')
  })
})
