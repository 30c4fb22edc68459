import type { SyncFixture } from '../synchronous.test.js'

type Json = Record<string, any>

export const syncFixture: SyncFixture = {
  createPath: (model) => `/v1beta/models/${model}:generateContent`,
  body: (prompt, images) => ({
    contents: [{ role: 'user', parts: [{ text: prompt }, ...images.map((data) => ({ inlineData: { mimeType: 'image/png', data } }))] }],
    generationConfig: { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9' } },
  }),
  imagesOf: (answer: Json) => (answer.candidates?.[0]?.content?.parts ?? []).filter((p: Json) => p.inlineData).map((p: Json) => p.inlineData.data),
  idOf: (answer: Json) => answer.responseId,
  codeOf: (body: Json) => body?.error?.status,
  refusals: {
    'rate-limit': [429, 'RESOURCE_EXHAUSTED'],
    'server-error': [500, 'INTERNAL'],
    'bad-gateway': [502, 'UNAVAILABLE'],
    unavailable: [503, 'UNAVAILABLE'],
  },
  // Google answers an invalid API key with 400 INVALID_ARGUMENT (reason API_KEY_INVALID).
  badKey: [400, 'INVALID_ARGUMENT'],
  failed: (answer: Json) => answer.candidates?.[0]?.finishReason === 'IMAGE_SAFETY',
  undocumentedStatuses: ['502'],
}
