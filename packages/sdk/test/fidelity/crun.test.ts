// Crun sends reference images in `input.img_urls` (its CreateTask docs and every Crun client), for the
// default model too: an edit must not silently run as text-to-image.
import { describe, expect, it } from 'vitest'
import { createNanoBanana } from '../../src/index.js'
import { BASE, KEY, recordingFetch } from './support.js'

describe('crun reference images', () => {
  it.each(['google/nano-banana', 'google/nano-banana-v2', 'google/nano-banana-2'] as const)('%s sends input.img_urls', async (model) => {
    const { fetch, calls } = recordingFetch(() => ({ body: { code: 200, message: 'success', data: { task_id: 't-1' } } }))
    const nb = createNanoBanana({ provider: 'crun', apiKey: KEY, baseUrl: BASE, fetch })
    await nb.submit({ prompt: 'edit this', model, images: ['https://example.com/a.png'] })
    expect(calls[0]!.body.input.img_urls).toEqual(['https://example.com/a.png'])
    expect(calls[0]!.body.input).not.toHaveProperty('image_urls')
  })
})
