// Replicate takes the model in the path, not the body, and reference images in `input.image_input`.
import { describe, expect, it } from 'vitest'
import { createNanoBanana, type ModelId } from '../../src/index.js'
import { BASE, KEY, recordingFetch } from './support.js'

describe('replicate requests', () => {
  it.each<ModelId<'replicate'>>(['google/nano-banana', 'google/nano-banana-pro', 'google/nano-banana-2'])(
    '%s: the model goes to the path, images to input.image_input',
    async (model) => {
      const { fetch, calls } = recordingFetch(() => ({ status: 201, body: { id: 'p-1', status: 'starting' } }))
      const nb = createNanoBanana({ provider: 'replicate', apiKey: KEY, baseUrl: BASE, fetch })
      await nb.submit({ prompt: 'edit this', model, images: ['https://example.com/a.png'] })
      expect(calls[0]!.url).toBe(`${BASE}/models/${model}/predictions`)
      expect(calls[0]!.body).toEqual({ input: { prompt: 'edit this', image_input: ['https://example.com/a.png'] } })
    },
  )

  it('cancel posts to /predictions/{id}/cancel and reads the prediction', async () => {
    const { fetch, calls } = recordingFetch((call) => ({ body: { id: 'p-1', status: call.url.endsWith('p-1/cancel') ? 'canceled' : 'succeeded' } }))
    const nb = createNanoBanana({ provider: 'replicate', apiKey: KEY, baseUrl: BASE, fetch })
    await expect(nb.cancel('p-1')).resolves.toEqual({ canceled: true })
    expect(calls[0]).toMatchObject({ method: 'POST', url: `${BASE}/predictions/p-1/cancel` })
    // An ended prediction stays as it ended: nothing was canceled.
    await expect(nb.cancel('p-2')).resolves.toEqual({ canceled: false })
  })
})
