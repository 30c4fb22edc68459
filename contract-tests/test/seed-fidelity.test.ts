// Every status code, field, enum value and limit that the seed pages (../shared/seeds) document must
// appear in the provider's spec. The facts are copied from the seeds into each provider's fixture
// (test/providers/<id>.ts), one row per fact, so that a spec edit that drops one fails here with its name.
import { readFileSync } from 'node:fs'
import { loadSpec, resolveRef } from '@nano-banana/testkit'
import { describe, expect, it } from 'vitest'
import { withFixture } from './support/fixtures.js'

type Json = Record<string, unknown>
const load = (id: string): Json => loadSpec(id).doc as Json
const resolve = (doc: Json, node: unknown): unknown => resolveRef(doc, node)

/** Every schema reachable from `node` (through $ref, allOf/oneOf/anyOf, properties, items). */
function schemas(doc: Json, node: unknown, seen = new Set<unknown>()): Json[] {
  const schema = resolve(doc, node) as Json | undefined
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return []
  seen.add(schema)
  const out: Json[] = [schema]
  for (const key of ['allOf', 'oneOf', 'anyOf']) for (const sub of (schema[key] as unknown[]) ?? []) out.push(...schemas(doc, sub, seen))
  for (const sub of Object.values((schema.properties as Json) ?? {})) out.push(...schemas(doc, sub, seen))
  if (schema.items) out.push(...schemas(doc, schema.items, seen))
  return out
}

/** All definitions of property `name` anywhere under `root`. */
function property(doc: Json, root: unknown, name: string): Json[] {
  return schemas(doc, root).flatMap((s) => {
    const p = (s.properties as Json | undefined)?.[name]
    return p ? [resolve(doc, p) as Json, ...schemas(doc, p)] : []
  })
}

const operation = (doc: Json, path: string, method: string) => ((doc.paths as Json)[path] as Json)[method] as Json
const requestSchema = (op: Json) => (((op.requestBody as Json).content as Json)['application/json'] as Json).schema as unknown
const responseSchema = (doc: Json, op: Json, code: string) => {
  const response = resolve(doc, (op.responses as Json)[code]) as Json
  return ((response.content as Json)['application/json'] as Json).schema as unknown
}
const enumOf = (doc: Json, root: unknown, name: string) => new Set(property(doc, root, name).flatMap((s) => (s.enum as unknown[]) ?? []))
const limitsOf = (doc: Json, root: unknown, name: string, keyword: string) =>
  property(doc, root, name)
    .map((s) => s[keyword])
    .filter((v) => v !== undefined)

describe.each(withFixture('seed').map(([id, seed]) => ({ id, ...seed })))('$id spec is faithful to seed $seed', (seed) => {
  const doc = load(seed.id)
  const op = operation(doc, ...seed.create)
  const request = requestSchema(op)

  it.each(seed.statuses)('documents status %s on the create operation', (status) => {
    const direct = Object.hasOwn(op.responses as Json, status)
    // A provider may carry its codes in the JSON `code` enum as well as in HTTP statuses.
    const inBody = enumOf(doc, responseSchema(doc, op, '200'), 'code').has(Number(status))
    expect(direct || inBody).toBe(true)
  })

  it.each(seed.requestFields)('has request field %s', (field) => {
    expect(property(doc, request, field).length).toBeGreaterThan(0)
  })

  it.each(seed.responseFields ?? [])('has create response field %s', (field) => {
    expect(property(doc, responseSchema(doc, op, '200'), field).length).toBeGreaterThan(0)
  })

  it.each(seed.enums)('enum of %s includes every documented value', (field, values) => {
    const inSpec = new Set([...enumOf(doc, request, field), ...enumOf(doc, responseSchema(doc, op, '200'), field), ...enumOf(doc, doc.components, field)])
    for (const component of Object.values(((doc.components as Json).schemas as Json) ?? {})) for (const v of enumOf(doc, component, field)) inSpec.add(v)
    expect(values.filter((v) => !inSpec.has(v))).toEqual([])
  })

  it.each(seed.limits)('limit %s %s = %d', (field, keyword, value) => {
    expect(limitsOf(doc, request, field, keyword)).toContain(value)
  })
})

describe('error envelopes of the seeds', () => {
  it.each(withFixture('errorCodes'))('%s documents every string error code of its seed', (id, documented) => {
    const doc = load(id)
    const codes = new Set<unknown>()
    for (const component of Object.values((doc.components as Json).schemas as Json)) for (const v of enumOf(doc, { properties: { x: component } }, 'x')) codes.add(v)
    expect(documented.filter((c) => !codes.has(c))).toEqual([])
  })

  it.each(withFixture('errorPhrases'))('%s error examples carry the seed texts', (id, phrases) => {
    const text = readFileSync(loadSpec(id).path!, 'utf8')
    for (const phrase of phrases) expect(text).toContain(phrase)
  })
})
