// A merged view of one schema location ($ref and allOf folded in) and valid-value synthesis.
import { deref, getAt, toPointer } from './spec.mjs'

/** Keywords that constrain an instance. Everything else (description, default, examples...) is annotation. */
export const SUPPORTED_CONSTRAINTS = [
  'type',
  'enum',
  'const',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'required',
  'additionalProperties',
  'oneOf',
  'anyOf',
]
/** Constraint keywords the generator has no violation strategy for: they show up as gaps in the report. */
export const UNSUPPORTED_CONSTRAINTS = [
  'not',
  'if',
  'dependentRequired',
  'dependentSchemas',
  'minProperties',
  'maxProperties',
  'propertyNames',
  'patternProperties',
  'contains',
  'minContains',
  'maxContains',
  'prefixItems',
  'unevaluatedProperties',
  'unevaluatedItems',
]

/** Keywords merged as-is into a schema view: the constraints that are not structural, plus annotations. */
const STRUCTURAL = new Set(['required', 'oneOf', 'anyOf'])
const SCALAR_KEYWORDS = [...SUPPORTED_CONSTRAINTS.filter((keyword) => !STRUCTURAL.has(keyword)), 'default', 'examples', 'example', ...UNSUPPORTED_CONSTRAINTS]

/**
 * The schema at `at`, with `$ref` (and its siblings) and `allOf` merged into one view whose
 * properties / items / union members are locations, so callers can descend and compile them.
 * @param {any} doc
 * @param {import('./types.js').Segments} at
 * @returns {import('./types.js').SchemaView}
 */
export function schemaView(doc, at) {
  const parts = []
  const collect = (node, segments, depth) => {
    if (depth > 30) throw new Error(`schema nesting too deep at ${toPointer(segments)}`)
    if (node === true || node === undefined) return
    if (node === false) {
      parts.push({ node: { not: {} }, at: segments })
      return
    }
    if (typeof node.$ref === 'string') {
      const target = deref(doc, { $ref: node.$ref }, segments)
      collect(target.node, target.segments, depth + 1)
    }
    parts.push({ node, at: segments })
    ;(node.allOf ?? []).forEach((member, i) => collect(member, [...segments, 'allOf', i], depth + 1))
  }
  collect(getAt(doc, at), at, 0)

  /** @type {import('./types.js').SchemaView} */
  const view = { at, parts: parts.map((p) => p.at), properties: {}, required: [], keywordAt: {}, types: [] }
  for (const { node, at: partAt } of parts) {
    for (const key of SCALAR_KEYWORDS) {
      if (node[key] !== undefined && view[key] === undefined) {
        view[key] = node[key]
        view.keywordAt[key] = partAt
      }
    }
    for (const name of Object.keys(node.properties ?? {})) {
      if (!view.properties[name]) view.properties[name] = [...partAt, 'properties', name]
    }
    for (const name of node.required ?? []) if (!view.required.includes(name)) view.required.push(name)
    if (node.items !== undefined && !view.items) view.items = [...partAt, 'items']
    for (const union of ['oneOf', 'anyOf']) {
      if (Array.isArray(node[union]) && !view[union]) view[union] = node[union].map((_, i) => [...partAt, union, i])
    }
    if (node.discriminator && !view.discriminator) view.discriminator = node.discriminator
  }
  if (view.required.length) view.keywordAt.required = parts.find((p) => p.node.required)?.at
  if (view.additionalProperties !== undefined && typeof view.additionalProperties === 'object') {
    view.additionalPropertiesAt = [...view.keywordAt.additionalProperties, 'additionalProperties']
  }
  view.types = typesOf(view)
  return view
}

export function typesOf(view) {
  if (view.type !== undefined) return Array.isArray(view.type) ? view.type : [view.type]
  if (view.const !== undefined) return [jsonType(view.const)]
  if (Array.isArray(view.enum) && view.enum.length) return [...new Set(view.enum.map(jsonType))]
  if (Object.keys(view.properties).length || view.required.length || view.additionalProperties !== undefined) return ['object']
  if (view.items) return ['array']
  return []
}

