import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PROVIDERS, specChangesetText, timestamp, writeSpecChangeset } from '../../scripts/spec-update.mjs'
import { parseChangeset } from '../../scripts/check-changesets.mjs'

const dirs = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'spec-update-'))
  dirs.push(d)
  return d
}

describe('pnpm spec:update: the changeset it writes', () => {
  it('writes .changeset/<provider>-spec-<timestamp>.md with patch bumps for the provider and the sdk', () => {
    const root = tmp()
    const date = new Date('2026-11-28T08:49:20.123Z')
    const provider = PROVIDERS[0]
    const file = writeSpecChangeset({ root, provider, date, message: 'The provider documents a 4K tier.' })
    expect(file).toBe(join(root, '.changeset', `${provider}-spec-2026-11-28T08-49-20Z.md`))
    const text = readFileSync(file, 'utf8')
    expect(parseChangeset(text)).toEqual({ [`@nano-banana/${provider}`]: 'patch', '@nano-banana/sdk': 'patch' })
    expect(text).toContain(`specs/${provider}.openapi.yaml`)
    expect(text).toContain('The provider documents a 4K tier.')
  })

  it('names the spec even without a message, for every provider', () => {
    for (const p of PROVIDERS) {
      const text = specChangesetText(p)
      expect(parseChangeset(text)).toEqual({ [`@nano-banana/${p}`]: 'patch', '@nano-banana/sdk': 'patch' })
      expect(text).toContain(`Regenerated @nano-banana/${p} from the updated specs/${p}.openapi.yaml.`)
    }
  })

  it('refuses an unknown provider and never overwrites a changeset', () => {
    const root = tmp()
    expect(() => writeSpecChangeset({ root, provider: 'nope' })).toThrow(/unknown provider "nope"/)
    const date = new Date()
    const provider = PROVIDERS.at(-1)
    writeSpecChangeset({ root, provider, date })
    expect(() => writeSpecChangeset({ root, provider, date })).toThrow(/already exists/)
    expect(readdirSync(join(root, '.changeset'))).toEqual([`${provider}-spec-${timestamp(date)}.md`])
  })
})
