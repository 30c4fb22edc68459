// The local capability check: for every provider and every option, one accepted and one rejected
// value; a rejected request lists the allowed values and sends nothing.
import { describe, expect, it } from 'vitest'
import {
  createNanoBanana,
  InvalidRequestError,
  UnsupportedOptionError,
  type AspectRatio,
  providers,
  type GenerateRequest,
  type ModelCapabilities,
  type OutputFormat,
  type ProviderId,
  type Resolution,
} from '../src/index.js'
import { API_KEY, fakeFetch, FIXTURES, ids, successExample } from './support.js'

// Every value any provider's model offers: each model must take its own and refuse the others.
const everyValue = <T>(of: (m: ModelCapabilities) => readonly T[]): T[] => [...new Set(ids.flatMap((id) => Object.values(providers[id].models).flatMap(of)))]
const ALL_RATIOS: AspectRatio[] = everyValue((m) => m.aspectRatios)
const ALL_RESOLUTIONS: Resolution[] = everyValue((m) => m.resolutions)
const ALL_FORMATS: OutputFormat[] = everyValue((m) => m.outputFormats)

function setup(id: ProviderId) {
  const created = successExample(id, 'createImageTask', FIXTURES[id].created)
  const spy = fakeFetch(() => ({ body: created }))
  const nb = createNanoBanana({ provider: id, apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9', fetch: spy.fetch })
  return { nb, spy, adapter: nb.provider }
}

const url = (i: number) => `https://example.com/ref-${i}.png`

interface Case {
  option: string
  accepted: Partial<GenerateRequest>
  rejected: Partial<GenerateRequest>
  /** The values the error must list (UnsupportedOptionError), or a text the message must contain. */
  allowed?: readonly (string | number)[]
  mentions?: string
  model?: string
}

/** One accepted and one rejected value per option, from the provider's own capability table. */
function cases(id: ProviderId): Case[] {
  const { adapter } = setup(id)
  const models = Object.values(adapter.models)
  const model = adapter.models[adapter.defaultModel]!
  const out: Case[] = []
  const badRatio = ALL_RATIOS.find((r) => !model.aspectRatios.includes(r)) ?? ('7:3' as AspectRatio)
  out.push({ option: 'aspectRatio', accepted: { aspectRatio: model.aspectRatios.at(-1)! }, rejected: { aspectRatio: badRatio }, allowed: model.aspectRatios })
  const badResolution = ALL_RESOLUTIONS.find((r) => !model.resolutions.includes(r)) ?? ('8K' as Resolution)
  out.push({ option: 'resolution', accepted: { resolution: model.resolutions.at(-1)! }, rejected: { resolution: badResolution }, allowed: model.resolutions })
  // Output format: use a model that can choose one, when the default cannot.
  const withFormat = model.outputFormats.length ? model : (models.find((m) => m.outputFormats.length) ?? model)
  const badFormat = ALL_FORMATS.find((f) => !withFormat.outputFormats.includes(f)) ?? ('gif' as OutputFormat)
  out.push({
    option: 'outputFormat',
    model: withFormat.id,
    ...(withFormat.outputFormats.length ? { accepted: { outputFormat: withFormat.outputFormats[0]! } } : { accepted: {} }),
    rejected: { outputFormat: badFormat },
    allowed: withFormat.outputFormats,
  })
  out.push({ option: 'n', accepted: { n: model.maxN }, rejected: { n: model.maxN + 1 }, allowed: Array.from({ length: model.maxN }, (_, i) => i + 1) })
  out.push({
    option: 'images',
    accepted: { images: Array.from({ length: model.maxImages }, (_, i) => url(i)) },
    rejected: { images: Array.from({ length: model.maxImages + 1 }, (_, i) => url(i)) },
    mentions: `at most ${model.maxImages}`,
  })
  out.push({
    option: 'prompt',
    accepted: { prompt: 'p'.repeat(model.maxPromptLength) },
    rejected: { prompt: 'p'.repeat(model.maxPromptLength + 1) },
    mentions: `at most ${model.maxPromptLength}`,
  })
  out.push({ option: 'model', accepted: { model: models.at(-1)!.id }, rejected: { model: 'imagen-9' }, allowed: Object.keys(adapter.models) })
  return out
}

describe.each(ids)('%s capability check', (id) => {
  it.each(cases(id).map((c) => [c.option, c] as const))('%s: accepted value is sent', async (_, c) => {
    const { nb, spy } = setup(id)
    const submission = await nb.submit({ prompt: 'A nano banana', ...(c.model ? { model: c.model } : {}), ...c.accepted })
    expect(submission.taskId).toBe(FIXTURES[id].taskIdOf(successExample(id, 'createImageTask', FIXTURES[id].created), submission.model))
    expect(spy.calls).toHaveLength(1)
  })

  it.each(cases(id).map((c) => [c.option, c] as const))('%s: rejected value lists what is allowed and sends nothing', async (_, c) => {
    const { nb, spy } = setup(id)
    const error = await nb.submit({ prompt: 'A nano banana', ...(c.model ? { model: c.model } : {}), ...c.rejected }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error).toMatchObject({ provider: id })
    if (c.allowed) {
      expect(error).toBeInstanceOf(UnsupportedOptionError)
      expect((error as UnsupportedOptionError).allowed).toEqual(c.allowed)
      expect((error as UnsupportedOptionError).param).toBe(c.option)
      for (const value of c.allowed) expect((error as Error).message).toContain(String(value))
    }
    if (c.mentions) expect((error as Error).message).toContain(c.mentions)
    expect(spy.calls).toHaveLength(0)
  })

  it('every model accepts its whole table and rejects a value outside it, before sending', async () => {
    const { nb, spy, adapter } = setup(id)
    for (const model of Object.values(adapter.models)) {
      for (const aspectRatio of model.aspectRatios) await nb.submit({ prompt: 'p', model: model.id, aspectRatio })
      for (const resolution of model.resolutions) await nb.submit({ prompt: 'p', model: model.id, resolution })
      for (const outputFormat of model.outputFormats) await nb.submit({ prompt: 'p', model: model.id, outputFormat })
      const sent = spy.calls.length
      for (const aspectRatio of ALL_RATIOS.filter((r) => !model.aspectRatios.includes(r))) {
        await expect(nb.submit({ prompt: 'p', model: model.id, aspectRatio })).rejects.toBeInstanceOf(UnsupportedOptionError)
      }
      for (const resolution of ALL_RESOLUTIONS.filter((r) => !model.resolutions.includes(r))) {
        await expect(nb.submit({ prompt: 'p', model: model.id, resolution })).rejects.toBeInstanceOf(UnsupportedOptionError)
      }
      for (const outputFormat of ALL_FORMATS.filter((f) => !model.outputFormats.includes(f))) {
        await expect(nb.submit({ prompt: 'p', model: model.id, outputFormat })).rejects.toBeInstanceOf(UnsupportedOptionError)
      }
      expect(spy.calls.length).toBe(sent)
    }
  })

  it('refuses a non-https or private callback URL, and a callback where the provider has none', async () => {
    const { nb, spy, adapter } = setup(id)
    await expect(nb.submit({ prompt: 'p', callbackUrl: 'http://example.com/hook' })).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(nb.submit({ prompt: 'p', callbackUrl: 'https://192.168.1.2/hook' })).rejects.toBeInstanceOf(InvalidRequestError)
    if (adapter.supportsCallback === false) {
      await expect(nb.submit({ prompt: 'p', callbackUrl: 'https://example.com/hook' })).rejects.toBeInstanceOf(UnsupportedOptionError)
      expect(spy.calls).toHaveLength(0)
    } else {
      await nb.submit({ prompt: 'p', callbackUrl: 'https://example.com/hook' })
      expect(spy.calls).toHaveLength(1)
    }
  })

  it('rejects an empty prompt, n = 0 and a non-URL image without sending', async () => {
    const { nb, spy } = setup(id)
    await expect(nb.submit({ prompt: '  ' })).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(nb.submit({ prompt: 'p', n: 0 })).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(nb.submit({ prompt: 'p', images: ['file:///etc/passwd'] })).rejects.toBeInstanceOf(InvalidRequestError)
    expect(spy.calls).toHaveLength(0)
  })
})

describe('harmless ignored options give warnings, not silence', () => {
  it.each(ids.map((id) => [id, FIXTURES[id].ignoredOption] as const))('%s %j', async (id, { request, option }) => {
    const { nb } = setup(id)
    const submission = await nb.submit({ prompt: 'p', ...request })
    expect(submission.warnings).toEqual([expect.objectContaining({ type: 'ignored-option', option })])
  })
})
