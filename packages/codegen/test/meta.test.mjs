// Spec extensions the meta generator reads per model.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { listProviders, repoRoot } from '../src/index.mjs'
import ts from 'typescript'
import { buildMeta, clientMetaOf, renderMeta } from '../src/meta.mjs'

/** A provider's spec with `value` as `x-typical-duration-seconds` on its first model (branch, `x-models` entry or the one schema). */
function withTypical(id, value) {
  const doc = parse(readFileSync(join(repoRoot, 'specs', `${id}.openapi.yaml`), 'utf8'))
  const request = doc.components.schemas.CreateImageTaskRequest
  const mapping = request.discriminator?.mapping
  const [model, target] = mapping
    ? (() => {
        const [m, ref] = Object.entries(mapping)[0]
        return [m, doc.components.schemas[ref.split('/').pop()]]
      })()
    : request['x-models']
      ? [Object.keys(request['x-models'])[0], Object.values(request['x-models'])[0]]
      : [undefined, request]
  target['x-typical-duration-seconds'] = value
  return { doc, model }
}

describe.each(await listProviders())('%s: x-typical-duration-seconds', (id) => {
  it("becomes the model's typicalSeconds; other models have none unless stated", () => {
    const { doc, model } = withTypical(id, 12.5)
    const meta = buildMeta(doc)
    const entries = Object.entries(meta.models)
    const key = model ?? entries[0][0]
    expect(meta.models[key].typicalSeconds).toBe(12.5)
  })

  it.each([0, -3, 'soon'])('refuses %j', (value) => {
    expect(() => buildMeta(withTypical(id, value).doc)).toThrow(/x-typical-duration-seconds/)
  })
})

describe.each(await listProviders())('%s: rendered meta.gen.ts', (id) => {
  const meta = buildMeta(parse(readFileSync(join(repoRoot, 'specs', `${id}.openapi.yaml`), 'utf8')))
  /** The rendered module, compiled and imported. */
  const load = async () => {
    const js = ts.transpileModule(renderMeta(meta, `${id}.openapi.yaml`), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText
    return import(`data:text/javascript,${encodeURIComponent(js)}`)
  }

  it('exports the whole meta (built from clientMeta by spreads) and the client part, equal to what the spec states', async () => {
    const module = await load()
    expect(module.meta).toEqual(meta)
    expect(module.clientMeta).toEqual(clientMetaOf(meta))
    expect(module.meta.models).not.toBe(module.clientMeta.models)
  })

  it("exports the client factory's provider description apart, equal to what the spec states (no host: undefined)", async () => {
    const { provider } = await load()
    expect(provider).toStrictEqual({
      id: meta.id,
      name: meta.name,
      defaultBaseUrl: meta.baseUrlRequired ? undefined : meta.defaultBaseUrl,
      authPrefix: meta.auth.prefix,
    })
  })

  it('carries every repeated list or object once: equal values (of more than a few characters) are one object', async () => {
    const { meta: loaded, clientMeta } = await load()
    const byText = new Map()
    const walk = (value) => {
      if (!value || typeof value !== 'object') return
      const text = JSON.stringify(value)
      if (text.length >= 12) byText.set(text, (byText.get(text) ?? new Set()).add(value))
      for (const child of Object.values(value)) walk(child)
    }
    walk(loaded)
    walk(clientMeta)
    const copies = [...byText].filter(([, objects]) => objects.size > 1).map(([text]) => text)
    expect(copies).toEqual([])
  })

  it('names every repeated list or object once (a reference), and leaves a one-off inline', () => {
    const source = renderMeta(meta, `${id}.openapi.yaml`)
    const consts = [...source.matchAll(/^const (l\d+) = /gm)].map((m) => m[1])
    for (const name of consts) expect(source.match(new RegExp(`\\b${name}\\b`, 'g')).length).toBeGreaterThan(2)
  })
})

describe.each(await listProviders())('%s: per-model spelling (capabilities.values)', (id) => {
  const meta = buildMeta(parse(readFileSync(join(repoRoot, 'specs', `${id}.openapi.yaml`), 'utf8')))
  it("sends every listed value the way the model's own field enum spells it", () => {
    for (const entry of Object.values(meta.models)) {
      const caps = entry.capabilities
      for (const [option, key] of [
        ['aspectRatio', 'aspectRatios'],
        ['resolution', 'resolutions'],
        ['outputFormat', 'outputFormats'],
      ]) {
        const wire = entry.fields[caps.fields[option]]?.enum
        if (!wire) continue
        const spelling = caps.values?.[option] ?? meta.options[option]?.values ?? {}
        for (const value of caps[key] ?? []) expect(wire).toContain(spelling[value] ?? value)
      }
    }
  })
})

/** A minimal spec of two models whose format fields spell JPEG differently. */
function twoSpellings() {
  const branch = (model, formats) => ({
    type: 'object',
    required: ['model', 'prompt'],
    properties: { model: { type: 'string', enum: [model] }, prompt: { type: 'string' }, output_format: { type: 'string', enum: formats } },
  })
  return {
    openapi: '3.1.0',
    'x-provider-id': 'spelling',
    'x-default-model': 'a',
    'x-options': { prompt: ['prompt'], outputFormat: { fields: ['output_format'], values: { jpeg: 'jpg' } } },
    servers: [{ url: 'https://api.example.test' }],
    security: [{ key: [] }],
    paths: {
      '/tasks': {
        post: {
          operationId: 'createImageTask',
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateImageTaskRequest' } } } },
        },
      },
      '/tasks/{id}': { get: { operationId: 'getImageTask', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] } },
    },
    components: {
      securitySchemes: { key: { type: 'http', scheme: 'bearer' } },
      schemas: {
        TaskStatus: { type: 'string', enum: ['done'], 'x-normalized-status': { done: 'succeeded' } },
        CreateImageTaskRequest: {
          oneOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/B' }],
          discriminator: { propertyName: 'model', mapping: { a: '#/components/schemas/A', b: '#/components/schemas/B' } },
        },
        A: branch('a', ['png', 'jpg']),
        B: branch('b', ['png', 'jpeg']),
      },
    },
  }
}

describe('per-model spelling', () => {
  it('a model whose enum spells a value the normalized way gets its own map; the others keep the document map', () => {
    const meta = buildMeta(twoSpellings())
    expect(meta.options.outputFormat.values).toEqual({ jpeg: 'jpg' })
    expect(meta.models.a.capabilities.outputFormats).toEqual(['png', 'jpeg'])
    expect(meta.models.a.capabilities.values).toBeUndefined()
    expect(meta.models.b.capabilities.outputFormats).toEqual(['png', 'jpeg'])
    expect(meta.models.b.capabilities.values).toEqual({ outputFormat: {} })
  })
})

describe('status words', () => {
  const withWords = (map) => {
    const doc = twoSpellings()
    doc.components.schemas.TaskStatus = { type: 'string', enum: Object.keys(map), 'x-normalized-status': map }
    return doc
  }

  it('two words that differ only in case are refused when they mean different things (the client reads words case-insensitively)', () => {
    expect(() => buildMeta(withWords({ Done: 'succeeded', DONE: 'failed' }))).toThrow(/differ only in case/)
    expect(buildMeta(withWords({ Done: 'succeeded', DONE: 'succeeded' })).statusWords).toEqual({ Done: 'succeeded', DONE: 'succeeded' })
  })
})
