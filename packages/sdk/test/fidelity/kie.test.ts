// kie sells editing as its own model: reference images go to google/nano-banana-edit's `image_urls`, and
// the newer models take `image_input`; an edit must never silently run as text-to-image.
import { describe, expect, it } from 'vitest'
import { createNanoBanana, type ModelId } from '../../src/index.js'
import { BASE, KEY, recordingFetch } from './support.js'

describe('kie reference images', () => {
  it.each<[ModelId<'kie'>, string]>([
    ['google/nano-banana-edit', 'image_urls'],
    ['nano-banana-pro', 'image_input'],
    ['nano-banana-2', 'image_input'],
  ])('%s sends input.%s', async (model, field) => {
    const { fetch, calls } = recordingFetch(() => ({ body: { code: 200, msg: 'success', data: { taskId: 't-1' } } }))
    const nb = createNanoBanana({ provider: 'kie', apiKey: KEY, baseUrl: BASE, fetch })
    await nb.submit({ prompt: 'edit this', model, images: ['https://example.com/a.png'] })
    expect(calls[0]!.body.input[field]).toEqual(['https://example.com/a.png'])
  })
})
