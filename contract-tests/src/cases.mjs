// Contract cases generated from a spec: responses (every operation x documented code x named example),
// requests (a valid request per branch, and one request per constraint that breaks only that constraint)
// and examples (every example against its own schema). Nothing here is hand-listed per provider.
import { deref, getAt, isJsonMediaType, listOperations, toPointer } from './spec.mjs'
import { UNSUPPORTED_CONSTRAINTS, buildValid, clone, deleteAt, jsonType, schemaView, setAt, valueAt } from './schema-walk.mjs'
import { createSpecValidator } from './validator.mjs'

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/**
 * One case per (operation, documented status code) forced with `Prefer: code=NNN`, plus one per named
 * example with `Prefer: code=NNN, example=<name>`.
 * @returns {import('./types.js').ResponseCase[]}
 */
export function responseCases(spec) {
  const cases = []
  for (const op of listOperations(spec)) {
    for (const response of op.responses) {
      const status = /^\d{3}$/.test(response.code) ? Number(response.code) : undefined
      const content = response.contents.find((c) => isJsonMediaType(c.mediaType)) ?? response.contents[0]
      const base = {
        provider: spec.id,
        operationId: op.operationId,
        method: op.method,
        path: op.path,
        code: response.code,
        status,
        mediaType: content?.mediaType,
        schemaAt: content?.schemaAt,
        headers: response.headers,
        forcible: status !== undefined,
      }
      cases.push({ ...base, id: `${op.operationId} ${response.code}`, example: undefined, prefer: `code=${response.code}` })
      for (const example of content?.examples ?? []) {
        cases.push({
          ...base,
          id: `${op.operationId} ${response.code} example=${example.name}`,
          example: example.name,
          exampleValue: example.value,
          prefer: `code=${response.code}, example=${example.name}`,
        })
      }
    }
  }
  return cases
}

/** Documented (operation, code) pairs: what the response cases must cover. */
export function documentedResponseCodes(spec) {
  return listOperations(spec).flatMap((op) => op.responses.map((r) => ({ operationId: op.operationId, code: r.code })))
}

/**
 * Arguments to call an operation with through the generated SDK: path/query/header parameters from
 * their examples (or built from their schemas) and a valid body (the first named request example
 * that validates, or one built from the schema).
 * @returns {{ body?: unknown, path?: Record<string, unknown>, query?: Record<string, unknown>, header?: Record<string, string> }}
 */
export function operationArguments(spec, operationId) {
  const validator = createSpecValidator(spec)
  const op = listOperations(spec).find((o) => o.operationId === operationId)
  if (!op) throw new Error(`${spec.id}: unknown operation ${operationId}`)
  /** @type {Record<string, any>} */
  const args = {}
  for (const p of op.parameters) {
    if (!['path', 'query', 'header'].includes(p.in)) continue
    if (!p.required && p.in !== 'path') continue
    const schemaAt = [...p.at, 'schema']
    const candidates = [p.param.example, ...Object.values(p.param.examples ?? {}).map((e) => deref(spec.doc, e, []).node.value)]
    let value = candidates.find((c) => c !== undefined && validator.isValid(schemaAt, c))
    if (value === undefined) value = buildValid(spec, validator, schemaAt)
    args[p.in] = { ...args[p.in], [p.name]: value }
  }
  const content = op.requestBody?.contents.find((c) => isJsonMediaType(c.mediaType))
  if (content?.schemaAt) {
    const example = (content.examples ?? namedRequestExamples(spec, content)).find((e) => validator.isValid(content.schemaAt, e.value))
    args.body = example ? clone(example.value) : buildValid(spec, validator, content.schemaAt)
  }
  return args
}

