// The ImageModelV3 contract called directly (as `ai` does), and the size-to-aspect-ratio mapping.
import { UnsupportedFunctionalityError, type ImageModelV3CallOptions } from '@ai-sdk/provider'
import { AbortError, providerIds, providers } from '@nano-banana/sdk'
import { checkImage, imageInfo, waitFor } from '@nano-banana/testkit'
import { describe, expect, it } from 'vitest'
import { createNanoBananaProvider, nearestAspectRatio } from '../src/index.js'
import { pick, useSandbox } from './support.js'

const context = useSandbox()

const call = (overrides: Partial<ImageModelV3CallOptions> = {}): ImageModelV3CallOptions => ({
  prompt: 'A nano banana',
  n: 1,
  size: undefined,
  aspectRatio: undefined,
  seed: undefined,
  files: undefined,
  mask: undefined,
  providerOptions: {},
  ...overrides,
})

describe('doGenerate', () => {
  it('splits n above maxImagesPerCall into tasks and reports each task id', async () => {
    const { id, model: modelName } = pick(
      'returns one image per task and does 9:16',
      (caps, p) => caps.id === providers[p].defaultModel && caps.maxN === 1 && caps.aspectRatios.includes('9:16'),
    )
    const model = context.nanoBanana.image(id)
    expect(model.maxImagesPerCall).toBe(1)
    const before = context.sandbox.submissions(id)
    const result = await model.doGenerate(call({ n: 3, aspectRatio: '9:16' }))
    expect(context.sandbox.submissions(id)).toBe(before + 3)
    expect(result.images).toHaveLength(3)
    for (const bytes of result.images as Uint8Array[]) {
      const info = imageInfo(bytes)
      expect(info.width / info.height).toBeCloseTo(9 / 16, 1)
    }
    const meta = result.providerMetadata!['nano-banana'] as unknown as { taskId: string; taskIds: string[]; provider: string; images: Array<{ taskId: string }> }
    expect(meta.provider).toBe(id)
    expect(new Set(meta.taskIds).size).toBe(3)
    expect(meta.taskId).toBe(meta.taskIds[0])
    expect(meta.images.map((i) => i.taskId)).toEqual(meta.taskIds)
    expect(result.response.modelId).toBe(modelName)
    expect(result.response.headers?.['content-type']).toMatch(/json/)
  })

  it('sends n to a provider that returns several images per task', async () => {
    // One task with n images: not a provider whose n images are n requests (`repeatForN`).
    const { id, caps, modelId } = pick(
      'returns 3 or more images per task and does 1:1',
      (c, p) => c.maxN >= 3 && c.aspectRatios.includes('1:1') && !providers[p].repeatForN && !providers[p].synchronous,
    )
    const model = context.nanoBanana.image(modelId)
    expect(model.maxImagesPerCall).toBe(caps.maxN)
    const result = await model.doGenerate(call({ n: 3, aspectRatio: '1:1' }))
    expect(result.images).toHaveLength(3)
    const meta = result.providerMetadata!['nano-banana'] as unknown as { taskIds: string[] }
    expect(meta.taskIds).toHaveLength(1)
    expect(context.sandbox.tasks.get(id, meta.taskIds[0]!)?.n).toBe(3)
  })

  it('a synchronous provider: its inline images are the result bytes, with no download request and no data: URL in the metadata', async () => {
    const { id, modelId } = pick('answers synchronously with inline images', (_c, p) => providers[p].synchronous === true)
    const before = context.sandbox.requests.length
    const result = await context.nanoBanana.image(modelId).doGenerate(call({ n: 2 }))
    expect(result.images).toHaveLength(2)
    for (const image of result.images) expect(checkImage(Buffer.from(image as Uint8Array)).format).toBe('png')
    const phases = context.sandbox.requests.slice(before).map((r) => r.phase)
    expect(phases.every((phase) => phase === 'submit')).toBe(true)
    const meta = result.providerMetadata!['nano-banana'] as unknown as { images: { inline?: boolean; url?: string; provider: string }[] }
    expect(meta.images).toEqual([expect.objectContaining({ inline: true, provider: id }), expect.objectContaining({ inline: true, provider: id })])
    expect(meta.images.every((image) => image.url === undefined)).toBe(true)
  })

  it('refuses a mask before any request', async () => {
    const id = providerIds[0]!
    const before = context.sandbox.submissions(id)
    await expect(
      context.nanoBanana
        .image(id)
        .doGenerate(call({ files: [{ type: 'url', url: 'https://example.com/a.png' }], mask: { type: 'url', url: 'https://example.com/m.png' } })),
    ).rejects.toBeInstanceOf(UnsupportedFunctionalityError)
    expect(context.sandbox.submissions(id)).toBe(before)
  })

  it('rejects a wrongly typed nano-banana option', async () => {
    await expect(context.nanoBanana.image(providerIds[0]!).doGenerate(call({ providerOptions: { 'nano-banana': { images: 'https://x' } } }))).rejects.toThrow(
      /images must be an array/,
    )
  })

  it('stops on abort', async () => {
    const id = providerIds[0]!
    const controller = new AbortController()
    const before = context.sandbox.submissions(id)
    const pending = context.nanoBanana.image(id).doGenerate(call({ abortSignal: controller.signal }))
    // Abort once the task was submitted, so the wait is what gets cut short.
    await waitFor(() => context.sandbox.submissions(id) > before, { what: 'the submit' })
    controller.abort()
    await expect(pending).rejects.toBeInstanceOf(AbortError)
  })

  it('needs an API key', async () => {
    const id = providerIds[0]!
    const { envKey } = providers[id]
    const saved = process.env[envKey]
    delete process.env[envKey]
    try {
      await expect(createNanoBananaProvider().image(id).doGenerate(call())).rejects.toThrow(envKey)
    } finally {
      if (saved !== undefined) process.env[envKey] = saved
    }
  })
})

describe('nearestAspectRatio', () => {
  const all = ['auto', '1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const
  it.each([
    ['1024x1024', '1:1'],
    ['1920x1080', '16:9'],
    ['1080x1920', '9:16'],
    ['2560x1080', '21:9'],
    ['1000x1480', '2:3'],
    ['1200x1000', '5:4'],
    ['4000x1000', '21:9'],
  ])('%s -> %s', (size, ratio) => {
    expect(nearestAspectRatio(size, all)).toBe(ratio)
  })
  it('undefined for a malformed size or no fixed ratio', () => {
    expect(nearestAspectRatio('big', all)).toBeUndefined()
    expect(nearestAspectRatio('0x10', all)).toBeUndefined()
    expect(nearestAspectRatio('10x10', ['auto'])).toBeUndefined()
  })
})