export function jsonType(value) {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

export const FORMAT_SAMPLES = {
  uri: 'https://example.com/image.png',
  'uri-reference': 'https://example.com/image.png',
  url: 'https://example.com/image.png',
  iri: 'https://example.com/image.png',
  email: 'user@example.com',
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  time: '00:00:00Z',
  duration: 'P1D',
  uuid: '123e4567-e89b-12d3-a456-426614174000',
  hostname: 'example.com',
  ipv4: '127.0.0.1',
  ipv6: '::1',
  byte: 'YmFuYW5h',
  regex: '^banana$',
  'json-pointer': '/banana',
}

/**
 * A valid value for the schema at `at`, built from the schema: required fields only (or every field
 * with `full`), the first enum value, a short string, a URI for `format: uri`; falls back on the
 * schema's own default / examples when the synthesized value does not validate (patterns).
 * @param {{ doc: any }} spec
 * @param {{ isValid(at: any[], value: unknown): boolean }} validator
 */
export function buildValid(spec, validator, at, { full = false } = {}, depth = 0) {
  if (depth > 20) throw new Error(`${spec.id}: schema too deep to build a value at ${toPointer(at)}`)
  const view = schemaView(spec.doc, at)
  const candidates = []
  const union = view.oneOf ?? view.anyOf
  if (union) {
    for (const member of union) {
      try {
        candidates.push(buildValid(spec, validator, member, { full }, depth + 1))
      } catch {
        // try the next member
      }
    }
  }
  if (view.const !== undefined) candidates.push(view.const)
  if (Array.isArray(view.enum) && view.enum.length) candidates.push(view.enum[0])
  const types = view.types.length ? view.types : ['string']
  for (const type of types) {
    const value = synthesize(spec, validator, view, type, full, depth)
    if (value !== NONE) candidates.push(value)
  }
  if (view.default !== undefined) candidates.push(view.default)
  if (Array.isArray(view.examples)) candidates.push(...view.examples)
  if (view.example !== undefined) candidates.push(view.example)
  for (const candidate of candidates) if (validator.isValid(at, candidate)) return clone(candidate)
  throw new Error(`${spec.id}: cannot build a valid value for ${toPointer(at)} (tried ${candidates.length} candidates)`)
}

const NONE = Symbol('none')

function synthesize(spec, validator, view, type, full, depth) {
  switch (type) {
    case 'string': {
      if (view.format && FORMAT_SAMPLES[view.format]) return FORMAT_SAMPLES[view.format]
      const min = view.minLength ?? 0
      const max = view.maxLength ?? Infinity
      return 'banana'.padEnd(Math.max(min, 1), 'a').slice(0, Math.max(max, 0))
    }
    case 'integer':
    case 'number': {
      if (view.minimum !== undefined) return view.minimum
      if (view.exclusiveMinimum !== undefined) return Math.floor(view.exclusiveMinimum) + 1
      if (view.maximum !== undefined && view.maximum < 1) return view.maximum
      return 1
    }
    case 'boolean':
      return false
    case 'null':
      return null
    case 'array': {
      if (!view.items) return []
      const count = full ? Math.max(view.minItems ?? 0, 1) : (view.minItems ?? 0)
      const item = count > 0 ? buildValid(spec, validator, view.items, { full }, depth + 1) : undefined
      return Array.from({ length: count }, () => clone(item))
    }
    case 'object': {
      const value = {}
      for (const [name, propAt] of Object.entries(view.properties)) {
        if (full || view.required.includes(name)) value[name] = buildValid(spec, validator, propAt, { full }, depth + 1)
      }
      for (const name of view.required) if (!(name in value)) value[name] = 'banana'
      return value
    }
    default:
      return NONE
  }
}

export function clone(value) {
  return value === undefined ? undefined : structuredClone(value)
}

export function setAt(target, path, value) {
  if (path.length === 0) return value
  const root = clone(target)
  let node = root
  for (let i = 0; i < path.length - 1; i++) node = node[path[i]]
  node[path[path.length - 1]] = value
  return root
}

export function deleteAt(target, path) {
  const root = clone(target)
  let node = root
  for (let i = 0; i < path.length - 1; i++) node = node[path[i]]
  delete node[path[path.length - 1]]
  return root
}

export function valueAt(target, path) {
  let node = target
  for (const s of path) node = node?.[s]
  return node
}

/** Instance path (`['input', 'image_urls', 0]`) as ajv reports it (`/input/image_urls/0`). */
export function instancePointer(path) {
  return toPointer(path)
}
