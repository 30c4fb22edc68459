import { describe, expect, it } from 'vitest'
import { componentValidator, createSpecValidator, formatErrors, pointerValidator, specFromDocument } from '../src/index.js'

const doc = {
  openapi: '3.1.0',
  'x-provider-id': 'validate-demo',
  paths: {
    '/x': {
      post: {
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Body' } } } },
        responses: { '200': { description: 'ok' } },
      },
    },
  },
  components: {
    schemas: {
      Body: {
        type: 'object',
        additionalProperties: false,
        required: ['url', 'size'],
        properties: { url: { type: 'string', format: 'uri' }, size: { enum: ['1K', '2K'] }, file: { type: 'string', format: 'binary' } },
      },
    },
  },
}

describe('validators', () => {
  const spec = specFromDocument(doc)

  it('validates against a component, with formats', () => {
    const validate = componentValidator(spec, 'Body')
    expect(validate({ url: 'https://a.test/x.png', size: '1K', file: 'raw' })).toBe(true)
    expect(validate({ url: 'not a uri', size: '1K' })).toBe(false)
    expect(validate.errors?.[0]?.keyword).toBe('format')
  })

  it('validates at a pointer and through $ref, reusing compiled schemas', () => {
    const at = '#/paths/~1x/post/requestBody/content/application~1json/schema'
    const validator = createSpecValidator(spec)
    expect(pointerValidator(spec, at)({ url: 'https://a.test', size: '2K' })).toBe(true)
    const before = validator.cacheSize
    expect(validator.isValid(['paths', '/x', 'post', 'requestBody', 'content', 'application/json', 'schema'], { url: 'https://a.test', size: '3K' })).toBe(false)
    expect(validator.cacheSize).toBe(before)
    expect(createSpecValidator(spec)).toBe(validator)
  })

  it('reports every violation in one readable line and throws from assert', () => {
    const validator = createSpecValidator(spec)
    const errors = validator.errors('#/components/schemas/Body', { url: 'https://a.test', size: '9K', extra: 1 })
    expect(formatErrors(errors)).toBe("body must NOT have additional properties ('extra'); body.size must be equal to one of the allowed values (1K, 2K)")
    expect(() => validator.assert('#/components/schemas/Body', {}, 'the request')).toThrow(/validate-demo: the request does not match #\/components\/schemas\/Body: body must have required property/)
    expect(() => validator.compile('#/components/schemas/Missing')).toThrow(/no schema/)
    expect(formatErrors([])).toBe('no errors')
  })
})
