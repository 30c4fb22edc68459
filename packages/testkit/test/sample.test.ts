import { describe, expect, it } from 'vitest'
import { sampleByTraits } from '../src/index.js'

describe('sampleByTraits', () => {
  const traits: Record<string, readonly unknown[]> = { a: [true, 1], b: [true, 1], c: [false, 1], d: [true, 2], e: [false, 1] }
  it('keeps the first id of each distinct shape, in order', () => {
    expect(sampleByTraits(['a', 'b', 'c', 'd', 'e'], (id) => traits[id]!)).toEqual(['a', 'c', 'd'])
  })
  it('keeps every id when all shapes differ, none for no ids', () => {
    expect(sampleByTraits(['a', 'c', 'd'], (id) => traits[id]!)).toEqual(['a', 'c', 'd'])
    expect(sampleByTraits([], () => [])).toEqual([])
  })
})
