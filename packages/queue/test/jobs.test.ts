import { providerIds, providers } from '@nano-banana/sdk'
import { describe, expect, it } from 'vitest'
import { BatchInputError, parseJobs, validateJobs } from '../src/index.js'

const line = (value: unknown) => JSON.stringify(value)

/** The BatchInputError `fn` throws (fails the test when it throws nothing or something else). */
function inputError(fn: () => unknown): BatchInputError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(BatchInputError)
    return error as BatchInputError
  }
  throw new Error('expected a BatchInputError')
}

describe('parseJobs', () => {
  it('reads one job per line, skips blank lines, keeps only the generate options, and remembers each line', () => {
    const jobs = parseJobs(
      [line({ id: 'a', prompt: 'one' }), '', line({ id: 'b', prompt: 'two', n: 2, images: ['https://example.com/x.png'] }), '  '].join('\n'),
      'f.jsonl',
    )
    expect(jobs).toEqual([
      { id: 'a', request: { prompt: 'one' }, line: 1 },
      { id: 'b', request: { prompt: 'two', n: 2, images: ['https://example.com/x.png'] }, line: 3 },
    ])
  })

  it.each([
    ['not JSON', '{"id": "a", "prompt": ', /f\.jsonl:2: not valid JSON/],
    ['an array', '[1, 2]', /f\.jsonl:2: expected a JSON object/],
    ['no id', line({ prompt: 'x' }), /f\.jsonl:2: "id" must be a non-empty string/],
    ['a numeric id', line({ id: 7, prompt: 'x' }), /f\.jsonl:2: "id" must be a non-empty string/],
    ['an integer-looking id (BullMQ reserves them)', line({ id: '7', prompt: 'x' }), /f\.jsonl:2: "id" "7" reads as an integer/],
    ['an id with a path in it', line({ id: '../etc/passwd', prompt: 'x' }), /f\.jsonl:2: "id" .* may only use letters/],
    ['no prompt', line({ id: 'b' }), /f\.jsonl:2: "prompt" must be a non-empty string/],
    ['an unknown field', line({ id: 'b', prompt: 'x', aspect: '16:9' }), /f\.jsonl:2: unknown field "aspect"/],
    ['a fractional n', line({ id: 'b', prompt: 'x', n: 1.5 }), /f\.jsonl:2: "n" must be a whole number/],
    ['images that are not strings', line({ id: 'b', prompt: 'x', images: [1] }), /f\.jsonl:2: "images" must be an array/],
  ])('refuses %s, naming the line', (_, bad, message) => {
    const error = inputError(() => parseJobs([line({ id: 'a', prompt: 'fine' }), bad].join('\n'), 'f.jsonl'))
    expect(error.message).toMatch(message)
    expect(error.line).toBe(2)
  })

  it('refuses a duplicate id, naming both lines', () => {
    const error = inputError(() => parseJobs([line({ id: 'a', prompt: 'x' }), line({ id: 'b', prompt: 'y' }), line({ id: 'a', prompt: 'z' })].join('\n'), 'f.jsonl'))
    expect(error.message).toBe('f.jsonl:3: duplicate id "a" (first on line 1)')
  })

  it('refuses an empty file', () => {
    expect(inputError(() => parseJobs('\n\n', 'f.jsonl')).message).toMatch(/no jobs/)
  })
})

describe('validateJobs', () => {
  it.each(providerIds)('%s: refuses a job its default model cannot do, naming the line, with the SDK error', (id) => {
    const adapter = providers[id]
    const model = adapter.models[adapter.defaultModel]!
    const jobs = parseJobs([line({ id: 'ok', prompt: 'x' }), '', line({ id: 'too-many', prompt: 'x', n: model.maxN + 1 })].join('\n'), 'f.jsonl')
    const error = inputError(() => validateJobs(jobs, adapter, 'f.jsonl'))
    expect(error.message).toMatch(/^f\.jsonl:3: job "too-many": /)
    expect(error.line).toBe(3)
    expect(() => validateJobs(jobs.slice(0, 1), adapter, 'f.jsonl')).not.toThrow()
  })
})
