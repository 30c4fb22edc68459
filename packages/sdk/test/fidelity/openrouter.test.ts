// openrouter: an error code or type outside the documented table still parses into a typed error with
// its message; the callback schedule follows the one convention.
import { describe, expect, it } from 'vitest'
import { META } from '@nano-banana/manifest'
import { createNanoBanana } from '../../src/index.js'
import { validator } from '../support.js'
import { BASE, KEY, recordingFetch } from './support.js'

describe('openrouter spec fidelity', () => {
  it('an unlisted error code keeps its message, code and type', async () => {
    const { fetch } = recordingFetch(() => ({ status: 400, body: { error: { code: 'prompt_too_creative', message: 'Try again', type: 'brand_new_type' } } }))
    const nb = createNanoBanana({ provider: 'openrouter', apiKey: KEY, baseUrl: BASE, fetch })
    await expect(nb.submit({ prompt: 'a' })).rejects.toMatchObject({
      name: 'InvalidRequestError',
      code: 'prompt_too_creative',
      type: 'brand_new_type',
      message: expect.stringContaining('Try again'),
    })
  })

  it('the spec accepts an error body with an unlisted code and type, and without a type', () => {
    const validate = validator('openrouter', 'ErrorResponse')
    expect(validate({ error: { code: 'prompt_too_creative', message: 'Try again', type: 'brand_new_type' } })).toBe(true)
    expect(validate({ error: { code: 'prompt_too_creative', message: 'Try again' } })).toBe(true)
  })

  it('callback retries: immediately, then 3 and 10 minutes after the first attempt', () => {
    expect(META.openrouter.callback?.retryDelaysSeconds).toEqual([180, 420])
  })
})
