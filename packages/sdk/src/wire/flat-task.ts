// One wire format that more than one provider speaks (a white-label copy serves the same API under
// another name): flat body `{model, prompt, size, quality, image_urls, callback_url}` (where each option
// goes comes from the spec), task `{id, status, progress, results, error, task_info}`, errors
// `{error: {code, message, type, param?, fallback_suggestion?}}` with an integer (older docs) or string
// (newer docs) code. A provider of this family defines itself with `flatTaskDefinition(meta, ...)`.
import type { ClientMeta } from '@nano-banana/runtime'
import { compact, errorEnvelope, taskErrorOf, type ErrorTables } from '../adapter-kit.js'
import type { CapabilityFallback, ProviderDefinition } from '../define-provider.js'
import {
  AuthenticationError,
  InsufficientCreditsError,
  InvalidRequestError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  UpstreamError,
} from '../errors.js'
import { isRecord, num, progressOf, record, str, urls } from '../parse.js'
import type { ProviderId } from '../types.js'

/** Documented string codes (newer docs) and `type` values (both versions). Integer codes fall back to the HTTP status. */
export const FLAT_TASK_ERRORS: ErrorTables = {
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

export interface FlatTaskOptions<Body extends object> {
  /** In place of the meta's operations (see ProviderDefinition.operations). */
  operations?: ProviderDefinition<Body>['operations']
  fallbacks?: Readonly<Record<string, CapabilityFallback>>
}

/** The task error code with which this API reports a canceled task as failed. */
const CANCELED_CODE = 'request_cancelled'

/** A 2xx body that is an error envelope (a proxy in front of the API), not a task. */
const isErrorEnvelope = (data: Record<string, unknown>) => isRecord(data.error) && data.status === undefined && data.id === undefined

/** The definition of a provider that speaks this task API, parameterized by its meta. */
export function flatTaskDefinition<Body extends object>(
  meta: ClientMeta & { readonly id: ProviderId },
  options: FlatTaskOptions<Body> = {},
): ProviderDefinition<Body> {
  return {
    meta,
    ...(options.operations ? { operations: options.operations } : {}),
    ...(options.fallbacks ? { fallbacks: options.fallbacks } : {}),
    errors: FLAT_TASK_ERRORS,

    readError: (_status, body) => errorEnvelope(body, undefined, 'fallback_suggestion'),

    readSubmit(data, response, kit) {
      if (!isRecord(data)) return kit.missingTaskId(data, response)
      if (isErrorEnvelope(data)) return kit.error(response.status, data, response.headers)
      const taskId = str(data.id)
      if (!taskId) return kit.missingTaskId(data, response)
      const estimatedSeconds = num(record(data.task_info).estimated_time)
      return estimatedSeconds !== undefined ? { taskId, estimatedSeconds } : { taskId }
    },

    readTask(data, response, kit) {
      if (!isRecord(data)) return kit.notATask(data, 'body')
      if (isErrorEnvelope(data)) return kit.error(response?.status ?? 200, data, response?.headers ?? new Headers())
      const taskId = str(data.id)
      if (!taskId) return kit.notATask(data, 'id')
      const error = taskErrorOf(data.error)
      let status = kit.status(data.status, data)
      if (status === 'failed' && error?.code === CANCELED_CODE) status = 'canceled'
      return compact({
        taskId,
        provider: kit.id,
        model: str(data.model),
        status,
        progress: progressOf(data.progress, true),
        estimatedSeconds: num(record(data.task_info).estimated_time),
        urls: urls(data.results),
        error: status === 'failed' || status === 'canceled' ? error : undefined,
        raw: data,
      })
    },
  }
}
