import { expect, it } from 'vitest'
import { ContentPolicyError, NoImageError, ServerError } from '../../src/index.js'
import type { SyncFixture } from '../fixture.js'

export const syncFixture: SyncFixture = {
  success: 'images',
  images: 1,
  refusals: { empty: NoImageError },
  failedClass: NoImageError,
  errorOverrides: { content_policy: ContentPolicyError, provider_overloaded: ServerError },
  tests(kit) {
    it('openrouter: one request for n images; references as image_url objects (URLs, OpenRouter fetches them); 512 spelled "512"', async () => {
      const { body, url } = await kit.sent({
        prompt: 'p',
        model: 'google/gemini-3.1-flash-image-preview',
        n: 3,
        aspectRatio: '1:4',
        resolution: '0.5K',
        images: ['https://example.com/a.png'],
      })
      expect(new URL(url).pathname).toBe('/images')
      expect(body).toEqual({
        model: 'google/gemini-3.1-flash-image-preview',
        prompt: 'p',
        n: 3,
        aspect_ratio: '1:4',
        resolution: '512',
        input_references: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }],
      })
    })

    it('openrouter: error.metadata names the upstream provider and the flagged reasons', () => {
      const error = kit.adapter.parseError(
        400,
        { error: { code: 400, message: 'Input was flagged', metadata: { error_type: 'content_policy', reasons: ['violence'], provider_name: 'Google AI Studio' } } },
        new Headers(),
      )
      expect(error).toBeInstanceOf(ContentPolicyError)
      expect(error.message).toContain('violence')
      expect(error.message).toContain('Google AI Studio')
    })
  },
}
