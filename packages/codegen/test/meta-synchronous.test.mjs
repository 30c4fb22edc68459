// What codegen reads from a spec's synchronous-provider extensions (specs/CONVENTIONS.md): `x-synchronous`
// and `x-repeat-for-n` on the create operation, `x-model-aliases`, and `x-model-produces` on an `x-models`
// entry of a shared schema. A minimal document each, so that a rule that breaks fails here by name.
import { describe, expect, it } from 'vitest'
import { buildMeta, clientMetaOf } from '../src/meta.mjs'

function doc({ create = {}, get = true, aliases, taskStatus = true } = {}) {
  return {
    openapi: '3.1.0',
    info: { title: 'Zeta', version: '1' },
    'x-provider-id': 'zeta',
    'x-default-model': 'one',
    ...(aliases ? { 'x-model-aliases': aliases } : {}),
    'x-options': { prompt: ['prompt'], resolution: ['size'] },
    servers: [{ url: 'https://zeta.invalid' }],
    security: [{ bearerAuth: [] }],
    paths: {
      '/generate': {
        post: {
          operationId: 'createImageTask',
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateImageTaskRequest' } } } },
          ...create,
        },
      },
      ...(get
        ? { '/tasks/{id}': { get: { operationId: 'getImageTask', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] } } }
        : {}),
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas: {
        CreateImageTaskRequest: {
          type: 'object',
          properties: { prompt: { type: 'string' }, size: { type: 'string', enum: ['1K', '2K'] } },
          'x-models': {
            one: { 'x-model-family': 'One', 'x-model-produces': { resolution: '1K' }, maxN: 4, maxImages: 2, maxPromptLength: 100 },
            two: { 'x-model-family': 'Two', resolutions: ['1K', '2K'], maxN: 4, maxImages: 2, maxPromptLength: 100 },
          },
        },
        ...(taskStatus ? { TaskStatus: { type: 'string', enum: ['ok', 'bad'], 'x-normalized-status': { ok: 'succeeded', bad: 'failed' } } } : {}),
      },
    },
  }
}

describe('synchronous providers', () => {
  it('x-synchronous: meta says so, there is no query operation, and status words may be absent', () => {
    const meta = buildMeta(doc({ create: { 'x-synchronous': true }, get: false, taskStatus: false }))
    expect(meta.synchronous).toBe(true)
    expect(meta.operations.create.synchronous).toBe(true)
    expect(meta.operations.get).toBeUndefined()
    expect(meta.statusWords).toEqual({})
  })

  it("clientMeta: a synchronous provider's status words stay in the whole meta only (nothing is polled); a task API's are the client's", () => {
    const sync = buildMeta(doc({ create: { 'x-synchronous': true }, get: false }))
    expect(Object.keys(sync.statusWords)).toEqual(['ok', 'bad'])
    expect(clientMetaOf(sync)).not.toHaveProperty('statusWords')
    const task = buildMeta(doc())
    expect(clientMetaOf(task).statusWords).toEqual(task.statusWords)
  })

  it('clientMeta: envKeys only where there is more than envKey (the client reads envKeys, else [envKey])', () => {
    const one = buildMeta(doc())
    expect(one.envKeys).toEqual([one.envKey])
    expect(clientMetaOf(one)).not.toHaveProperty('envKeys')
    expect(clientMetaOf(one).envKey).toBe(one.envKey)
    const two = buildMeta({ ...doc(), 'x-env-api-key': ['ZETA_KEY', 'ZETA_TOKEN'] })
    expect(clientMetaOf(two)).toMatchObject({ envKey: 'ZETA_KEY', envKeys: ['ZETA_KEY', 'ZETA_TOKEN'] })
  })

  it('a synchronous create with a query operation, or a task API without one, is refused', () => {
    expect(() => buildMeta(doc({ create: { 'x-synchronous': true } }))).toThrow(/synchronous createImageTask .* has no getImageTask/)
    expect(() => buildMeta(doc({ get: false }))).toThrow(/getImageTask needs exactly one/)
  })

  it('x-repeat-for-n: n needs no field, its limit comes from x-models; without it a model with no n field has maxN 1', () => {
    const repeated = buildMeta(doc({ create: { 'x-synchronous': true, 'x-repeat-for-n': true }, get: false }))
    expect(repeated.operations.create.repeatForN).toBe(true)
    expect(repeated.models.one.capabilities).toMatchObject({ maxN: 4 })
    expect(repeated.models.one.capabilities.notSent).not.toContain('n')
    const plain = buildMeta(doc())
    expect(plain.models.two.capabilities.notSent).toContain('n')
  })

  it('x-model-produces on an x-models entry drops that option field for the model (not sent), the others keep it', () => {
    const meta = buildMeta(doc())
    expect(meta.models.one.capabilities).toMatchObject({ resolutions: ['1K'], notSent: expect.arrayContaining(['resolution']) })
    expect(meta.models.one.capabilities.fields.resolution).toBeUndefined()
    expect(meta.models.two.capabilities.fields.resolution).toBe('size')
  })

  it('x-reference-data-urls: true becomes meta.referenceDataUrls; absent or false leaves it out; anything else is refused', () => {
    expect(buildMeta({ ...doc(), 'x-reference-data-urls': true }).referenceDataUrls).toBe(true)
    expect(buildMeta({ ...doc(), 'x-reference-data-urls': false })).not.toHaveProperty('referenceDataUrls')
    expect(buildMeta(doc())).not.toHaveProperty('referenceDataUrls')
    expect(() => buildMeta({ ...doc(), 'x-reference-data-urls': 'yes' })).toThrow(/x-reference-data-urls must be true or false/)
  })

  it('x-model-aliases must name a model, and an alias must not be a model itself', () => {
    expect(buildMeta(doc({ aliases: { 'one-preview': 'one' } })).modelAliases).toEqual({ 'one-preview': 'one' })
    expect(() => buildMeta(doc({ aliases: { 'x-preview': 'nope' } }))).toThrow(/no model of CreateImageTaskRequest/)
    expect(() => buildMeta(doc({ aliases: { two: 'one' } }))).toThrow(/is a model of its own/)
  })
})
