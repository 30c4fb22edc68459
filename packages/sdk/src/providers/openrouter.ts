// OpenRouter's Image API (specs/openrouter.openapi.yaml; why this one and not chat completions is in
// the spec's description). Synchronous: the answer carries the images as base64 (`data[].b64_json`), so
// it is the final task. What the spec cannot say: that reference images are `{type, image_url:{url}}`
// objects, which `metadata.error_type` words mean what, and an answer id when the body has none.
import type { CreateImageTaskRequest } from '@nano-banana/openrouter'
import { clientMeta as meta } from '@nano-banana/openrouter/meta'
import type { ErrorTables } from '../adapter-kit.js'
import { defineBuiltInProvider, type ProviderDefinition, type ReaderKit } from '../define-provider.js'
import {
  AuthenticationError,
  ContentPolicyError,
  InsufficientCreditsError,
  InvalidRequestError,
  type NanoBananaError,
  NoImageError,
  PermissionError,
  RateLimitError,
  ServerError,
  UpstreamError,
} from '../errors.js'
import { decodeInlineImage } from '../inline-images.js'
import { isRecord, str } from '../parse.js'
import type { Task } from '../types.js'

const ERRORS: ErrorTables = {
  // `error.metadata.error_type` (errors-and-debugging.mdx), lowercased.
  byCode: {
    invalid_request: InvalidRequestError,
    payload_too_large: InvalidRequestError,
    unprocessable: InvalidRequestError,
    authentication: AuthenticationError,
    permission_denied: PermissionError,
    payment_required: InsufficientCreditsError,
    rate_limit_exceeded: RateLimitError,
    provider_overloaded: ServerError,
    provider_unavailable: UpstreamError,
    content_policy: ContentPolicyError,
    moderation: ContentPolicyError,
  },
  // 529 "provider overloaded": refused before any image was generated (billed only for completed images).
  refusedStatuses: [529],
}

function readAnswer(data: unknown, kit: ReaderKit): Task | NanoBananaError {
  if (!isRecord(data) || !Array.isArray(data.data)) return kit.notATask(data, 'data list')
  // The documented answer has no id (`x-unverified` in the spec); one is made up so the result has a key.
  const taskId = str(data.id) ?? `openrouter-${globalThis.crypto.randomUUID()}`
  const images = data.data.filter(isRecord).map((item) => decodeInlineImage(kit.id, item.b64_json, item.media_type))
  if (!images.length) return new NoImageError('openrouter: the answer has no image', { provider: kit.id, code: 'no_image', taskId, body: data })
  return { taskId, provider: kit.id, status: 'succeeded', urls: [], inlineImages: images, raw: data }
}

/** What the spec cannot say about openrouter; exported so that the test suite checks it (see defineBuiltInProvider). */
export const definition: ProviderDefinition<CreateImageTaskRequest> = {
  meta,
  toBody(request, _model, wire) {
    const body = wire.place({ skip: ['images'] })
    if (!request.images?.length) return body
    return { ...body, input_references: request.images.map((url) => ({ type: 'image_url' as const, image_url: { url } })) }
  },
  readTask: (data, _response, kit) => readAnswer(data, kit),
  readError(_status, body) {
    const error = isRecord(body) && isRecord(body.error) ? body.error : undefined
    if (!error) return {}
    const metadata = isRecord(error.metadata) ? error.metadata : {}
    const upstream = [str(metadata.provider_name), str(metadata.provider_code)].filter(Boolean).join(': ')
    const reasons = Array.isArray(metadata.reasons) ? metadata.reasons.filter((r) => typeof r === 'string').join(', ') : ''
    const message = [str(error.message), upstream && `(upstream ${upstream})`, reasons && `(flagged: ${reasons})`].filter(Boolean).join(' ')
    return { code: str(metadata.error_type), message: message || undefined }
  },
  errors: ERRORS,
}

export const openrouter = defineBuiltInProvider(definition)
