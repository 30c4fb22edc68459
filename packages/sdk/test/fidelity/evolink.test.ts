// EvoLink: the cancelled outcome its callback docs name, its documented beta models, Flash-Lite's
// ratios (no extreme ones) and the larger of the two documented prompt limits of gemini-2.5-flash-image.
import { describe, expect, expectTypeOf, it } from 'vitest'
import { createNanoBanana, UnsupportedOptionError, type AspectRatioOf, type ModelId, type ResolutionOf } from '../../src/index.js'
import { BASE, KEY, recordingFetch } from './support.js'

const created = { id: 'task-unified-1-abc', status: 'pending', model: 'm', object: 'image.generation.task', created: 1, progress: 0 }

describe('evolink spec fidelity', () => {
  it('a task reported as "cancelled" is canceled, not an unknown status', async () => {
    const { fetch } = recordingFetch(() => ({ body: { ...created, status: 'cancelled' } }))
    const nb = createNanoBanana({ provider: 'evolink', apiKey: KEY, baseUrl: BASE, fetch })
    const task = await nb.getTask('task-unified-1-abc')
    expect(task.status).toBe('canceled')
  })

  it.each(['nano-banana-2-beta', 'nano-banana-beta'] as const)('the documented beta model %s is accepted and sent', async (model) => {
    const { fetch, calls } = recordingFetch(() => ({ body: created }))
    const nb = createNanoBanana({ provider: 'evolink', apiKey: KEY, baseUrl: BASE, fetch })
    await nb.submit({ prompt: 'a cat', model })
    expect(calls[0]!.body.model).toBe(model)
  })

  it('gemini-3.1-flash-lite-image refuses an extreme ratio before any request', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: created }))
    const nb = createNanoBanana({ provider: 'evolink', apiKey: KEY, baseUrl: BASE, fetch })
    // @ts-expect-error the model's spec lists no 1:4: refused at compile time too
    await expect(nb.submit({ prompt: 'a cat', model: 'gemini-3.1-flash-lite-image', aspectRatio: '1:4' })).rejects.toBeInstanceOf(UnsupportedOptionError)
    expect(calls).toHaveLength(0)
  })

  it('gemini-2.5-flash-image takes a 1500-character prompt (the FR page allows 2000)', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: created }))
    const nb = createNanoBanana({ provider: 'evolink', apiKey: KEY, baseUrl: BASE, fetch })
    await nb.submit({ prompt: 'x'.repeat(1500), model: 'gemini-2.5-flash-image' })
    expect(calls).toHaveLength(1)
  })

  it('types: model ids and per-model options come from the spec (compile-time checks)', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: created }))
    const nb = createNanoBanana({ provider: 'evolink', apiKey: KEY, baseUrl: BASE, fetch })
    expectTypeOf<'gemini-2.5-flash-image'>().toExtend<ModelId<'evolink'>>()
    expectTypeOf<string>().not.toExtend<ModelId<'evolink'>>()
    // gemini-2.5-flash-image lists eight ratios (no 21:9) and one resolution.
    expectTypeOf<'21:9'>().not.toExtend<AspectRatioOf<'evolink', 'gemini-2.5-flash-image'>>()
    expectTypeOf<'21:9'>().toExtend<AspectRatioOf<'evolink', 'gemini-3-pro-image-preview'>>()
    expectTypeOf<ResolutionOf<'evolink', 'gemini-2.5-flash-image'>>().toEqualTypeOf<'1K'>()
    await nb.submit({ prompt: 'a cat', model: 'gemini-2.5-flash-image', aspectRatio: '16:9', resolution: '1K' })
    await nb.submit({ prompt: 'a cat', model: 'gemini-3-pro-image-preview', aspectRatio: '21:9', resolution: '4K' })
    // @ts-expect-error not an EvoLink model id
    await expect(nb.submit({ prompt: 'a cat', model: 'NanoBanana2' })).rejects.toBeInstanceOf(UnsupportedOptionError)
    // @ts-expect-error 21:9 is not one of gemini-2.5-flash-image's ratios
    await expect(nb.submit({ prompt: 'a cat', model: 'gemini-2.5-flash-image', aspectRatio: '21:9' })).rejects.toBeInstanceOf(UnsupportedOptionError)
    // @ts-expect-error gemini-2.5-flash-image makes 1K only
    await expect(nb.generate({ prompt: 'a cat', model: 'gemini-2.5-flash-image', resolution: '4K' })).rejects.toBeInstanceOf(UnsupportedOptionError)
    // Without a model, the default model's values.
    // @ts-expect-error 0.5K is not a resolution of the default model
    await expect(nb.submit({ prompt: 'a cat', resolution: '0.5K' })).rejects.toBeInstanceOf(UnsupportedOptionError)
    expect(calls).toHaveLength(2)
  })
})
