// The real `ai` package's generateImage against the offline sandbox, for every provider.
import { UnsupportedFunctionalityError, NoSuchModelError } from '@ai-sdk/provider'
import { providerIds, providers, UnsupportedOptionError, type ProviderId } from '@nano-banana/sdk'
import { imageInfo } from '@nano-banana/testkit'
import { generateImage } from 'ai'
import { describe, expect, it } from 'vitest'
import { NanoBananaImageModel } from '../src/index.js'
import { metadataOf, pick, useSandbox } from './support.js'

const context = useSandbox({ retry: { submit: { maxRetries: 0 } } })
const ratioOf = (width: number, height: number) => width / height

// Providers side by side (each test mostly waits on its sandbox task); within one provider one test after
// another, since they count that provider's submissions.
describe.concurrent.each(providerIds)('%s', (id: ProviderId) => {
  const adapter = providers[id]
  const modelId = `${id}/${adapter.defaultModel}` as const

  it.sequential('generates an image with the requested aspect ratio, as PNG/JPEG bytes, with the task id in providerMetadata', async () => {
    const before = context.sandbox.submissions(id)
    const result = await generateImage({
      model: context.nanoBanana.image(modelId),
      prompt: 'A nano banana on a sunny desk',
      aspectRatio: '16:9',
    })
    expect(context.sandbox.submissions(id)).toBe(before + 1)
    expect(result.images).toHaveLength(1)
    const image = result.images[0]!
    const info = imageInfo(image.uint8Array)
    expect(['png', 'jpeg']).toContain(info.format)
    expect(image.mediaType).toBe(`image/${info.format}`)
    expect(ratioOf(info.width, info.height)).toBeCloseTo(16 / 9, 1)
    const meta = metadataOf(result.providerMetadata)
    expect(meta.images).toHaveLength(1)
    expect(meta.images[0]!.taskId).toMatch(/\S/)
    expect(meta.images[0]!.provider).toBe(id)
    expect(meta.images[0]!.contentType).toBe(`image/${info.format}`)
    expect(context.sandbox.tasks.get(id, meta.images[0]!.taskId)).toMatchObject({ prompt: 'A nano banana on a sunny desk', phase: 'succeeded' })
    expect(result.responses).toHaveLength(1)
    expect(result.responses[0]!.modelId).toBe(adapter.defaultModel)
    expect(result.responses[0]!.timestamp).toBeInstanceOf(Date)
    expect(result.responses[0]!.headers).toBeTypeOf('object')
  })

  it.sequential('the default model for a bare provider id', () => {
    const model = context.nanoBanana.image(id)
    expect(model).toBeInstanceOf(NanoBananaImageModel)
    expect(model.specificationVersion).toBe('v3')
    expect(model.provider).toBe(`nano-banana.${id}`)
    expect(model.modelId).toBe(adapter.defaultModel)
    expect(model.maxImagesPerCall).toBe(adapter.models[adapter.defaultModel]!.maxN)
  })

  it.sequential('warns on seed, maps a pixel size to the nearest supported aspect ratio', async () => {
    const result = await generateImage({
      model: context.nanoBanana.image(modelId),
      prompt: 'A tall banana',
      size: '1000x1480',
      seed: 42,
    })
    expect(result.warnings).toContainEqual(expect.objectContaining({ type: 'unsupported', feature: 'seed' }))
    expect(result.warnings).toContainEqual(expect.objectContaining({ type: 'compatibility', feature: 'size', details: expect.stringContaining('2:3') }))
    const info = imageInfo(result.images[0]!.uint8Array)
    expect(ratioOf(info.width, info.height)).toBeCloseTo(2 / 3, 1)
  })

  it.sequential('warns that size is unused when aspectRatio is given too', async () => {
    const result = await generateImage({ model: context.nanoBanana.image(modelId), prompt: 'A banana', size: '1024x1024', aspectRatio: '3:4' })
    expect(result.warnings).toContainEqual(expect.objectContaining({ type: 'unsupported', feature: 'size' }))
    const info = imageInfo(result.images[0]!.uint8Array)
    expect(ratioOf(info.width, info.height)).toBeCloseTo(3 / 4, 1)
  })

  it.sequential('rejects an unsupported aspect ratio before any request', async () => {
    const before = context.sandbox.submissions(id)
    const error = await generateImage({ model: context.nanoBanana.image(modelId), prompt: 'A banana', aspectRatio: '7:5' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnsupportedOptionError)
    expect((error as UnsupportedOptionError).param).toBe('aspectRatio')
    expect(context.sandbox.submissions(id)).toBe(before)
  })

  it.sequential('returns n images, one task per maxImagesPerCall', async () => {
    const maxN = adapter.models[adapter.defaultModel]!.maxN
    const result = await generateImage({ model: context.nanoBanana.image(modelId), prompt: 'Two bananas', n: 2, aspectRatio: '1:1' })
    expect(result.images).toHaveLength(2)
    const taskIds = new Set(metadataOf(result.providerMetadata).images.map((i) => i.taskId))
    expect(taskIds.size).toBe(maxN >= 2 ? 1 : 2)
    for (const image of result.images) expect(imageInfo(image.uint8Array).width).toBe(imageInfo(image.uint8Array).height)
  })
})

describe('provider options', () => {
  it("accepts 'auto' through providerOptions", async () => {
    const { modelId } = pick("takes aspect ratio 'auto'", (caps) => caps.aspectRatios.includes('auto'))
    const result = await generateImage({
      model: context.nanoBanana.image(modelId),
      prompt: 'A banana',
      providerOptions: { 'nano-banana': { aspectRatio: 'auto' } },
    })
    expect(result.images).toHaveLength(1)
  })

  it('rejects an unsupported resolution before any request', async () => {
    const { id, modelId } = pick('cannot do 4K', (caps) => !caps.resolutions.includes('4K'))
    const before = context.sandbox.submissions(id)
    await expect(
      generateImage({ model: context.nanoBanana.image(modelId), prompt: 'A banana', providerOptions: { 'nano-banana': { resolution: '4K' } } }),
    ).rejects.toBeInstanceOf(UnsupportedOptionError)
    expect(context.sandbox.submissions(id)).toBe(before)
  })

  it('warns on unknown nano-banana options and on options the model does not send', async () => {
    const { caps, modelId } = pick('has a documented resolution it does not send', (c) => (c.notSent ?? []).includes('resolution') && c.resolutions.length > 0)
    const result = await generateImage({
      model: context.nanoBanana.image(modelId),
      prompt: 'A banana',
      providerOptions: { 'nano-banana': { resolution: caps.resolutions[0], colour: 'yellow' } },
    })
    expect(result.warnings).toContainEqual(expect.objectContaining({ type: 'unsupported', feature: 'providerOptions.nano-banana.colour' }))
    expect(result.warnings).toContainEqual(expect.objectContaining({ type: 'unsupported', feature: 'resolution' }))
  })

  it('refuses binary reference files and masks before any request', async () => {
    const id = providerIds[0]!
    const before = context.sandbox.submissions(id)
    await expect(
      generateImage({ model: context.nanoBanana.image(id), prompt: { text: 'Edit', images: [new Uint8Array([0x89, 0x50, 0x4e, 0x47])] } }),
    ).rejects.toBeInstanceOf(UnsupportedFunctionalityError)
    expect(context.sandbox.submissions(id)).toBe(before)
  })

  it('takes reference image URLs from the prompt', async () => {
    const { modelId } = pick('takes a reference image and 1:1', (caps) => caps.maxImages >= 1 && caps.aspectRatios.includes('1:1'))
    const result = await generateImage({
      model: context.nanoBanana.image(modelId),
      prompt: { text: 'Make it blue', images: ['https://example.com/banana.png'] },
      aspectRatio: '1:1',
    })
    expect(result.images).toHaveLength(1)
  })
})

describe('model ids', () => {
  it('unknown providers and models are NoSuchModelError', () => {
    expect(() => context.nanoBanana.image('nope/x' as never)).toThrow(NoSuchModelError)
    expect(() => context.nanoBanana.image(`${providerIds[0]!}/not-a-model`)).toThrow(NoSuchModelError)
    expect(() => context.nanoBanana.languageModel('x')).toThrow(NoSuchModelError)
  })
})
