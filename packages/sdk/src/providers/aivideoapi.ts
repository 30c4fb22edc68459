// aivideoapi.ai ("AI Video API"). Capabilities: seed 004 (nano-banana-2-lite) and the provider's
// nano-banana-2 page = specs/aivideoapi.openapi.yaml, one `CreateImageTaskRequest` branch per model.
// Errors are `{error: {code, message, type}}` with string codes (seed 004's table).
import { createAivideoapiClient, createImageTask, getImageTask, type CreateImageTaskRequest } from '@nano-banana/aivideoapi'
import type { ModelCapabilities, ProviderAdapter } from '../adapter.js'
import { buildError, codeOf, compact, EXTREME_RATIOS, GOOGLE_RATIOS, guard, missingTaskId, notATask, notSentWarnings, sends, taskErrorOf, type ErrorTables } from '../adapter-kit.js'
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
import type { OutputFormat, TaskStatus } from '../types.js'

const RATIOS = ['auto', ...GOOGLE_RATIOS, ...EXTREME_RATIOS] as const

const models: Record<string, ModelCapabilities> = {
  'nano-banana-2': {
    id: 'nano-banana-2',
    family: 'Nano Banana 2',
    aspectRatios: RATIOS,
    resolutions: ['1K', '2K', '4K'],
    outputFormats: ['jpeg', 'png'], // wire jpg (default) | png
    maxImages: 14,
    maxN: 1,
    maxPromptLength: 20_000,
    notSent: ['n'],
    source: 'aivideoapi nano-banana-2 page',
  },
  'nano-banana-2-lite': {
    id: 'nano-banana-2-lite',
    family: 'Nano Banana 2 Lite',
    aspectRatios: RATIOS,
    resolutions: ['1K'], // `resolution` field, 1K only
    // "output_format ... not supported"; the documented result is a .jpg, so jpeg is accepted with a warning.
    outputFormats: ['jpeg'],
    maxImages: 10,
    maxN: 1,
    maxPromptLength: 20_000,
    notSent: ['outputFormat', 'n'],
    source: 'seed 004',
  },
}

const FORMAT: Readonly<Partial<Record<OutputFormat, string>>> = { jpeg: 'jpg', png: 'png' }

/** Spec `TaskStatus`: `pending` -> `processing` -> `completed` | `failed`. */
export const AIVIDEOAPI_STATUS: Readonly<Record<string, TaskStatus>> = {
  pending: 'queued',
  processing: 'running',
  completed: 'succeeded',
  failed: 'failed',
}

/** Seed 004's error table: the code decides (429 is a rate limit or a spend limit, 503 an upstream error). */
export const AIVIDEOAPI_ERRORS: ErrorTables = {
  byCode: {
    invalid_request: InvalidRequestError,
    invalid_api_key: AuthenticationError,
    insufficient_credits: InsufficientCreditsError,
    ip_not_allowed: PermissionError,
    model_not_found: NotFoundError,
    task_not_found: NotFoundError,
    rate_limit_exceeded: RateLimitError,
    spend_limit_exceeded: InsufficientCreditsError,
    internal_error: ServerError,
    upstream_error: UpstreamError,
  },
  byType: {
    invalid_request_error: InvalidRequestError,
    authentication_error: AuthenticationError,
    billing_error: InsufficientCreditsError,
    permission_error: PermissionError,
    rate_limit_error: RateLimitError,
    api_error: ServerError,
    upstream_error: UpstreamError,
  },
}

function parseError(status: number, body: unknown, headers: Headers | undefined): NanoBananaError {
  const envelope = isRecord(body) && isRecord(body.error) ? body.error : isRecord(body) ? body : {}
  return buildError(
    'aivideoapi',
    status,
    headers,
    body,
    { code: str(envelope.code), type: str(envelope.type), message: str(envelope.message) ?? str(envelope.msg), param: str(envelope.param) },
    AIVIDEOAPI_ERRORS,
  )
}

