// The real `ai` package's generateImage against the offline sandbox, for every provider.
import { UnsupportedFunctionalityError, NoSuchModelError } from '@ai-sdk/provider'
import { providerIds, providers, UnsupportedOptionError, type ProviderId } from '@nano-banana/sdk'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { generateImage } from 'ai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNanoBananaProvider, NanoBananaImageModel, type NanoBananaProvider } from '../src/index.js'
import { imageInfo } from './image-info.js'

let sandbox: Sandbox
let nanoBanana: NanoBananaProvider

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, taskDurationMs: 200 })
  nanoBanana = createNanoBananaProvider({
    apiKeys: Object.fromEntries(providerIds.map((id) => [id, sandbox.apiKey])),
    baseUrls: sandbox.baseUrls(),
    polling: { initialDelayMs: 20, minDelayMs: 20 },
    retry: { submit: { maxRetries: 0 } },
  })
})
afterAll(() => sandbox.close())

const ratioOf = (width: number, height: number) => width / height
const metadataOf = (providerMetadata: unknown) =>
  (providerMetadata as Record<string, { images: Array<{ taskId: string; provider: string; model: string; url: string; contentType: string }> }>)['nano-banana']!

describe.each(providerIds)('%s', (id: ProviderId) => {
  const adapter = providers[id]
  const modelId = `${id}/${adapter.defaultModel}` as const

  it('generates an image with the requested aspect ratio, as PNG/JPEG bytes, with the task id in providerMetadata', async () => {
    const before = sandbox.submissions(id)
    const result = await generateImage({
      model: nanoBanana.image(modelId),
      prompt: 'A nano banana on a sunny desk',
      aspectRatio: '16:9',
    })
    expect(sandbox.submissions(id)).toBe(before + 1)
    expect(result.images).toHaveLength(1)
    const image = result.images[0]!
    const info = imageInfo(image.uint8Array)
    expect(['png', 'jpeg']).toContain(info.type)
    expect(image.mediaType).toBe(`image/${info.type}`)
    expect(ratioOf(info.width, info.height)).toBeCloseTo(16 / 9, 1)
    const meta = metadataOf(result.providerMetadata)
    expect(meta.images).toHaveLength(1)
    expect(meta.images[0]!.taskId).toMatch(/\S/)
    expect(meta.images[0]!.provider).toBe(id)
    expect(meta.images[0]!.contentType).toBe(`image/${info.type}`)
    expect(sandbox.tasks.get(id, meta.images[0]!.taskId)).toMatchObject({ prompt: 'A nano banana on a sunny desk', phase: 'succeeded' })
    expect(result.responses).toHaveLength(1)
    expect(result.responses[0]!.modelId).toBe(adapter.defaultModel)
    expect(result.responses[0]!.timestamp).toBeInstanceOf(Date)
    expect(result.responses[0]!.headers).toBeTypeOf('object')
  })

  it('the default model for a bare provider id', () => {
    const model = nanoBanana.image(id)
    expect(model).toBeInstanceOf(NanoBananaImageModel)
    expect(model.specificationVersion).toBe('v3')
    expect(model.provider).toBe(`nano-banana.${id}`)
    expect(model.modelId).toBe(adapter.defaultModel)
    expect(model.maxImagesPerCall).toBe(adapter.models[adapter.defaultModel]!.maxN)
  })

  it('warns on seed, maps a pixel size to the nearest supported aspect ratio', async () => {
    const result = await generateImage({
      model: nanoBanana.image(modelId),
      prompt: 'A tall banana',
      size: '1000x1480',
      seed: 42,
    })
    expect(result.warnings).toContainEqual(expect.objectContaining({ type: 'unsupported', feature: 'seed' }))
    expect(result.warnings).toContainEqual(expect.objectContaining({ type: 'compatibility', feature: 'size', details: expect.stringContaining('2:3') }))
    const info = imageInfo(result.images[0]!.uint8Array)
    expect(ratioOf(info.width, info.height)).toBeCloseTo(2 / 3, 1)
  })

  it('warns that size is unused when aspectRatio is given too', async () => {
    const result = await generateImage({ model: nanoBanana.image(modelId), prompt: 'A banana', size: '1024x1024', aspectRatio: '3:4' })
    expect(result.warnings).toContainEqual(expect.objectContaining({ type: 'unsupported', feature: 'size' }))
    const info = imageInfo(result.images[0]!.uint8Array)
    expect(ratioOf(info.width, info.height)).toBeCloseTo(3 / 4, 1)
  })

  it('rejects an unsupported aspect ratio before any request', async () => {
    const before = sandbox.submissions(id)
    const error = await generateImage({ model: nanoBanana.image(modelId), prompt: 'A banana', aspectRatio: '7:5' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnsupportedOptionError)
    expect((error as UnsupportedOptionError).param).toBe('aspectRatio')
    expect(sandbox.submissions(id)).toBe(before)
  })

  it('returns n images, one task per maxImagesPerCall', async () => {
    const maxN = adapter.models[adapter.defaultModel]!.maxN
    const result = await generateImage({ model: nanoBanana.image(modelId), prompt: 'Two bananas', n: 2, aspectRatio: '1:1' })
    expect(result.images).toHaveLength(2)
    const taskIds = new Set(metadataOf(result.providerMetadata).images.map((i) => i.taskId))
    expect(taskIds.size).toBe(maxN >= 2 ? 1 : 2)
    for (const image of result.images) expect(imageInfo(image.uint8Array).width).toBe(imageInfo(image.uint8Array).height)
  })
})

describe('provider options', () => {
  it('passes resolution, outputFormat and raw body fields through', async () => {
    const result = await generateImage({
      model: nanoBanana.image('uniall/NanoBanana2'),
      prompt: 'A banana',
      aspectRatio: '4:3',
      providerOptions: { 'nano-banana': { resolution: '2K', outputFormat: 'jpeg' } },
    })
    const info = imageInfo(result.images[0]!.uint8Array)
    expect(info.type).toBe('jpeg')
    expect(result.images[0]!.mediaType).toBe('image/jpeg')
    expect(ratioOf(info.width, info.height)).toBeCloseTo(4 / 3, 1)
    const task = sandbox.tasks.get('uniall', metadataOf(result.providerMetadata).images[0]!.taskId)
    // UniAll encodes the resolution in its model tier name.
    expect(task).toMatchObject({ model: 'NanoBanana2-2K', format: 'jpeg', prompt: 'A banana' })
  })

  it('merges extraBody into the provider request and sends the call headers', async () => {
    const sent: Array<{ url: string; body: unknown; headers: Headers }> = []
    const recording: typeof fetch = async (input, init) => {
      if (init?.method === 'POST') sent.push({ url: String(input instanceof Request ? input.url : input), body: JSON.parse(String(init.body)), headers: new Headers(init.headers) })
      return fetch(input, init)
    }
    const provider = createNanoBananaProvider({
      apiKeys: { evolink: sandbox.apiKey },
      baseUrls: { evolink: sandbox.baseUrl('evolink') },
      polling: { initialDelayMs: 20, minDelayMs: 20 },
      fetch: recording,
    })
    const result = await generateImage({
      model: provider.image('evolink/gemini-3.1-flash-image-preview'),
      prompt: 'A banana',
      aspectRatio: '21:9',
      headers: { 'x-trace-id': 'abc' },
      providerOptions: { 'nano-banana': { resolution: '4K', extraBody: { model_params: { web_search: true } } } },
    })
    expect(sent).toHaveLength(1)
    expect(sent[0]!.body).toMatchObject({ model: 'gemini-3.1-flash-image-preview', prompt: 'A banana', size: '21:9', quality: '4K', model_params: { web_search: true } })
    expect(sent[0]!.headers.get('x-trace-id')).toBe('abc')
    expect(result.images).toHaveLength(1)
  })

  it("accepts 'auto' through providerOptions", async () => {
    const result = await generateImage({
      model: nanoBanana.image('evolink/gemini-3-pro-image-preview'),
      prompt: 'A banana',
      providerOptions: { 'nano-banana': { aspectRatio: 'auto' } },
    })
    expect(result.images).toHaveLength(1)
  })

  it('rejects an unsupported resolution before any request', async () => {
    const before = sandbox.submissions('crun')
    await expect(
      generateImage({ model: nanoBanana.image('crun/google/nano-banana'), prompt: 'A banana', providerOptions: { 'nano-banana': { resolution: '4K' } } }),
    ).rejects.toBeInstanceOf(UnsupportedOptionError)
    expect(sandbox.submissions('crun')).toBe(before)
  })

  it('warns on unknown nano-banana options and on options the model does not send', async () => {
    const result = await generateImage({
      model: nanoBanana.image('crun/google/nano-banana'),
      prompt: 'A banana',
      providerOptions: { 'nano-banana': { resolution: '1K', colour: 'yellow' } },
    })
    expect(result.warnings).toContainEqual(expect.objectContaining({ type: 'unsupported', feature: 'providerOptions.nano-banana.colour' }))
    expect(result.warnings).toContainEqual(expect.objectContaining({ type: 'unsupported', feature: 'resolution' }))
  })

  it('refuses binary reference files and masks before any request', async () => {
    const before = sandbox.submissions('evolink')
    await expect(
      generateImage({ model: nanoBanana.image('evolink'), prompt: { text: 'Edit', images: [new Uint8Array([0x89, 0x50, 0x4e, 0x47])] } }),
    ).rejects.toBeInstanceOf(UnsupportedFunctionalityError)
    expect(sandbox.submissions('evolink')).toBe(before)
  })

  it('takes reference image URLs from the prompt', async () => {
    const result = await generateImage({
      model: nanoBanana.image('aivideoapi'),
      prompt: { text: 'Make it blue', images: ['https://example.com/banana.png'] },
      aspectRatio: '1:1',
    })
    expect(result.images).toHaveLength(1)
  })
})

describe('model ids', () => {
  it('unknown providers and models are NoSuchModelError', () => {
    expect(() => nanoBanana.image('nope/x' as never)).toThrow(NoSuchModelError)
    expect(() => nanoBanana.image('evolink/not-a-model')).toThrow(NoSuchModelError)
    expect(() => nanoBanana.languageModel('x')).toThrow(NoSuchModelError)
  })

  it('crun model ids keep their slash', () => {
    expect(nanoBanana.image('crun/google/nano-banana-2').modelId).toBe('google/nano-banana-2')
  })
})
