// The ImageModelV3 contract called directly (as `ai` does), and the size-to-aspect-ratio mapping.
import { UnsupportedFunctionalityError, type ImageModelV3CallOptions } from '@ai-sdk/provider'
import { AbortError, providerIds } from '@nano-banana/sdk'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNanoBananaProvider, nearestAspectRatio, type NanoBananaProvider } from '../src/index.js'
import { imageInfo } from './image-info.js'

let sandbox: Sandbox
let nanoBanana: NanoBananaProvider

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, taskDurationMs: 200 })
  nanoBanana = createNanoBananaProvider({
    apiKeys: Object.fromEntries(providerIds.map((id) => [id, sandbox.apiKey])),
    baseUrls: sandbox.baseUrls(),
    polling: { initialDelayMs: 20, minDelayMs: 20 },
  })
})
afterAll(() => sandbox.close())

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
    const model = nanoBanana.image('odkkk')
    expect(model.maxImagesPerCall).toBe(1)
    const before = sandbox.submissions('odkkk')
    const result = await model.doGenerate(call({ n: 3, aspectRatio: '9:16' }))
    expect(sandbox.submissions('odkkk')).toBe(before + 3)
    expect(result.images).toHaveLength(3)
    for (const bytes of result.images as Uint8Array[]) {
      const info = imageInfo(bytes)
      expect(info.width / info.height).toBeCloseTo(9 / 16, 1)
    }
    const meta = result.providerMetadata!['nano-banana'] as unknown as { taskId: string; taskIds: string[]; provider: string; images: Array<{ taskId: string }> }
    expect(meta.provider).toBe('odkkk')
    expect(new Set(meta.taskIds).size).toBe(3)
    expect(meta.taskId).toBe(meta.taskIds[0])
    expect(meta.images.map((i) => i.taskId)).toEqual(meta.taskIds)
    expect(result.response.modelId).toBe('nano-banana-2-lite')
    expect(result.response.headers?.['content-type']).toMatch(/json/)
  })

  it('sends n to a provider that returns several images per task', async () => {
    const model = nanoBanana.image('uniall/NanoBanana2')
    expect(model.maxImagesPerCall).toBe(4)
    const result = await model.doGenerate(call({ n: 3, aspectRatio: '1:1' }))
    expect(result.images).toHaveLength(3)
    const meta = result.providerMetadata!['nano-banana'] as unknown as { taskIds: string[] }
    expect(meta.taskIds).toHaveLength(1)
    expect(sandbox.tasks.get('uniall', meta.taskIds[0]!)?.n).toBe(3)
  })

  it('refuses a mask before any request', async () => {
    const before = sandbox.submissions('evolink')
    await expect(
      nanoBanana.image('evolink').doGenerate(call({ files: [{ type: 'url', url: 'https://example.com/a.png' }], mask: { type: 'url', url: 'https://example.com/m.png' } })),
    ).rejects.toBeInstanceOf(UnsupportedFunctionalityError)
    expect(sandbox.submissions('evolink')).toBe(before)
  })

  it('rejects a wrongly typed nano-banana option', async () => {
    await expect(nanoBanana.image('evolink').doGenerate(call({ providerOptions: { 'nano-banana': { images: 'https://x' } } }))).rejects.toThrow(/images must be an array/)
  })

  it('stops on abort', async () => {
    const controller = new AbortController()
    const pending = nanoBanana.image('crun').doGenerate(call({ abortSignal: controller.signal }))
    setTimeout(() => controller.abort(), 50)
    await expect(pending).rejects.toBeInstanceOf(AbortError)
  })

  it('needs an API key', async () => {
    const saved = process.env.EVOLINK_API_KEY
    delete process.env.EVOLINK_API_KEY
    try {
      await expect(createNanoBananaProvider().image('evolink').doGenerate(call())).rejects.toThrow(/EVOLINK_API_KEY/)
    } finally {
      if (saved !== undefined) process.env.EVOLINK_API_KEY = saved
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