/** A 2xx body that reports an error: `{error: {...}}` without a task, or `{code: <not 200>, msg}`. */
function errorIn(body: Record<string, unknown>, response: Response | undefined): NanoBananaError | undefined {
  const code = codeOf(body.code)
  if ((isRecord(body.error) && body.status === undefined) || (code !== undefined && code !== 200)) {
    return parseError(code !== undefined && code !== 200 ? code : (response?.status ?? 200), body, response?.headers)
  }
  return undefined
}

/**
 * aivideoapi adapter. Mapping: `{model, input: {prompt, aspect_ratio, resolution, output_format,
 * image_urls}, callback_url}`; outputFormat 'jpeg' -> `jpg` (nano-banana-2 only: the lite model has no
 * format field and returns jpg, so 'jpeg' there is a warning); providerOptions merged into `input`.
 * The create answer says `data.taskId`, the task says `id`.
 */
export const aivideoapi: ProviderAdapter = {
  id: 'aivideoapi',
  name: 'aivideoapi.ai',
  envKey: 'AIVIDEOAPI_API_KEY',
  baseUrlEnvKey: 'AIVIDEOAPI_BASE_URL',
  defaultModel: 'nano-banana-2',
  models,
  // Result URL lifetime is not documented. Callbacks: immediately, then 3 and 10 minutes after the first attempt.
  callbackRetrySeconds: [180, 420],
  createClient: createAivideoapiClient,

  toRequestBody(request, model) {
    const input: Record<string, unknown> = { prompt: request.prompt }
    if (request.aspectRatio !== undefined) input.aspect_ratio = request.aspectRatio
    if (request.resolution !== undefined && sends(model, 'resolution')) input.resolution = request.resolution
    if (request.outputFormat !== undefined && sends(model, 'outputFormat')) input.output_format = FORMAT[request.outputFormat]
    if (request.images?.length) input.image_urls = request.images
    const body: Record<string, unknown> = { model: model.id, input: { ...input, ...request.providerOptions } }
    if (request.callbackUrl !== undefined) body.callback_url = request.callbackUrl
    return { body, warnings: notSentWarnings(request, model) }
  },

  submit: (client, body, signal) => createImageTask({ client, body: body as CreateImageTaskRequest, ...(signal ? { signal } : {}) }),
  query: (client, taskId, signal) => getImageTask({ client, path: { taskId }, ...(signal ? { signal } : {}) }),

  parseSubmit(data, response) {
    return guard('aivideoapi', data, () => {
      if (!isRecord(data)) return missingTaskId('aivideoapi', data, response)
      const error = errorIn(data, response)
      if (error) return error
      const inner = isRecord(data.data) ? data.data : data
      const taskId = str(inner.taskId) ?? str(inner.task_id) ?? str(inner.id)
      return taskId ? { taskId } : missingTaskId('aivideoapi', data, response)
    })
  },

  parseTask(data, response) {
    return guard('aivideoapi', data, () => {
      if (!isRecord(data)) return notATask('aivideoapi', data, 'body')
      const error = errorIn(data, response)
      if (error) return error
      // The query answer is the bare task; tolerate a `{code, msg, data}` wrapper like the create answer's.
      const task = data.status === undefined && isRecord(data.data) ? data.data : data
      const taskId = str(task.id) ?? str(task.taskId)
      if (!taskId) return notATask('aivideoapi', data, 'id')
      const status = statusOf('aivideoapi', task.status, AIVIDEOAPI_STATUS, data)
      const output = isRecord(task.output) ? task.output : {}
      return compact({
        taskId,
        provider: 'aivideoapi' as const,
        model: str(task.model),
        status,
        progress: progressOf(task.progress, true),
        urls: urls(output.urls),
        error: status === 'failed' ? taskErrorOf(task.error) : undefined,
        raw: data,
      })
    })
  },

  parseError: (status, body, headers) => guard('aivideoapi', body, () => parseError(status, body, headers)) as NanoBananaError,
}
