// Google's Gemini API called directly (specs/gemini.openapi.yaml). Synchronous: the `generateContent`
// answer is the result, its images inline; `responseId` stands in for the task id. The model is the path
// parameter, so the body carries it only until the create call moves it there. What the spec cannot say:
// which `finishReason`/`blockReason` words are a content-policy refusal and which are "no image", how
// Google's `google.rpc.Status` envelope reads, and that model ids are open (Google renames them).
import type { CreateImageTaskRequest } from '@nano-banana/gemini'
import { clientMeta as meta } from '@nano-banana/gemini/meta'
import type { ErrorTables } from '../adapter-kit.js'
import type { ModelCapabilities } from '../adapter.js'
import { defineBuiltInProvider, type ProviderDefinition, type ReaderKit } from '../define-provider.js'
import {
  AuthenticationError,
  ContentPolicyError,
  InvalidRequestError,
  type NanoBananaError,
  NoImageError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
} from '../errors.js'
import { decodeInlineImage, parseDataUrl } from '../inline-images.js'
import { operationOf } from '../operation.js'
import { isRecord, str } from '../parse.js'
import type { InlineImage, Task } from '../types.js'

type Body = CreateImageTaskRequest & { model: string }

const ERRORS: ErrorTables = {
  // ErrorInfo reasons (lowercased): an invalid key is a 400 INVALID_ARGUMENT on this API.
  byCode: { api_key_invalid: AuthenticationError, api_key_expired: AuthenticationError, api_key_service_blocked: PermissionError },
  // google.rpc status names, for a status the HTTP table does not know.
  byType: {
    invalid_argument: InvalidRequestError,
    failed_precondition: InvalidRequestError,
    unauthenticated: AuthenticationError,
    permission_denied: PermissionError,
    not_found: NotFoundError,
    resource_exhausted: RateLimitError,
    internal: ServerError,
    unavailable: ServerError,
    deadline_exceeded: ServerError,
  },
}

/** Words that end a candidate because of what was asked or drawn (safety, prohibited content, recitation): a content refusal. */
const POLICY_WORDS = new Set(['SAFETY', 'PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'RECITATION', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION'])

/** `"36s"` / `"1.5s"` (google.protobuf.Duration in JSON) in ms. */
function durationMs(value: unknown): number | undefined {
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(value) : null
  return match ? Math.round(Number(match[1]) * 1000) : undefined
}

function details(error: Record<string, unknown>, type: string): Record<string, unknown> | undefined {
  const list = Array.isArray(error.details) ? error.details : []
  return list.find((d): d is Record<string, unknown> => isRecord(d) && typeof d['@type'] === 'string' && d['@type'].endsWith(type))
}

/** The answer's images, text and end word; the body stays untouched in `raw` (thought signatures included, for a later turn). */
function readAnswer(data: unknown, kit: ReaderKit): Task | NanoBananaError {
  if (!isRecord(data)) return kit.notATask(data, 'JSON object')
  const taskId = str(data.responseId) ?? `gemini-${globalThis.crypto.randomUUID()}`
  // A refusal is still an answer (it may be billed): it carries the answer's id, and is never resent elsewhere.
  const blocked = isRecord(data.promptFeedback) ? str(data.promptFeedback.blockReason) : undefined
  if (blocked) {
    return new ContentPolicyError(`gemini: the prompt was blocked (${blocked})`, { provider: kit.id, code: blocked, taskId, body: data })
  }
  const candidates = Array.isArray(data.candidates) ? data.candidates.filter(isRecord) : []
  const images: InlineImage[] = []
  const texts: string[] = []
  let finish: string | undefined
  for (const candidate of candidates) {
    finish ??= str(candidate.finishReason)
    const parts = isRecord(candidate.content) && Array.isArray(candidate.content.parts) ? candidate.content.parts.filter(isRecord) : []
    for (const part of parts) {
      const blob = part.inlineData
      if (isRecord(blob) && typeof blob.mimeType === 'string' && blob.mimeType.startsWith('image/')) images.push(decodeInlineImage(kit.id, blob.data, blob.mimeType))
      else if (typeof part.text === 'string' && part.thought !== true) texts.push(part.text)
    }
  }
  if (images.length) {
    return {
      taskId,
      provider: kit.id,
      ...(str(data.modelVersion) ? { model: str(data.modelVersion) } : {}),
      status: 'succeeded',
      urls: [],
      inlineImages: images,
      raw: data,
    }
  }
  const said = [finish && str(candidates[0]?.finishMessage), texts.join(' ').trim()].filter(Boolean).join(': ').slice(0, 300)
  if (finish && POLICY_WORDS.has(finish)) {
    return new ContentPolicyError(`gemini: no image, refused for its content (${finish})${said ? `: ${said}` : ''}`, {
      provider: kit.id,
      code: finish,
      taskId,
      body: data,
    })
  }
  return new NoImageError(`gemini: the answer has no image${finish ? ` (finishReason ${finish})` : ''}${said ? `: ${said}` : ''}`, {
    provider: kit.id,
    code: finish ?? 'no_image',
    taskId,
    body: data,
  })
}

