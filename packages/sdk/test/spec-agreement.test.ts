// The capability tables agree with the specs, and the bodies the adapters send validate against the
// spec's request schema (ajv, JSON Schema 2020-12) with the right field names.
import { META } from '@nano-banana/manifest'
import type { ProviderMeta } from '@nano-banana/runtime'
import { describe, expect, it } from 'vitest'
import { createNanoBanana, providers, type GenerateRequest, type ModelCapabilities, type ProviderId } from '../src/index.js'
import {
  API_KEY,
  asRequest,
  fakeFetch,
  FIXTURES,
  ids,
  metaOf,
  parameterSchemaOf,
  requestSchemaOf,
  spec,
  successExample,
  validator,
  WIRE,
  type Json,
} from './support.js'

const toWireFormat = (values: readonly string[]) => values.map((v) => (v === 'jpg' ? 'jpeg' : v))

function bodyOf(id: ProviderId, model: ModelCapabilities, request: Partial<GenerateRequest>): Json {
  return providers[id].toRequestBody({ prompt: 'A nano banana', model: model.id, ...request }, model).body
}

function expectValid(id: ProviderId, body: Json) {
  const validate = validator(id, 'CreateImageTaskRequest')
  const ok = validate(body)
  expect(ok, `${JSON.stringify(body)}\n${JSON.stringify(validate.errors, null, 1)}`).toBe(true)
}

const refs = (n: number) => Array.from({ length: n }, (_, i) => `https://example.com/ref-${i}.png`)

