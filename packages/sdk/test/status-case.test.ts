// Status words match whatever their case, in the spec and on the wire: the table is normalized once when
// the reader is built, so a spec writing `IN_QUEUE` and an answer saying `in_queue` (or the reverse) agree.
import { describe, expect, it } from 'vitest'
import { NanoBananaError, providers, ResponseFormatError, type Task } from '../src/index.js'
import { defineProvider, type ProviderDefinition } from '../src/define-provider.js'
import { checkStatusWords, statusReader } from '../src/parse.js'
import { FIXTURES, ids, successExample } from './support.js'

const response = () => new Response(null, { status: 200 })
const wordsOf = (id: (typeof ids)[number]) => Object.entries(providers[id].meta!.statusWords ?? {})
/** The task providers whose spec writes some status word with capitals (read from the meta, not named here). */
const capitalized = ids.filter((id) => wordsOf(id).some(([word]) => word !== word.toLowerCase()))

it('some provider writes its status words with capitals (else this file tests nothing)', () => {
  expect(capitalized.length).toBeGreaterThan(0)
})

describe.each(ids)('%s: a status word in any case', (id) => {
  const fixture = FIXTURES[id]
  const template = () => fixture.withId(successExample(id, 'getImageTask', fixture.sequence.at(-1)!), 'task-1')
  const parse = (word: string) => {
    const body = template()
    const { holder, key } = fixture.statusOf(body)
    holder[key] = word
    return providers[id].parseTask(body, response())
  }

  it.each(wordsOf(id))('%s -> %s, as the spec writes it, lowercased and uppercased', (word, status) => {
    for (const variant of [word, word.toLowerCase(), word.toUpperCase()]) {
      const task = parse(variant)
      expect(task, variant).not.toBeInstanceOf(NanoBananaError)
      expect((task as Task).status, variant).toBe(status)
    }
  })
})

describe('statusReader', () => {
  const id = capitalized[0]!
  const table = providers[id].meta!.statusWords ?? {}
  const read = statusReader(id, table)

  it(`${id}: every word of the table, in mixed case`, () => {
    for (const [word, status] of Object.entries(table)) {
      const mixed = [...word].map((c, i) => (i % 2 ? c.toLowerCase() : c.toUpperCase())).join('')
      expect(read(mixed, {})).toBe(status)
    }
  })

  it('an unknown word is a ResponseFormatError (code unknown_status) listing the words as the spec writes them', () => {
    const error = (() => {
      try {
        read('exploded', { status: 'exploded' })
      } catch (e) {
        return e
      }
    })() as ResponseFormatError
    expect(error).toBeInstanceOf(ResponseFormatError)
    expect(error.code).toBe('unknown_status')
    for (const word of Object.keys(table)) expect(error.message).toContain(word)
    for (const word of [undefined, null, 3, '']) expect(() => read(word, {})).toThrow(ResponseFormatError)
  })

  it('a table with two words differing only in case that mean different things is refused by defineProvider', async () => {
    expect(() => checkStatusWords(id, { Done: 'succeeded', DONE: 'failed' })).toThrow(/differ only in case/)
    expect(() => checkStatusWords(id, { Done: 'succeeded', DONE: 'succeeded' })).not.toThrow()
    expect(statusReader(id, { Done: 'succeeded', DONE: 'succeeded' })('done', {})).toBe('succeeded')
    const { definition } = (await import(`../src/providers/${id}.ts`)) as { definition: ProviderDefinition }
    expect(() => defineProvider(definition)).not.toThrow()
    const statusWords = { ...definition.meta.statusWords, Done: 'succeeded', DONE: 'failed' } as const
    expect(() => defineProvider({ ...definition, meta: { ...definition.meta, statusWords } })).toThrow(/differ only in case/)
  })

  it('inherited object keys are no status words', () => {
    for (const word of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(() => read(word, {})).toThrow(ResponseFormatError)
  })
})
