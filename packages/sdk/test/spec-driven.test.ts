// The capability tables are the specs': every value the generated meta states reaches the adapter
// unchanged (a definition's fallback only fills what the spec leaves open), and a spec edit moves the
// local check with no hand edit: a value added to a model's enum is accepted, one removed is refused
// before any request.
import { buildMetaFromYaml } from '@nano-banana/codegen'
import type { ClientMeta, ProviderMeta } from '@nano-banana/runtime'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { checkCapabilities, checkDefinition, defineProvider, type ProviderDefinition } from '../src/define-provider.js'
import {
  createNanoBananaClient,
  providerIds,
  providers,
  UnsupportedOptionError,
  validateRequest,
  type AspectRatio,
  type ProviderAdapter,
  type ProviderId,
} from '../src/index.js'
import { deref, ids, spec, type Json } from './support.js'

const LISTS = ['aspectRatios', 'resolutions', 'outputFormats'] as const
const LIMITS = ['maxImages', 'maxN', 'maxPromptLength'] as const

describe.each(ids)('%s: capabilities come from the spec', (id) => {
  const adapter = providers[id]
  const meta = adapter.meta!

  it.each(Object.keys(adapter.models))('%s: every stated capability is the adapter’s, unchanged', (modelId) => {
    const model = adapter.models[modelId]!
    const stated = (meta.models[modelId] ?? meta.models['*'])!.capabilities
    for (const key of [...LISTS, ...LIMITS]) if (stated[key] !== undefined) expect(model[key], key).toEqual(stated[key])
    expect(model.fields).toEqual(stated.fields)
    for (const option of stated.notSent) if (!model.notSent?.includes(option)) expect(option === 'n' ? model.maxN : model[`${option}s`].length, option).toBe(0)
  })

  it('a fallback that restates (or contradicts) a stated capability is refused at definition time', () => {
    let checked = 0
    for (const [modelId, { capabilities }] of Object.entries(meta.models)) {
      for (const key of LISTS) {
        if (capabilities[key] === undefined) continue
        expect(() => checkCapabilities(meta, modelId, modelId, { [key]: [] })).toThrow(/restates/)
        checked++
      }
      for (const key of LIMITS) {
        if (capabilities[key] === undefined) continue
        expect(() => checkCapabilities(meta, modelId, modelId, { [key]: capabilities[key]! + 1 })).toThrow(/restates/)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(0)
  })
})

// Every provider, the synchronous ones too: the built-in adapters are built without defineProvider's checks.
describe.each(providerIds)('%s: the built-in definition', (id) => {
  const adapter = providers[id]
  const meta = adapter.meta!
  const load = async () => ((await import(`../src/providers/${id}.ts`)) as { definition: ProviderDefinition }).definition

  it('its built-in definition passes the checks defineProvider runs (the adapter is built without them), and defineProvider builds the same tables', async () => {
    const definition = await load()
    expect(definition.meta).toBe(meta)
    expect(() => checkDefinition(definition)).not.toThrow()
    expect(defineProvider(definition).models).toEqual(adapter.models)
  })

  it('defineProvider refuses the built-in definition with a fallback that restates the spec, or with no readers of its own', async () => {
    const definition = await load()
    // A capability some model's spec branch states, given again as a fallback.
    const [modelId, key] = Object.entries(meta.models)
      .flatMap(([model, { capabilities }]) => [...LISTS, ...LIMITS].filter((k) => capabilities[k] !== undefined).map((k) => [model, k] as const))
      .at(0)!
    const restated = { [key]: meta.models[modelId]!.capabilities[key] }
    const edited: ProviderDefinition = definition.models
      ? { ...definition, models: Object.fromEntries(Object.entries(definition.models).map(([id, model]) => [id, { ...model, ...restated }])) }
      : { ...definition, fallbacks: { ...definition.fallbacks, [modelId]: { ...definition.fallbacks?.[modelId], ...restated } } }
    expect(() => defineProvider(edited)).toThrow(/restates/)
    if (!meta.synchronous) expect(() => defineProvider({ ...definition, readSubmit: undefined })).toThrow(/needs readSubmit/)
  })
})

/** A definition that only answers what validation needs (no readers): enough to build an adapter from meta. */
function minimal(meta: ClientMeta): ProviderDefinition {
  const unused = () => {
    throw new Error('not called')
  }
  return {
    meta: meta as ClientMeta & { id: ProviderId },
    operations: { create: unused, get: unused },
    readSubmit: unused,
    readTask: unused,
    readError: () => ({}),
  }
}

/** A provider and model whose spec states the aspect-ratio enum in the model's own branch, and whose meta needs no fallback. */
function target(): { id: ProviderId; model: string; field: string } {
  for (const id of ids) {
    const meta = providers[id].meta!
    try {
      defineProvider(minimal(meta))
    } catch {
      continue
    }
    for (const [model, entry] of Object.entries(meta.models)) {
      if (model !== '*' && entry.capabilities.aspectRatios?.length && entry.capabilities.fields.aspectRatio)
        return { id, model, field: entry.capabilities.fields.aspectRatio }
    }
  }
  throw new Error('no provider states a per-model aspect-ratio enum')
}

/** The schema node of a request field (dotted path) in the model's branch of a parsed spec. */
function fieldNode(doc: Json, model: string, path: string): Json {
  const request = doc.components.schemas.CreateImageTaskRequest
  const ref = request.discriminator?.mapping?.[model]
  let node = deref(doc, ref ? { $ref: ref } : request)
  for (const key of path.split('.')) node = deref(doc, deref(doc, node).properties[key])
  // A field that is a $ref to a shared enum: edit a copy in place of the reference.
  return node
}

describe('a spec edit moves the local check (meta built in memory from a modified spec)', () => {
  const { id, model, field } = target()
  const doc = structuredClone(spec(id))
  const request = doc.components.schemas.CreateImageTaskRequest
  const ref = request.discriminator?.mapping?.[model]
  // Give the model's branch its own copy of the field, so the edit touches this model only.
  const branch = deref(doc, ref ? { $ref: ref } : request)
  const parts = field.split('.')
  let holder = branch
  for (const key of parts.slice(0, -1)) {
    const resolved = structuredClone(deref(doc, deref(doc, holder).properties[key]))
    deref(doc, holder).properties[key] = resolved
    holder = resolved
  }
  const leaf = parts.at(-1)!
  const copy = structuredClone(deref(doc, deref(doc, holder).properties[leaf]))
  deref(doc, holder).properties[leaf] = copy
  const removed = copy.enum.find((value: string) => value !== 'auto' && value !== copy.default)
  copy.enum = [...copy.enum.filter((value: string) => value !== removed), '7:3']
  expect(fieldNode(doc, model, field).enum).toContain('7:3')

  const edited: ProviderMeta = buildMetaFromYaml(stringify(doc))
  const original = providers[id]
  const adapter: ProviderAdapter = defineProvider({ ...minimal(edited), operations: { create: unused, get: unused } })
  function unused(): never {
    throw new Error('no request may be sent')
  }

  it(`${id} ${model}: the added value is accepted`, () => {
    expect(original.models[model]!.aspectRatios).not.toContain('7:3')
    expect(() => validateRequest(adapter, { prompt: 'p', model, aspectRatio: '7:3' as AspectRatio })).not.toThrow()
    expect(adapter.toRequestBody({ prompt: 'p', model, aspectRatio: '7:3' as AspectRatio }, adapter.models[model]!).body).toMatchObject(
      Object.fromEntries([[parts[0], parts.length === 1 ? '7:3' : expect.anything()]]),
    )
  })

  it(`${id} ${model}: the removed value is refused locally (UnsupportedOptionError, no request)`, async () => {
    expect(original.models[model]!.aspectRatios).toContain(removed)
    let requests = 0
    const client = createNanoBananaClient({
      provider: adapter,
      apiKey: 'sk-test-key',
      baseUrl: 'http://127.0.0.1:9',
      fetch: async () => {
        requests++
        return new Response('{}')
      },
    })
    const error = await client.submit({ prompt: 'p', model, aspectRatio: removed }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnsupportedOptionError)
    expect((error as UnsupportedOptionError).allowed).not.toContain(removed)
    expect((error as UnsupportedOptionError).allowed).toContain('7:3')
    expect(requests).toBe(0)
  })
})

describe('readSubmit', () => {
  it('a task API must read its create answer; a synchronous one reads it with readTask by default', () => {
    const task = ids.find((id) => !providers[id].meta?.synchronous)!
    const { readSubmit: _taskReader, ...withoutReader } = minimal(providers[task].meta!)
    expect(() => defineProvider(withoutReader)).toThrow(/needs readSubmit/)

    const sync = providerIds.find((id) => providers[id].meta?.synchronous)!
    const answer = { taskId: 'answer-1', provider: sync, status: 'succeeded' as const, urls: [], raw: {} }
    const { readSubmit: _syncReader, ...rest } = minimal(providers[sync].meta!)
    const adapter = defineProvider({ ...rest, operations: { create: rest.operations!.create }, readTask: () => answer })
    expect(adapter.parseSubmit({}, new Response(null))).toEqual({ taskId: 'answer-1', task: answer })
  })
})
