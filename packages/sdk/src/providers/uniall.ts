// UniAll (docs.uniall.ai). specs/uniall.openapi.yaml has one request schema for every model, so the
// models offered here are what it cannot say: UniAll sells each resolution of a family as its own model
// id (`NanoBanana2-0.5K`, `NanoBanana2-1K`...), so the unified `model` is the family and `resolution`
// picks the id. The host is undocumented: pass `baseUrl` or set the spec's base-URL variable.
import type { CreateImageTaskRequest } from '@nano-banana/uniall'
import { clientMeta as meta } from '@nano-banana/uniall/meta'
import { compact, errorEnvelope, EXTREME_RATIOS, GOOGLE_RATIOS, taskErrorOf, type ErrorTables } from '../adapter-kit.js'
import type { ModelCapabilities } from '../adapter.js'
import { defineBuiltInProvider, type ProviderDefinition, type CapabilityFallback } from '../define-provider.js'
import {
  AuthenticationError,
  InsufficientCreditsError,
  InvalidRequestError,
  NanoBananaError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  UpstreamError,
} from '../errors.js'
import { isRecord, progressOf, str, urls } from '../parse.js'
import type { Resolution } from '../types.js'

// The families, their tiers and formats are the spec's (`x-models`). What it leaves open: only 1:1, 16:9,
// 9:16, 4:3 and 3:4 are named ("such as"), so the ratio lists are what the upstream Google models take;
// `n` has no documented maximum ("depends on upstream limits"), 4 is a conservative cap; prompt and
// image limits are not documented either.
const fallbacks: Record<string, CapabilityFallback> = {
  NanoBanana2: {
    aspectRatios: [...GOOGLE_RATIOS, ...EXTREME_RATIOS],
    maxImages: 14,
    maxN: 4,
    maxPromptLength: 20_000,
    why: 'ratios from Google upstream; image, n and prompt limits inferred',
  },
  NanoBananaPro: { aspectRatios: GOOGLE_RATIOS, maxImages: 14, maxN: 4, maxPromptLength: 20_000, why: 'ratios and limits inferred' },
  NanoBanana: {
    aspectRatios: GOOGLE_RATIOS,
    maxImages: 5,
    maxN: 4,
    maxPromptLength: 20_000,
    why: 'ratios from Google upstream; image, n and prompt limits inferred',
  },
}

/** Resolution tiers: family -> tier used when no resolution is asked for. Families without tiers are absent. */
const DEFAULT_TIER: Readonly<Record<string, Resolution>> = { NanoBanana2: '1K', NanoBananaPro: '1K' }

/** UniAll's model id for a family and resolution (`NanoBanana2` + `0.5K` -> `NanoBanana2-0.5K`); a concrete id stays as it is. */
export function uniallModelId(family: string, resolution?: Resolution): string {
  const tier = resolution ?? DEFAULT_TIER[family]
  return Object.hasOwn(DEFAULT_TIER, family) && tier ? `${family}-${tier}` : family
}

/**
 * A concrete id of a tiered family (`NanoBanana2-1K`, `NanoBananaPro-<suffix>`): the family's
 * capabilities under that id. The id fixes the tier, so only its own resolution may be asked for (none
 * when the suffix is no known tier: the ids vary by account, so an unknown suffix is sent as is).
 */
function concreteModel(modelId: string, families: Readonly<Record<string, ModelCapabilities>>): ModelCapabilities | undefined {
  const dash = modelId.indexOf('-')
  const family = dash > 0 ? modelId.slice(0, dash) : undefined
  if (!family || !Object.hasOwn(DEFAULT_TIER, family) || !families[family]) return undefined
  const capabilities = families[family]
  const suffix = modelId.slice(dash + 1) as Resolution
  return { ...capabilities, id: modelId, resolutions: capabilities.resolutions.includes(suffix) ? [suffix] : [] }
}

