// aivideoapi.ai ("AI Video API"). Capabilities, fields, value spellings and status words:
// specs/aivideoapi.openapi.yaml, one `CreateImageTaskRequest` branch per model. Errors are
// `{error: {code, message, type}}` with string codes: the code decides (429 is a rate limit or a spend
// limit, 503 an upstream error).
import type { CreateImageTaskRequest } from '@nano-banana/aivideoapi'
import { clientMeta as meta } from '@nano-banana/aivideoapi/meta'
import { codeOf, compact, errorEnvelope, taskErrorOf, type ErrorTables } from '../adapter-kit.js'
import { defineBuiltInProvider, type ProviderDefinition } from '../define-provider.js'
import {
  AuthenticationError,
  InsufficientCreditsError,
  InvalidRequestError,
  type NanoBananaError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  UpstreamError,
} from '../errors.js'
import { isRecord, num, progressOf, str, urls } from '../parse.js'

const ERRORS: ErrorTables = {
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

/** A 2xx body that reports an error: `{error: {...}}` without a task, or `{code: <not 200>, msg}`. */
function errorIn(
  body: Record<string, unknown>,
  response: Response | undefined,
  error: (status: number, body: unknown, headers: Headers | undefined) => NanoBananaError,
) {
  const code = codeOf(body.code)
  if ((isRecord(body.error) && body.status === undefined) || (code !== undefined && code !== 200)) {
    return error(code !== undefined && code !== 200 ? code : (response?.status ?? 200), body, response?.headers)
  }
  return undefined
}

/**
 * aivideoapi adapter: `{model, input: {prompt, aspect_ratio, resolution, output_format, image_urls},
 * callback_url}` as each model's branch says (the lite model has no format field and returns jpg, so
 * `jpeg` there is a warning); providerOptions merged into `input`. The create answer says `data.taskId`,
 * the task says `id`.
 */
const costSeconds = (metadata: unknown): number | undefined => {
  const ms = isRecord(metadata) ? num(metadata.costTime) : undefined
  return ms !== undefined && ms > 0 ? ms / 1000 : undefined
}

/** What the spec cannot say about aivideoapi; exported so that the test suite checks it (see defineBuiltInProvider). */
export const definition: ProviderDefinition<CreateImageTaskRequest> = {
  meta,
  errors: ERRORS,

  readError: (_status, body) => errorEnvelope(body, ['message', 'msg']),

  readSubmit(data, response, kit) {
    if (!isRecord(data)) return kit.missingTaskId(data, response)
    const error = errorIn(data, response, kit.error)
    if (error) return error
    const inner = isRecord(data.data) ? data.data : data
    const taskId = str(inner.taskId) ?? str(inner.task_id) ?? str(inner.id)
    return taskId ? { taskId } : kit.missingTaskId(data, response)
  },

  readTask(data, response, kit) {
    if (!isRecord(data)) return kit.notATask(data, 'body')
    const error = errorIn(data, response, kit.error)
    if (error) return error
    // The query answer is the bare task; tolerate a `{code, msg, data}` wrapper like the create answer's.
    const task = data.status === undefined && isRecord(data.data) ? data.data : data
    const taskId = str(task.id) ?? str(task.taskId)
    if (!taskId) return kit.notATask(data, 'id')
    const status = kit.status(task.status, data)
    const output = isRecord(task.output) ? task.output : {}
    return compact({
      taskId,
      provider: kit.id,
      model: str(task.model),
      status,
      progress: progressOf(task.progress, true),
      urls: urls(output.urls),
      error: status === 'failed' ? taskErrorOf(task.error) : undefined,
      // `output.metadata.costTime`: generation time in ms.
      durationSeconds: costSeconds(output.metadata),
      raw: data,
    })
  },
}

export const aivideoapi = defineBuiltInProvider(definition)
