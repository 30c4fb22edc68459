// UniAll (docs.uniall.ai). Capabilities: seed 003 = specs/uniall.openapi.yaml (async image task flow).
// UniAll sells each resolution of a family as its own model id (`NanoBanana2-0.5K`, `NanoBanana2-1K`...),
// so the unified `model` here is the family and `resolution` picks the id. The host is undocumented:
// pass `baseUrl` or set UNIALL_BASE_URL.
import { createImageTask, createUniallClient, getImageTask, type CreateImageTaskRequest } from '@nano-banana/uniall'
import type { ModelCapabilities, ProviderAdapter } from '../adapter.js'
import { buildError, compact, EXTREME_RATIOS, GOOGLE_RATIOS, guard, missingTaskId, notATask, notSentWarnings, taskErrorOf, type ErrorTables } from '../adapter-kit.js'
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
import { isRecord, progressOf, statusOf, str, urls } from '../parse.js'
import type { Resolution, TaskStatus } from '../types.js'

// Only 1:1, 16:9, 9:16, 4:3 and 3:4 are named ("such as"); the lists below are what the upstream
// Google models take (shared/providers.md section 7). `n` has no documented maximum ("depends on
// upstream limits"); 4 is a conservative cap. Prompt and image limits are not documented either.
const models: Record<string, ModelCapabilities> = {
  NanoBanana2: {
    id: 'NanoBanana2',
    family: 'Nano Banana 2',
    aspectRatios: [...GOOGLE_RATIOS, ...EXTREME_RATIOS],
    resolutions: ['0.5K', '1K', '2K', '4K'], // model ids NanoBanana2-0.5K ... NanoBanana2-4K
    outputFormats: ['png', 'jpeg'],
    maxImages: 14,
    maxN: 4,
    maxPromptLength: 20_000,
    source: 'seed 003; ratios from Google upstream; image, n and prompt limits inferred',
  },
  NanoBananaPro: {
    id: 'NanoBananaPro',
    family: 'Nano Banana Pro',
    aspectRatios: GOOGLE_RATIOS,
    resolutions: ['1K', '2K', '4K'], // model ids NanoBananaPro-1K ... (suffixes not documented)
    outputFormats: ['png', 'jpeg'],
    maxImages: 14,
    maxN: 4,
    maxPromptLength: 20_000,
    source: 'seed 003 (NanoBananaPro-*); tiers, ratios and limits inferred',
  },
  NanoBanana: {
    id: 'NanoBanana',
    family: 'Nano Banana',
    aspectRatios: GOOGLE_RATIOS,
    resolutions: ['1K'], // one model id, no tiers: always 1K
    outputFormats: ['png', 'jpeg', 'webp'],
    maxImages: 5,
    maxN: 4,
    maxPromptLength: 20_000,
    notSent: ['resolution'],
    source: 'seed 003; ratios from Google upstream; image, n and prompt limits inferred',
  },
}

/** Resolution tiers: family -> tier used when no resolution is asked for. Families without tiers are absent. */
const DEFAULT_TIER: Readonly<Record<string, Resolution>> = { NanoBanana2: '1K', NanoBananaPro: '1K' }

/** UniAll's model id for a family and resolution (`NanoBanana2` + `0.5K` -> `NanoBanana2-0.5K`). */
export function uniallModelId(family: string, resolution?: Resolution): string {
  const tier = resolution ?? DEFAULT_TIER[family]
  return Object.hasOwn(DEFAULT_TIER, family) && tier ? `${family}-${tier}` : family
}

/**
 * Only `succeeded` is documented; `queued`, `running`, `failed` are the spec's assumption, and the
 * other words are the usual synonyms, accepted so that an undocumented word does not break polling.
 */
export const UNIALL_STATUS: Readonly<Record<string, TaskStatus>> = {
  queued: 'queued',
  pending: 'queued',
  running: 'running',
  processing: 'running',
  in_progress: 'running',
  succeeded: 'succeeded',
  success: 'succeeded',
  completed: 'succeeded',
  failed: 'failed',
  failure: 'failed',
  error: 'failed',
  cancelled: 'canceled',
  canceled: 'canceled',
}