const GOOGLE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/**
 * Model ids are open (Google renames them): `<model>-preview` is that model; any other id that is a valid
 * path segment is sent as is with the widest known capabilities (Google checks the rest).
 */
function resolveModel(modelId: string, models: Readonly<Record<string, ModelCapabilities>>): ModelCapabilities | undefined {
  if (!GOOGLE_ID.test(modelId)) return undefined
  const base = models[modelId.replace(/-preview$/, '')]
  if (base) return { ...base, id: modelId, source: `${base.source ?? 'spec'}; preview id of ${base.id}` }
  const widest = Object.values(models).reduce((a, b) => (b.aspectRatios.length + b.resolutions.length > a.aspectRatios.length + a.resolutions.length ? b : a))
  return { ...widest, id: modelId, family: 'unknown Gemini image model', source: `unknown model id, sent as is; capabilities of ${widest.id} assumed` }
}

/** A `data:` URL (the client read every reference URL into one) as an `inlineData` part. */
function inlinePart(url: string, index: number) {
  const parsed = parseDataUrl(url)
  if (!parsed) throw new InvalidRequestError(`gemini: images[${index}] must be image bytes (a data: URL)`, { provider: 'gemini', param: `images[${index}]` })
  return { inlineData: { mimeType: parsed.contentType, data: parsed.base64 } }
}

const generateContent = operationOf(meta, 'create')!

/** What the spec cannot say about gemini; exported so that the test suite checks it (see defineBuiltInProvider). */
export const definition: ProviderDefinition<Body> = {
  meta,
  operations: {
    // The model travels in the path; the rest is the GenerateContentRequest.
    create: ({ body, ...call }) => {
      const { model, ...request } = body
      // The rest of the call (signal, onHeaders) goes through as it came: the client's timeout needs onHeaders.
      return generateContent({ ...call, path: { model }, body: request })
    },
  },
  resolveModel,
  inlineReferenceImages: true,
  toBody(request, _model, wire) {
    const placed = wire.place({ skip: ['images'] }) as Body & { generationConfig?: Record<string, unknown> }
    const parts = [{ text: request.prompt }, ...(request.images ?? []).map(inlinePart)]
    return {
      model: placed.model,
      contents: [{ role: 'user', parts }],
      generationConfig: { responseModalities: ['TEXT', 'IMAGE'], ...placed.generationConfig },
    }
  },
  readTask: (data, _response, kit) => readAnswer(data, kit),
  readError(_status, body) {
    const error = isRecord(body) && isRecord(body.error) ? body.error : undefined
    if (!error) return {}
    const type = str(error.status)
    const reason = str(details(error, 'google.rpc.ErrorInfo')?.reason)
    const retryAfterMs = durationMs(details(error, 'google.rpc.RetryInfo')?.retryDelay)
    return { code: reason ?? type, type, message: str(error.message), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }
  },
  errors: ERRORS,
}

export const gemini = defineBuiltInProvider(definition)