function namedRequestExamples(spec, content) {
  return Object.entries(content.media.examples ?? {}).map(([name, raw]) => ({ name, value: deref(spec.doc, raw, []).node.value }))
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

const TYPE_POOL = ['x', 12345, 1.5, true, null, [], {}]
const BAD_FORMATS = {
  uri: ['not a uri', 'https://exa mple.com/image.png', 'https://example.com/a b'],
  url: ['not a url', 'https://exa mple.com/image.png'],
  'uri-reference': ['https://exa mple.com/a b', '\\\\bad'],
  email: ['not an email', 'user@'],
  'date-time': ['yesterday', '2026-13-01T00:00:00Z'],
  date: ['yesterday', '2026-13-01'],
  time: ['noon', '25:00:00Z'],
  uuid: ['not-a-uuid'],
  hostname: ['-bad-.example', 'exa mple.com'],
  ipv4: ['999.0.0.1'],
  ipv6: ['not:an:ip'],
  byte: ['***'],
  int32: [2 ** 31],
  int64: [2 ** 64],
  float: [],
  double: [],
  regex: ['('],
}
const PATTERN_POOL = ['', 'x', '!', '__invalid__', 'ftp://example.com/image.png', 'http://example.com/image.png', ' ', '0']

/**
 * The constraints of every request body schema (census) and the cases that exercise them.
 * A constraint is identified by operation, media type, oneOf branch, instance path and keyword; a
 * case violating it is kept only when the local validator reports exactly that violation, so a
 * request that breaks two rules never counts for one.
 * @returns {{ census: import('./types.js').Constraint[], cases: import('./types.js').RequestCase[] }}
 */
export function requestCases(spec) {
  const validator = createSpecValidator(spec)
  const census = []
  const cases = []
  for (const op of listOperations(spec)) {
    for (const content of op.requestBody?.contents ?? []) {
      if (!content.schemaAt) continue
      const contentView = schemaView(spec.doc, content.schemaAt)
      const branches = topLevelBranches(spec, content.schemaAt)
      for (const branch of branches) {
        const label = branchLabel(spec, contentView, branch)
        const scope = {
          spec,
          validator,
          op,
          content,
          branch,
          label,
          census,
          cases,
          prefix: `${op.operationId}${isJsonMediaType(content.mediaType) ? '' : ` (${content.mediaType})`}${label ? ` [${label}]` : ''}`,
        }
        let base
        try {
          base = buildValid(spec, validator, branch)
        } catch {
          census.push(constraint(scope, [], 'valid-request', undefined))
          continue
        }
        addCase(scope, { kind: 'valid', name: 'valid request (required fields only)', body: base, expect: 'valid' })
        try {
          const full = buildValid(spec, validator, branch, { full: true })
          if (JSON.stringify(full) !== JSON.stringify(base)) addCase(scope, { kind: 'valid', name: 'valid request (every field)', body: full, expect: 'valid' })
        } catch {
          // A request with every optional field cannot always be built (mutually exclusive fields); the minimal one is enough.
        }
        walk(scope, branch, [], base, undefined)
      }
    }
  }
  return { census, cases }
}

/** The body schema's own oneOf/anyOf members (nested ones flattened), or the schema itself. */
function topLevelBranches(spec, at) {
  const view = schemaView(spec.doc, at)
  const union = view.oneOf ?? view.anyOf
  if (!union || (view.properties && Object.keys(view.properties).length)) return [at]
  return union.flatMap((member) => topLevelBranches(spec, deref(spec.doc, getAt(spec.doc, member), member).segments))
}

function branchLabel(spec, contentView, branchAt) {
  if (toPointer(branchAt) === toPointer(contentView.at)) return ''
  const name = contentView.discriminator?.propertyName
  if (name) {
    const mapping = Object.entries(contentView.discriminator.mapping ?? {}).find(([, ref]) => ref === '#' + toPointer(branchAt))
    if (mapping) return `${name}=${mapping[0]}`
    const prop = schemaView(spec.doc, branchAt).properties[name]
    const propView = prop && schemaView(spec.doc, prop)
    const value = propView?.const ?? (propView?.enum?.length === 1 ? propView.enum[0] : undefined)
    if (value !== undefined) return `${name}=${value}`
  }
  return String(branchAt[branchAt.length - 1])
}

function constraint(scope, path, keyword, detail) {
  const where = path.length ? path.join('.') : '(body)'
  return {
    provider: scope.spec.id,
    operationId: scope.op.operationId,
    mediaType: scope.content.mediaType,
    branch: scope.label,
    path,
    keyword,
    detail,
    id: `${scope.prefix} ${where} ${keyword}${detail !== undefined ? `:${detail}` : ''}`,
  }
}

function addCase(scope, partial) {
  const c = {
    provider: scope.spec.id,
    operationId: scope.op.operationId,
    method: scope.op.method,
    path: scope.op.path,
    mediaType: scope.content.mediaType,
    schemaAt: scope.content.schemaAt,
    branchAt: scope.branch,
    branch: scope.label,
    ...partial,
    id: `${scope.prefix} ${partial.name}`,
  }
  scope.cases.push(c)
  return c
}

/**
 * Descends one schema location. `base` is a valid body in which the value at `path` is valid for
 * the schema at `at`; violations replace that value only.
 */
function walk(scope, at, path, base, unionPath) {
  const { spec, validator } = scope
  const view = schemaView(spec.doc, at)
  const where = path.length ? path.join('.') : '(body)'
  const current = valueAt(base, path)

  const tryViolation = (keyword, detail, candidates, { errorPath = path, extraAllowed = [], matches } = {}) => {
    const entry = constraint(scope, path, keyword, detail)
    scope.census.push(entry)
    let shadowed = false
    for (const make of candidates) {
      const body = make()
      if (body === undefined) continue
      const verdict = judge(scope, body, errorPath, keyword, { extraAllowed: unionPath ? ['*'] : extraAllowed, within: unionPath, matches })
      if (verdict === 'ok') {
        const c = addCase(scope, {
          kind: 'invalid',
          name: `${where} breaks ${keyword}${detail !== undefined ? ` (${detail})` : ''}`,
          body,
          expect: 'invalid',
          constraint: entry.id,
          keyword,
          instancePath: errorPath,
        })
        entry.caseId = c.id
        return
      }
      if (verdict === 'shadowed') shadowed = true
    }
    entry.status = shadowed ? 'shadowed' : 'uncovered'
  }
  const at_ = (value) => () => setAt(base, path, value)
  const validBoundary = (name, value) => {
    const body = setAt(base, path, value)
    if (validator.isValid(scope.content.schemaAt, body) && validator.isValid(scope.branch, body)) {
      addCase(scope, { kind: 'boundary', name: `${where} ${name}`, body, expect: 'valid' })
    }
  }

  if (path.length > 0) {
    // Scalar constraints of this location.
    if (view.types.length) {
      tryViolation(
        'type',
        view.types.join('|'),
        TYPE_POOL.filter((v) => !view.types.includes(jsonType(v)) && !(jsonType(v) === 'integer' && view.types.includes('number'))).map(at_),
        { extraAllowed: ['enum', 'const'] },
      )
    }
    if (Array.isArray(view.enum)) {
      const numbers = view.enum.filter((v) => typeof v === 'number')
      tryViolation('enum', undefined, ['__not_in_enum__', numbers.length ? Math.max(...numbers) + 1 : 987654321, true].map(at_))
      if (view.enum.length > 1) for (const value of view.enum) validBoundary(`= ${JSON.stringify(value)} (enum value)`, value)
    }
    if (view.const !== undefined) tryViolation('const', undefined, ['__not_the_const__', 987654321, true].map(at_))
    if (typeof view.format === 'string') {
      const fn = validator.ajv.formats[view.format]
      if (fn === undefined)
        scope.census.push({
          ...constraint(scope, path, 'format', view.format),
          status: 'uncovered',
          reason: `format ${view.format} is not checked by the validator`,
        })
      else if (fn !== true) tryViolation('format', view.format, [...(BAD_FORMATS[view.format] ?? []), 'not a valid value', '%%%'].map(at_))
    }
    if (typeof view.pattern === 'string') {
      const extra = typeof current === 'string' ? ['#' + current, current.slice(1), current.toUpperCase(), current + '\n'] : []
      tryViolation('pattern', view.pattern, [...PATTERN_POOL, ...extra].map(at_))
    }
    if (typeof view.maxLength === 'number') {
      const seed = typeof current === 'string' ? current : 'banana'
      tryViolation('maxLength', view.maxLength, [at_(seed.padEnd(view.maxLength + 1, 'a')), at_('a'.repeat(view.maxLength + 1))])
      validBoundary(`at maxLength ${view.maxLength}`, seed.padEnd(view.maxLength, 'a').slice(0, Math.max(view.maxLength, seed.length)))
    }
    if (typeof view.minLength === 'number' && view.minLength > 0) {
      const seed = typeof current === 'string' ? current : 'banana'
      tryViolation('minLength', view.minLength, [at_(seed.slice(0, view.minLength - 1)), at_('a'.repeat(view.minLength - 1))])
      validBoundary(`at minLength ${view.minLength}`, seed.length >= view.minLength ? seed.slice(0, view.minLength) : seed.padEnd(view.minLength, 'a'))
    }
    const numeric = (keyword, bad, boundary) => {
      if (typeof view[keyword] !== 'number') return
      tryViolation(keyword, view[keyword], bad.map(at_))
      if (boundary !== undefined) validBoundary(`at ${keyword} ${view[keyword]}`, boundary)
    }
    numeric('minimum', [view.minimum - 1, view.minimum - 0.5], view.minimum)
    numeric('maximum', [view.maximum + 1, view.maximum + 0.5], view.maximum)
    numeric('exclusiveMinimum', [view.exclusiveMinimum, view.exclusiveMinimum - 1])
    numeric('exclusiveMaximum', [view.exclusiveMaximum, view.exclusiveMaximum + 1])
    numeric('multipleOf', [view.multipleOf * 1.5, view.multipleOf / 2, view.multipleOf + 1, 1.5, 0.5])
    if (view.items || view.minItems !== undefined || view.maxItems !== undefined || view.uniqueItems) {
      let item
      try {
        item = Array.isArray(current) && current.length ? current[0] : view.items ? buildValid(spec, validator, view.items) : 'banana'
      } catch {
        item = 'banana'
      }
      const list = (n) => Array.from({ length: n }, () => clone(item))
      if (typeof view.maxItems === 'number') {
        tryViolation('maxItems', view.maxItems, [at_(list(view.maxItems + 1))])
        validBoundary(`at maxItems ${view.maxItems}`, list(view.maxItems))
      }
      if (typeof view.minItems === 'number' && view.minItems > 0) {
        tryViolation('minItems', view.minItems, [at_(list(view.minItems - 1))])
        validBoundary(`at minItems ${view.minItems}`, list(view.minItems))
      }
      if (view.uniqueItems === true) tryViolation('uniqueItems', undefined, [at_(list(2))])
    }
    const union = view.oneOf ? 'oneOf' : view.anyOf ? 'anyOf' : undefined
    if (union) {
      tryViolation(union, undefined, [...TYPE_POOL, 'not a uri'].map(at_), { extraAllowed: ['*'] })
    }
  }
  for (const keyword of UNSUPPORTED_CONSTRAINTS) {
    if (view[keyword] !== undefined) scope.census.push({ ...constraint(scope, path, keyword), status: 'uncovered', reason: `no violation strategy for ${keyword}` })
  }

  // Object constraints: required fields, closed objects.
  const isObject = view.types.includes('object') && current && typeof current === 'object' && !Array.isArray(current)
  if (isObject) {
    for (const name of view.required) {
      tryViolation('required', name, [() => deleteAt(base, [...path, name])], {
        matches: (e) => e.params?.missingProperty === name,
      })
    }
    if (view.additionalProperties === false) {
      tryViolation('additionalProperties', false, [() => setAt(base, [...path, '__unexpected__'], 'banana')], {
        matches: (e) => e.params?.additionalProperty === '__unexpected__',
      })
    } else if (view.additionalPropertiesAt) {
      tryViolation(
        'additionalProperties',
        'schema',
        TYPE_POOL.map((v) => () => setAt(base, [...path, '__unexpected__'], v)),
        { extraAllowed: ['*'], errorPath: [...path, '__unexpected__'], matches: () => true },
      )
    }
    // Descend into every property, required or not.
    for (const [name, propAt] of Object.entries(view.properties)) {
      let child = base
      if (current[name] === undefined) {
        try {
          child = setAt(base, [...path, name], buildValid(spec, validator, propAt))
        } catch {
          scope.census.push({ ...constraint(scope, [...path, name], 'valid-value'), status: 'uncovered', reason: 'no valid value can be built' })
          continue
        }
        if (!validator.isValid(scope.branch, child)) {
          scope.census.push({
            ...constraint(scope, [...path, name], 'valid-value'),
            status: 'uncovered',
            reason: 'setting this optional field makes the request invalid',
          })
          continue
        }
      }
      walk(scope, propAt, [...path, name], child, unionPath)
    }
  }

  // Array items.
  if (view.items && Array.isArray(current)) {
    let child = base
    if (current.length === 0) {
      try {
        child = setAt(base, path, [buildValid(spec, validator, view.items)])
      } catch {
        child = undefined
      }
    }
    if (child && validator.isValid(scope.branch, child)) walk(scope, view.items, [...path, 0], child, unionPath)
  }

  // Nested unions: the constraints of each member, with a value shaped for that member.
  const members = path.length > 0 ? (view.oneOf ?? view.anyOf) : undefined
  for (const member of members ?? []) {
    let value
    try {
      value = buildValid(spec, validator, member)
    } catch {
      continue
    }
    const child = setAt(base, path, value)
    if (!validator.isValid(scope.branch, child)) continue
    walk(scope, member, path, child, unionPath ?? path)
  }
}

/**
 * Does `body` break exactly the targeted constraint? 'ok' when the whole request schema rejects it and
 * the branch's errors are all the targeted keyword at the targeted place (plus the companions a
 * violation of that kind necessarily brings); 'shadowed' when the branch rejects it but another
 * union member accepts it (the constraint cannot be broken on its own).
 */
function judge(scope, body, errorPath, keyword, { extraAllowed = [], within: unionPath, matches } = {}) {
  const { validator } = scope
  const branchErrors = validator.errors(scope.branch, body)
  const pointer = toPointer(errorPath)
  const hit = branchErrors.some((e) => e.keyword === keyword && e.instancePath === pointer && (!matches || matches(e)))
  if (!hit) return 'miss'
  const any = extraAllowed.includes('*')
  // Inside a nested union, the union's own errors (at its path) come with every member's violation.
  const outer = toPointer(unionPath ?? errorPath)
  const clean = branchErrors.every((e) => {
    const within = e.instancePath === outer || e.instancePath.startsWith(outer + '/')
    if (!within) return false
    if (any) return true
    if (e.instancePath !== pointer) return false
    return e.keyword === keyword || extraAllowed.includes(e.keyword)
  })
  if (!clean) return 'miss'
  if (validator.isValid(scope.content.schemaAt, body)) return 'shadowed'
  return 'ok'
}

// ---------------------------------------------------------------------------------------------
// Examples
// ---------------------------------------------------------------------------------------------

const SCHEMA_CHILD_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']
const SCHEMA_CHILD_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems']
const SCHEMA_CHILDREN = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties']

/**
 * Every example in the document with the schema it must satisfy: media type / parameter / header
 * `example(s)` (request bodies, responses, callbacks, components), `components/examples` through the
 * places that reference them, and schema-level `examples` / `example`.
 * @returns {import('./types.js').ExampleCase[]}
 */
export function exampleCases(spec) {
  const { doc } = spec
  const cases = []
  const referenced = new Set()
  const schemaRoots = []

  const visit = (node, at) => {
    if (!node || typeof node !== 'object') return
    if (Array.isArray(node)) {
      node.forEach((child, i) => visit(child, [...at, i]))
      return
    }
    // A media type, parameter or header object: `schema` plus `example` / `examples` (a map).
    if (node.schema && typeof node.schema === 'object' && at[at.length - 1] !== 'properties') {
      const schemaAt = [...at, 'schema']
      schemaRoots.push(schemaAt)
      if (node.example !== undefined) cases.push({ provider: spec.id, id: `${toPointer(at)} example`, at: [...at, 'example'], schemaAt, value: node.example })
      for (const [name, raw] of Object.entries(node.examples ?? {})) {
        const { node: example, segments } = deref(doc, raw, [...at, 'examples', name])
        if (raw?.$ref) referenced.add(toPointer(segments))
        if (example.value === undefined) continue
        cases.push({ provider: spec.id, id: `${toPointer(at)} examples.${name}`, at: segments, schemaAt, value: example.value })
      }
      visit(node.content, [...at, 'content'])
      return
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === 'examples' && at[at.length - 1] === 'components') continue
      if (key === 'schemas' && at[at.length - 1] === 'components') {
        for (const name of Object.keys(child ?? {})) schemaRoots.push([...at, key, name])
        continue
      }
      visit(child, [...at, key])
    }
  }
  visit(doc, [])

  // Schema-level examples, each schema location once.
  const seen = new Set()
  const visitSchema = (at) => {
    const key = toPointer(at)
    if (seen.has(key)) return
    seen.add(key)
    const node = getAt(doc, at)
    if (!node || typeof node !== 'object') return
    if (Array.isArray(node.examples)) {
      node.examples.forEach((value, i) => cases.push({ provider: spec.id, id: `${key} examples[${i}]`, at: [...at, 'examples', i], schemaAt: at, value }))
    }
    if (node.example !== undefined) cases.push({ provider: spec.id, id: `${key} example`, at: [...at, 'example'], schemaAt: at, value: node.example })
    for (const map of SCHEMA_CHILD_MAPS) for (const name of Object.keys(node[map] ?? {})) visitSchema([...at, map, name])
    for (const list of SCHEMA_CHILD_LISTS) (node[list] ?? []).forEach((_, i) => visitSchema([...at, list, i]))
    for (const child of SCHEMA_CHILDREN) if (node[child] && typeof node[child] === 'object') visitSchema([...at, child])
  }
  schemaRoots.forEach(visitSchema)

  // Component examples have no schema of their own: each must be used by a media type.
  for (const name of Object.keys(doc.components?.examples ?? {})) {
    const at = ['components', 'examples', name]
    if (!referenced.has(toPointer(at))) {
      cases.push({
        provider: spec.id,
        id: `${toPointer(at)} (unreferenced)`,
        at,
        schemaAt: undefined,
        value: doc.components.examples[name].value,
        unreferenced: true,
      })
    }
  }
  return cases
}