/** The error codes are not documented; these are the spec's assumed ones and the OpenAI-style ones. */
export const UNIALL_ERRORS: ErrorTables = {
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

function parseError(status: number, body: unknown, headers: Headers | undefined): NanoBananaError {
  // Task endpoints: `{code, message, data}`; OpenAI-compatible endpoints: `{error: {message, type, param, code}}`.
  const envelope = isRecord(body) && isRecord(body.error) ? body.error : isRecord(body) ? body : {}
  return buildError(
    'uniall',
    status,
    headers,
    body,
    { code: str(envelope.code), type: str(envelope.type), message: str(envelope.message), param: str(envelope.param) },
    UNIALL_ERRORS,
  )
}

/** Unwraps `{code: "success", message, data}`; another `code` is the mapped error. Bare tasks pass through. */
function unwrap(body: unknown, response: Response | undefined): Record<string, unknown> | NanoBananaError | undefined {
  if (!isRecord(body)) return undefined
  if ('task_id' in body) return body
  if (isRecord(body.data) && 'task_id' in body.data) return body.data
  if (isRecord(body.error) || (body.code !== undefined && body.code !== 'success')) {
    return parseError(response?.status ?? 200, body, response?.headers)
  }
  return isRecord(body.data) ? body.data : undefined
}

/**
 * UniAll adapter. Mapping: model family + resolution -> `model` tier id (`NanoBanana2` at 0.5K ->
 * `NanoBanana2-0.5K`; the family's default tier, 1K, without a resolution; `NanoBanana` has no tiers),
 * aspectRatio -> `aspect_ratio`, one image -> `image`, several -> `images` (with `task_type`
 * `image2image`, else `text2image`), outputFormat -> `output_format` (`jpeg` as is), n -> `n`,
 * `response_format: "url"`, providerOptions merged into the body (a `model` there overrides the tier
 * id). No callback is documented, so `callbackUrl` is refused.
 */
export const uniall: ProviderAdapter = {
  id: 'uniall',
  name: 'UniAll',
  envKey: 'UNIALL_API_KEY',
  baseUrlEnvKey: 'UNIALL_BASE_URL',
  defaultModel: 'NanoBanana2',
  models,
  supportsCallback: false,
  createClient: createUniallClient,

  toRequestBody(request, model) {
    const images = request.images ?? []
    const body: Record<string, unknown> = {
      model: uniallModelId(model.id, request.resolution),
      prompt: request.prompt,
      task_type: images.length > 0 ? 'image2image' : 'text2image',
    }
    if (images.length === 1) body.image = images[0]
    if (images.length > 1) body.images = images
    if (request.aspectRatio !== undefined) body.aspect_ratio = request.aspectRatio
    if (request.outputFormat !== undefined) body.output_format = request.outputFormat
    if (request.n !== undefined) body.n = request.n
    body.response_format = 'url'
    return { body: { ...body, ...request.providerOptions }, warnings: notSentWarnings(request, model) }
  },

  submit: (client, body, signal) => createImageTask({ client, body: body as CreateImageTaskRequest, ...(signal ? { signal } : {}) }),
  query: (client, taskId, signal) => getImageTask({ client, path: { task_id: taskId }, ...(signal ? { signal } : {}) }),

  parseSubmit(data, response) {
    return guard('uniall', data, () => {
      const inner = unwrap(data, response)
      if (inner instanceof NanoBananaError) return inner
      const taskId = str(inner?.task_id) ?? str(inner?.id)
      return taskId ? { taskId } : missingTaskId('uniall', data, response)
    })
  },

  parseTask(data, response) {
    return guard('uniall', data, () => {
      const task = unwrap(data, response)
      if (task instanceof NanoBananaError) return task
      if (!task) return notATask('uniall', data, 'data')
      const taskId = str(task.task_id)
      if (!taskId) return notATask('uniall', data, 'task_id')
      const status = statusOf('uniall', task.status, UNIALL_STATUS, data)
      // One `result_url` is documented; how n > 1 results come back is not, so lists are read too.
      const found = [...urls(task.result_url), ...urls(task.result_urls), ...urls(task.results)]
      return compact({
        taskId,
        provider: 'uniall' as const,
        status,
        progress: progressOf(task.progress),
        urls: [...new Set(found)],
        error: status === 'failed' || status === 'canceled' ? taskErrorOf(task.error) : undefined,
        raw: data,
      })
    })
  },

  parseError: (status, body, headers) => guard('uniall', body, () => parseError(status, body, headers)) as NanoBananaError,
}