/** The error codes are not documented; these are the spec's assumed ones and the OpenAI-style ones. */
const ERRORS: ErrorTables = {
  byCode: {
    invalid_request: InvalidRequestError,
    model_not_found: NotFoundError,
    task_not_found: NotFoundError,
    unauthorized: AuthenticationError,
    invalid_api_key: AuthenticationError,
    permission_denied: PermissionError,
    insufficient_quota: InsufficientCreditsError,
    insufficient_credits: InsufficientCreditsError,
    insufficient_balance: InsufficientCreditsError,
    rate_limit_exceeded: RateLimitError,
    internal_error: ServerError,
    upstream_error: UpstreamError,
  },
  byType: {
    invalid_request_error: InvalidRequestError,
    authentication_error: AuthenticationError,
    permission_error: PermissionError,
    insufficient_quota: InsufficientCreditsError,
    rate_limit_error: RateLimitError,
    server_error: ServerError,
    api_error: ServerError,
    upstream_error: UpstreamError,
  },
}

/** Unwraps `{code: "success", message, data}`; another `code` is the mapped error. Bare tasks pass through. */
function unwrap(body: unknown, response: Response | undefined, error: (status: number, body: unknown, headers: Headers | undefined) => NanoBananaError) {
  if (!isRecord(body)) return undefined
  if ('task_id' in body) return body
  if (isRecord(body.data) && 'task_id' in body.data) return body.data
  if (isRecord(body.error) || (body.code !== undefined && body.code !== 'success')) return error(response?.status ?? 200, body, response?.headers)
  return isRecord(body.data) ? body.data : undefined
}

/** What the spec cannot say about uniall; exported so that the test suite checks it (see defineBuiltInProvider). */
export const definition: ProviderDefinition<CreateImageTaskRequest> = {
  meta,
  fallbacks,
  resolveModel: concreteModel,
  errors: ERRORS,
  // No callback is documented; the query envelope is the shape a delivery would have.
  callbackComponent: 'ImageTaskResponse',

  toBody(request, model, wire) {
    const images = request.images ?? []
    return {
      ...wire.place({ skip: ['images'] }),
      model: uniallModelId(model.id, request.resolution),
      task_type: images.length > 0 ? 'image2image' : 'text2image',
      ...(images.length === 1 ? { image: images[0] } : {}),
      ...(images.length > 1 ? { images } : {}),
      response_format: 'url',
    }
  },

  // Task endpoints: `{code, message, data}`; OpenAI-compatible endpoints: `{error: {message, type, param, code}}`.
  readError: (_status, body) => errorEnvelope(body),

  readSubmit(data, response, kit) {
    const inner = unwrap(data, response, kit.error)
    if (inner instanceof NanoBananaError) return inner
    const taskId = str(inner?.task_id) ?? str(inner?.id)
    return taskId ? { taskId } : kit.missingTaskId(data, response)
  },

  readTask(data, response, kit) {
    const task = unwrap(data, response, kit.error)
    if (task instanceof NanoBananaError) return task
    if (!task) return kit.notATask(data, 'data')
    const taskId = str(task.task_id)
    if (!taskId) return kit.notATask(data, 'task_id')
    const status = kit.status(task.status, data)
    // One `result_url` is documented; how n > 1 results come back is not, so lists are read too.
    const found = [...urls(task.result_url), ...urls(task.result_urls), ...urls(task.results)]
    return compact({
      taskId,
      provider: kit.id,
      status,
      progress: progressOf(task.progress),
      urls: [...new Set(found)],
      error: status === 'failed' || status === 'canceled' ? taskErrorOf(task.error) : undefined,
      raw: data,
    })
  },
}

/**
 * UniAll adapter: family + resolution -> the `model` tier id (the family's default tier, 1K, without a
 * resolution; `NanoBanana` has no tiers); one reference image -> `image`, several -> `images` (with
 * `task_type` `image2image`, else `text2image`); `response_format: "url"`; the other options where the
 * spec puts them; providerOptions merged into the body (a `model` there overrides the tier id). No
 * callback is documented, so `callbackUrl` is refused.
 */
export const uniall = defineBuiltInProvider(definition)
