// The wire format EvoLink and odkkk share (odkkk's page is EvoLink's spec word for word): flat body
// `{model, prompt, size, quality, image_urls, callback_url}`, task `{id, status, progress, results,
// error, task_info}`, errors `{error: {code, message, type, param?, fallback_suggestion?}}` with an
// integer (older docs) or string (newer docs) code.
import type { Client, ProviderClientOptions } from '@nano-banana/runtime'
import type { ModelCapabilities, ProviderAdapter } from '../adapter.js'
import { buildError, compact, guard, missingTaskId, notATask, notSentWarnings, sends, taskErrorOf, type ErrorTables } from '../adapter-kit.js'
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
import { isRecord, num, progressOf, record, statusOf, str, urls } from '../parse.js'
import type { GenerateRequest, ProviderId, TaskStatus } from '../types.js'

/** `TaskStatus` enum of the specs, plus `cancelled`, which the callback text names but the enum lacks. */
export const EVOLINK_STATUS: Readonly<Record<string, TaskStatus>> = {
  pending: 'queued',
  processing: 'running',
  completed: 'succeeded',
  failed: 'failed',
  cancelled: 'canceled',
  canceled: 'canceled',
}

/** Documented string codes (newer docs) and `type` values (both versions). Integer codes fall back to the HTTP status. */
export const EVOLINK_ERRORS: ErrorTables = {
  byCode: {
    invalid_request: InvalidRequestError,
    invalid_task_id: InvalidRequestError,
    invalid_parameters: InvalidRequestError,
    unauthorized: AuthenticationError,
    insufficient_quota: InsufficientCreditsError,
    quota_exceeded: InsufficientCreditsError,
    model_access_denied: PermissionError,
    permission_denied: PermissionError,
    task_not_found: NotFoundError,
    model_not_found: NotFoundError,
    rate_limit_exceeded: RateLimitError,
    internal_error: ServerError,
  },
  byType: {
    invalid_request_error: InvalidRequestError,
    request_too_large_error: InvalidRequestError,
    authentication_error: AuthenticationError,
    insufficient_quota_error: InsufficientCreditsError,
    insufficient_quota: InsufficientCreditsError,
    permission_error: PermissionError,
    not_found_error: NotFoundError,
    rate_limit_error: RateLimitError,
    internal_server_error: ServerError,
    api_error: ServerError,
    service_unavailable_error: ServerError,
    upstream_error: UpstreamError,
  },
}

export interface EvolinkFamilyOptions {
  id: ProviderId
  name: string
  envKey: string
  baseUrlEnvKey: string
  defaultModel: string
  models: Readonly<Record<string, ModelCapabilities>>
  createClient(options: ProviderClientOptions): Client
  /** The provider's generated `createImageTask` and `getImageTask`, called with the runtime client. */
  submit: ProviderAdapter['submit']
  query: ProviderAdapter['query']
}

/** The adapter of a provider that speaks EvoLink's task API. */
export function evolinkFamilyAdapter(options: EvolinkFamilyOptions): ProviderAdapter {
  const { id } = options

  function parseError(status: number, body: unknown, headers: Headers): NanoBananaError {
    const envelope = isRecord(body) && isRecord(body.error) ? body.error : isRecord(body) ? body : {}
    return buildError(
      id,
      status,
      headers,
      body,
      {
        code: str(envelope.code),
        type: str(envelope.type),
        message: str(envelope.message),
        param: str(envelope.param),
        suggestion: str(envelope.fallback_suggestion),
      },
      EVOLINK_ERRORS,
    )
  }

  /** A 2xx body that is an error envelope (a proxy in front of the API), not a task. */
  const isErrorEnvelope = (data: Record<string, unknown>) => isRecord(data.error) && data.status === undefined && data.id === undefined

  return {
    id,
    name: options.name,
    envKey: options.envKey,
    baseUrlEnvKey: options.baseUrlEnvKey,
    defaultModel: options.defaultModel,
    models: options.models,
    resultTtlSeconds: 86_400,
    callbackRetrySeconds: [1, 2, 4],
    createClient: options.createClient,

    toRequestBody(request: GenerateRequest, model: ModelCapabilities) {
      const body: Record<string, unknown> = { model: model.id, prompt: request.prompt }
      if (request.aspectRatio !== undefined) body.size = request.aspectRatio
      if (request.resolution !== undefined && sends(model, 'resolution')) body.quality = request.resolution
      if (request.images?.length) body.image_urls = request.images
      if (request.callbackUrl !== undefined) body.callback_url = request.callbackUrl
      return { body: { ...body, ...request.providerOptions }, warnings: notSentWarnings(request, model) }
    },

    submit: options.submit,
    query: options.query,

    parseSubmit(data, response) {
      return guard(id, data, () => {
        if (!isRecord(data)) return missingTaskId(id, data, response)
        if (isErrorEnvelope(data)) return parseError(response.status, data, response.headers)
        const taskId = str(data.id)
        if (!taskId) return missingTaskId(id, data, response)
        const estimatedSeconds = num(record(data.task_info).estimated_time)
        return estimatedSeconds !== undefined ? { taskId, estimatedSeconds } : { taskId }
      })
    },

    parseTask(data, response) {
      return guard(id, data, () => {
        if (!isRecord(data)) return notATask(id, data, 'body')
        if (isErrorEnvelope(data)) return parseError(response?.status ?? 200, data, response?.headers ?? new Headers())
        const taskId = str(data.id)
        if (!taskId) return notATask(id, data, 'id')
        const error = taskErrorOf(data.error)
        let status = statusOf(id, data.status, EVOLINK_STATUS, data)
        // EvoLink reports a canceled task as failed with this code.
        if (status === 'failed' && error?.code === 'request_cancelled') status = 'canceled'
        return compact({
          taskId,
          provider: id,
          model: str(data.model),
          status,
          progress: progressOf(data.progress, true),
          estimatedSeconds: num(record(data.task_info).estimated_time),
          urls: urls(data.results),
          error: status === 'failed' || status === 'canceled' ? error : undefined,
          raw: data,
        })
      })
    },

    parseError: (status, body, headers) => guard(id, body, () => parseError(status, body, headers)) as NanoBananaError,
  }
}
