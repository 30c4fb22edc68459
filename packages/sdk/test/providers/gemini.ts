import { expect, it } from 'vitest'
import { AuthenticationError, ContentPolicyError, NoImageError, RateLimitError } from '../../src/index.js'
import type { SyncFixture } from '../fixture.js'

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4dUkDiBggFAA6BgfRowlrjwAAAABJRU5ErkJggg=='

export const syncFixture: SyncFixture = {
  success: 'image',
  images: 1,
  refusals: { blockedPrompt: ContentPolicyError, imageSafety: ContentPolicyError, noImage: NoImageError, textOnly: NoImageError },
  failedClass: ContentPolicyError,
  // An invalid key is a 400 INVALID_ARGUMENT whose ErrorInfo reason says API_KEY_INVALID.
  errorOverrides: { API_KEY_INVALID: AuthenticationError },
  tests(kit) {
    it('gemini: the model goes in the path; prompt and inline references are parts; imageConfig per model, 512 spelled "512"', async () => {
      const data = `data:image/png;base64,${PNG_1PX}`
      const { body, url } = await kit.sent({ prompt: 'p', model: 'gemini-3.1-flash-image', aspectRatio: '8:1', resolution: '0.5K', images: [data] })
      expect(new URL(url).pathname).toBe('/v1beta/models/gemini-3.1-flash-image:generateContent')
      expect(body).toEqual({
        contents: [{ role: 'user', parts: [{ text: 'p' }, { inlineData: { mimeType: 'image/png', data: PNG_1PX } }] }],
        generationConfig: { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '8:1', imageSize: '512' } },
      })
      // Nano Banana (2.5) is 1K only: no imageSize is sent, and a 1K request says so in a warning.
      const plain = await kit.sent({ prompt: 'p', resolution: '1K', aspectRatio: '3:2' })
      expect(plain.body.generationConfig).toEqual({ responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '3:2' } })
      expect(plain.submission.warnings).toEqual([expect.objectContaining({ option: 'resolution' })])
    })

    it('gemini: -preview ids are aliases, other ids stay open (Google renames models); a bad path segment is refused locally', async () => {
      expect(kit.adapter.models['gemini-3-pro-image-preview']).toMatchObject({ id: 'gemini-3-pro-image-preview', resolutions: ['1K', '2K', '4K'] })
      const renamed = await kit.sent({ prompt: 'p', model: 'gemini-nano-banana-2.1', resolution: '2K' })
      expect(new URL(renamed.url).pathname).toBe('/v1beta/models/gemini-nano-banana-2.1:generateContent')
      await expect(kit.sent({ prompt: 'p', model: '../files' })).rejects.toMatchObject({ name: 'UnsupportedOptionError' })
    })

    it('gemini: thought signatures stay in the raw result, so a later turn can send them back', async () => {
      const { submission } = await kit.sent({ prompt: 'p' })
      const part = submission.task!.raw as { candidates: { content: { parts: { thoughtSignature?: string }[] } }[] }
      expect(part.candidates[0]!.content.parts.some((p) => typeof p.thoughtSignature === 'string')).toBe(true)
    })

    it('gemini: RESOURCE_EXHAUSTED is a RateLimitError whose retry delay is RetryInfo.retryDelay', () => {
      const example = {
        error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '36s' }] },
      }
      const error = kit.adapter.parseError(429, example, new Headers())
      expect(error).toBeInstanceOf(RateLimitError)
      expect(error).toMatchObject({ retryAfterMs: 36_000, code: 'RESOURCE_EXHAUSTED', type: 'RESOURCE_EXHAUSTED' })
    })

    it('gemini: a candidate with an image is a result whatever its finishReason; an unknown word without one is "no image"', () => {
      const body = (finishReason: string, parts: unknown[]) => ({ responseId: 'r', candidates: [{ content: { parts }, finishReason }] })
      const withImage = kit.adapter.parseSubmit(body('MAX_TOKENS', [{ inlineData: { mimeType: 'image/png', data: PNG_1PX } }]), new Response())
      expect(withImage).toMatchObject({ taskId: 'r', task: { status: 'succeeded' } })
      expect(kit.adapter.parseSubmit(body('BRAND_NEW_REASON', []), new Response())).toBeInstanceOf(NoImageError)
      // Base64 that is not an image is an unreadable answer, never passed on as an image.
      const fake = kit.adapter.parseSubmit(body('STOP', [{ inlineData: { mimeType: 'image/png', data: btoa('<html>') } }]), new Response())
      expect(fake).toMatchObject({ name: 'ResponseFormatError', code: 'not_an_image' })
    })
  },
}
