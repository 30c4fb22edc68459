import type { SyncFixture } from '../synchronous.test.js'

type Json = Record<string, any>

export const syncFixture: SyncFixture = {
  createPath: () => '/images',
  body: (prompt, images, model) => ({
    model,
    prompt,
    aspect_ratio: '16:9',
    ...(images.length ? { input_references: images.map((data) => ({ type: 'image_url', image_url: { url: `data:image/png;base64,${data}` } })) } : {}),
  }),
  imagesOf: (answer: Json) => (answer.data ?? []).map((item: Json) => item.b64_json),
  idOf: (answer: Json) => answer.id,
  codeOf: (body: Json) => body?.error?.metadata?.error_type ?? body?.error?.code,
  refusals: {
    'rate-limit': [429, 'rate_limit_exceeded'],
    'server-error': [500, 500],
    'bad-gateway': [502, 'provider_unavailable'],
    // OpenRouter documents no 503: its overload answer is 529 provider_overloaded.
    unavailable: [529, 'provider_overloaded'],
  },
  badKey: [401, 'authentication'],
  failed: (answer: Json) => Array.isArray(answer.data) && answer.data.length === 0,
  undocumentedStatuses: [],
}
