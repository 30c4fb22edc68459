// Every status code, field, enum value and limit that the seed pages (../shared/seeds) document must
// appear in the provider's spec. The facts below are copied from the seeds, one table row per fact,
// so that a spec edit that drops one fails here with its name.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

type Json = Record<string, unknown>
const specsDir = join(import.meta.dirname, '../../specs')
const load = (id: string): Json => parse(readFileSync(join(specsDir, `${id}.openapi.yaml`), 'utf8')) as Json

function resolve(doc: Json, node: unknown): unknown {
  let current = node
  for (let i = 0; i < 20 && current && typeof current === 'object' && '$ref' in (current as Json); i++) {
    const ref = String((current as Json).$ref).replace(/^#\//, '').split('/')
    current = ref.reduce<unknown>((at, key) => (at as Json)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
  }
  return current
}

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
const requestSchema = (op: Json) => ((((op.requestBody as Json).content as Json)['application/json'] as Json).schema as unknown)
const responseSchema = (doc: Json, op: Json, code: string) => {
  const response = resolve(doc, (op.responses as Json)[code]) as Json
  return (((response.content as Json)['application/json'] as Json).schema as unknown)
}
const enumOf = (doc: Json, root: unknown, name: string) => new Set(property(doc, root, name).flatMap((s) => (s.enum as unknown[]) ?? []))
const limitsOf = (doc: Json, root: unknown, name: string, keyword: string) => property(doc, root, name).map((s) => s[keyword]).filter((v) => v !== undefined)

interface Seed {
  id: string
  seed: string
  create: [path: string, method: string]
  statuses: string[]
  requestFields: string[]
  responseFields?: string[]
  enums: [field: string, values: string[]][]
  limits: [field: string, keyword: string, value: number][]
}

const EVOLINK_FIELDS = ['model', 'prompt', 'size', 'quality', 'image_urls', 'callback_url']
const EVOLINK_RESPONSE = ['created', 'id', 'model', 'object', 'progress', 'status', 'task_info', 'type', 'usage', 'can_cancel', 'estimated_time', 'billing_rule', 'credits_reserved', 'user_group']
const SEED_000_SIZES = ['auto', '1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9']
const EVOLINK_ENUMS: Seed['enums'] = [
  ['size', SEED_000_SIZES],
  ['quality', ['1K', '2K', '4K']],
  ['status', ['pending', 'processing', 'completed', 'failed']],
  ['billing_rule', ['per_call', 'per_token', 'per_second']],
  ['user_group', ['default', 'vip']],
  ['type', ['text', 'image', 'audio', 'video']],
]
const EVOLINK_LIMITS: Seed['limits'] = [
  ['prompt', 'maxLength', 2000],
  ['image_urls', 'maxItems', 10],
  ['callback_url', 'maxLength', 2048],
]

const SEEDS: Seed[] = [
  {
    id: 'odkkk',
    seed: '000',
    create: ['/v1/images/generations', 'post'],
    statuses: ['200', '400', '401', '402', '403', '404', '413', '429', '500', '502', '503'],
    requestFields: EVOLINK_FIELDS,
    responseFields: EVOLINK_RESPONSE,
    enums: [['model', ['nano-banana-2-lite']], ...EVOLINK_ENUMS],
    limits: EVOLINK_LIMITS,
  },
  {
    id: 'evolink',
    seed: '001',
    create: ['/v1/images/generations', 'post'],
    statuses: ['200', '400', '401', '402', '403', '404', '413', '429', '500', '502', '503'],
    requestFields: EVOLINK_FIELDS,
    responseFields: EVOLINK_RESPONSE,
    enums: [['model', ['nano-banana-2-lite', 'gemini-3-pro-image-preview']], ...EVOLINK_ENUMS],
    limits: EVOLINK_LIMITS,
  },
  {
    id: 'crun',
    seed: '002',
    create: ['/client/job/CreateTask', 'post'],
    // Seed 002 lists these as the response `code`; they may also come as HTTP statuses.
    statuses: ['200', '401', '402', '404', '422', '429', '455', '500', '501', '505'],
    requestFields: ['model', 'input', 'callback_url'],
    responseFields: ['code', 'message'],
    enums: [['model', ['google/nano-banana', 'google/nano-banana-v2']]],
    limits: [],
  },
  {
    id: 'uniall',
    seed: '003',
    create: ['/v1/images/tasks', 'post'],
    statuses: ['200'],
    requestFields: ['model', 'prompt', 'task_type', 'image', 'images', 'aspect_ratio', 'output_format', 'n', 'response_format'],
    enums: [
      ['task_type', ['text2image', 'image2image']],
      ['output_format', ['png', 'jpeg', 'webp']],
    ],
    limits: [],
  },
  {
    id: 'aivideoapi',
    seed: '004',
    create: ['/v1/images/generations', 'post'],
    statuses: ['200', '400', '401', '402', '403', '404', '429', '500', '503'],
    requestFields: ['model', 'input', 'callback_url', 'prompt', 'aspect_ratio', 'image_urls', 'resolution'],
    responseFields: ['code', 'msg', 'data', 'taskId'],
    enums: [
      ['model', ['nano-banana-2-lite']],
      ['aspect_ratio', ['1:1', '1:4', '1:8', '2:3', '3:2', '3:4', '4:1', '4:3', '4:5', '5:4', '8:1', '9:16', '16:9', '21:9', 'auto']],
      ['resolution', ['1K']],
    ],
    limits: [
      ['prompt', 'maxLength', 20_000],
      ['image_urls', 'maxItems', 10],
    ],
  },
]

describe.each(SEEDS)('$id spec is faithful to seed $seed', (seed) => {
  const doc = load(seed.id)
  const op = operation(doc, ...seed.create)
  const request = requestSchema(op)

  it.each(seed.statuses)('documents status %s on the create operation', (status) => {
    const direct = Object.hasOwn(op.responses as Json, status)
    // Crun's codes live in the JSON `code` enum as well as in HTTP statuses.
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
  it('aivideoapi documents every string error code of seed 004', () => {
    const doc = load('aivideoapi')
    const codes = new Set<unknown>()
    for (const component of Object.values((doc.components as Json).schemas as Json)) for (const v of enumOf(doc, { properties: { x: component } }, 'x')) codes.add(v)
    const documented = ['invalid_request', 'invalid_api_key', 'insufficient_credits', 'ip_not_allowed', 'model_not_found', 'task_not_found', 'rate_limit_exceeded', 'spend_limit_exceeded', 'internal_error', 'upstream_error']
    expect(documented.filter((c) => !codes.has(c))).toEqual([])
  })

  it.each(['odkkk', 'evolink'])('%s error examples carry the seed texts', (id) => {
    const text = readFileSync(join(specsDir, `${id}.openapi.yaml`), 'utf8')
    for (const phrase of ['Invalid or expired token', 'Insufficient quota', 'Access denied for this model', 'Image file too large', 'retry after 60 seconds', 'Upstream AI service unavailable', 'retry after 30 seconds']) {
      expect(text).toContain(phrase)
    }
  })
})