describe.each(ids)('%s capability table agrees with the spec', (id) => {
  const adapter = providers[id]
  const models = Object.values(adapter.models)
  const doc = spec(id)

  it('environment, defaults and documented extensions', () => {
    expect(adapter.envKey).toBe([doc['x-env-api-key'] ?? []].flat()[0] ?? `${id.toUpperCase()}_API_KEY`)
    expect(adapter.baseUrlEnvKey).toBe(`${id.toUpperCase()}_BASE_URL`)
    expect(adapter.models[adapter.defaultModel]).toBeDefined()
    expect(adapter.resultTtlSeconds).toBe(doc['x-result-url-ttl-seconds'])
    const callback = Object.values<Json>(doc.paths)
      .flatMap((item) => Object.values<Json>(item))
      .find((op) => op?.operationId === 'createImageTask')?.callbacks
    const post: Json = callback ? Object.values<Json>(Object.values<Json>(callback)[0])[0].post : undefined
    expect((META[id] as ProviderMeta).callback?.retryDelaysSeconds ?? []).toEqual(post?.['x-retry-schedule-seconds'] ?? [])
    expect(adapter.supportsCallback !== false).toBe(callback !== undefined)
  })

  describe.each(models.map((m) => [m.id, m] as const))('%s', (_, model) => {
    const params = parameterSchemaOf(id, model.id)
    const wire = WIRE[id]
    const prop = (name: string | undefined): Json => (name ? params.properties?.[name] : undefined)
    const resolve = (schema: Json): Json => (schema?.$ref ? resolve(doc.components.schemas[schema.$ref.split('/').pop()]) : schema)

    it('every aspect ratio, resolution and format in the table gives a valid body', () => {
      for (const aspectRatio of model.aspectRatios) expectValid(id, bodyOf(id, model, { aspectRatio }))
      for (const resolution of model.resolutions) expectValid(id, bodyOf(id, model, { resolution }))
      for (const outputFormat of model.outputFormats) expectValid(id, bodyOf(id, model, { outputFormat }))
    })

    it('maxImages and maxPromptLength are within the schema (and equal its limits where it states one)', () => {
      expectValid(id, bodyOf(id, model, { images: refs(model.maxImages) }))
      expectValid(id, bodyOf(id, model, { prompt: 'p'.repeat(model.maxPromptLength) }))
      const images = wire.images.map((name) => resolve(prop(name))).find((schema) => schema?.maxItems !== undefined)
      if (images) expect(model.maxImages).toBe(images.maxItems)
      const prompt = resolve(prop('prompt'))
      if (prompt?.maxLength !== undefined) {
        expect(model.maxPromptLength).toBe(prompt.maxLength)
        const validate = validator(id, 'CreateImageTaskRequest')
        expect(validate(bodyOf(id, model, { prompt: 'p'.repeat(model.maxPromptLength + 1) }))).toBe(false)
      }
    })

    it('lists every value the schema enumerates for this model', () => {
      if (!wire.perModelSchema) return
      // One schema for several models: `x-models` states each model's own values (a subset of the field's enum).
      const listed = doc.components.schemas.CreateImageTaskRequest['x-models']?.[model.id] ?? {}
      const ratios = listed.aspectRatios ?? resolve(prop(wire.aspectRatio))?.enum
      if (ratios) expect([...model.aspectRatios].sort()).toEqual([...ratios].sort())
      const resolutions = listed.resolutions ?? resolve(prop(wire.resolution))?.enum
      if (resolutions) expect([...model.resolutions].sort()).toEqual([...resolutions].sort())
      const formats = listed.outputFormats ?? resolve(prop(wire.outputFormat))?.enum
      if (formats) expect([...model.outputFormats].sort()).toEqual(toWireFormat(formats).sort())
    })

    it('an option is in notSent exactly when the model has no field for it, and then has one fixed value', () => {
      const fieldOf = { resolution: wire.resolution, outputFormat: wire.outputFormat, n: metaOf(id).options.n?.fields[0]?.split('.').at(-1) ?? 'n' } as const
      const fixed = { resolution: model.resolutions.length, outputFormat: model.outputFormats.length, n: model.maxN }
      for (const option of ['resolution', 'outputFormat', 'n'] as const) {
        // A provider whose resolution is part of the model id has no field for it.
        if (FIXTURES[id].resolutionInModelId && option === 'resolution') continue
        const field = fieldOf[option]
        const declared = field !== undefined && params.properties?.[field] !== undefined
        if (model.notSent?.includes(option)) {
          expect(declared, `${model.id} documents ${option}`).toBe(false)
          expect(fixed[option], `${model.id} ${option} must have exactly one value`).toBe(1)
        } else if (option === 'outputFormat' && model.outputFormats.length === 0) {
          expect(declared, `${model.id} documents ${option} but the table offers none`).toBe(false)
        } else {
          expect(declared, `${option} (${field}) is not in the ${model.id} schema`).toBe(true)
        }
      }
    })
  })
})

describe('request mapping: the body each adapter sends, checked against the spec schema', () => {
  const https = 'https://hooks.example.com/nano'

  async function sent(id: ProviderId, request: GenerateRequest) {
    const created = successExample(id, 'createImageTask', FIXTURES[id].created)
    const spy = fakeFetch(() => ({ body: created }))
    const nb = createNanoBanana({ provider: id, apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9', fetch: spy.fetch })
    const submission = await nb.submit(request)
    expect(spy.calls).toHaveLength(1)
    const body = spy.calls[0]!.body
    expectValid(id, asRequest(id, body, submission.model))
    return { body, submission }
  }

  it.each(ids.flatMap((id) => Object.values(providers[id].models).map((m) => [id, m.id, m] as const)))(
    '%s %s: a request using every option validates',
    async (id, _, model) => {
      const { body } = await sent(id, {
        prompt: 'A nano banana on a sunny desk',
        model: model.id,
        aspectRatio: model.aspectRatios.find((r) => r !== 'auto') ?? model.aspectRatios[0]!,
        resolution: model.resolutions.at(-1)!,
        images: refs(Math.min(2, model.maxImages)),
        ...(model.outputFormats.length ? { outputFormat: model.outputFormats.at(-1)! } : {}),
        n: 1,
        ...(providers[id].supportsCallback === false ? {} : { callbackUrl: https }),
      })
      expect(JSON.stringify(body)).not.toContain('undefined')
    },
  )
})
