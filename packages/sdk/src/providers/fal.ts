// fal.ai queue API: specs/fal.openapi.yaml (models, fields, status words, paths). What the spec cannot say:
// - the status answer carries only the status; once it is COMPLETED the output (or the model's error) is read
//   from `response_url`, which is followed only when it is on the client's base URL (else the documented path);
// - the task id is `{owner}/{app}/{request_id}` (`x-task-id`): the model path without `/edit`, so status, result
//   and cancel need nothing else. A webhook names only the request id, so a callback task's `taskId` is the
//   request id (the last segment of the submit's task id);
// - errors are `{detail: string | [{loc, msg, type}]}`, the `type` decides, and `X-Fal-Retryable` says whether
//   repeating may succeed;
// - webhooks are signed with ED25519 (checked in fal.callbacks.ts, reached from the callbacks entry only).
import type { Client, GetImageTaskData, TextToImageBody } from '@nano-banana/fal'
import { clientMeta as meta } from '@nano-banana/fal/meta'
import type { CallResult } from '../adapter.js'
import { compact, sameOriginPath, type ErrorTables } from '../adapter-kit.js'
import { defineBuiltInProvider, type ProviderDefinition } from '../define-provider.js'
import { ContentPolicyError, InvalidRequestError, ServerError, UpstreamError } from '../errors.js'
import { operationOf } from '../operation.js'
import { isRecord, str } from '../parse.js'
import type { Task } from '../types.js'

/** The `type`s of fal's error reference (https://fal.ai/docs/documentation/model-apis/errors.md). */
const ERRORS: ErrorTables = {
  byType: {
    content_policy_violation: ContentPolicyError,
    internal_server_error: ServerError,
    generation_timeout: ServerError,
    downstream_service_error: UpstreamError,
    downstream_service_unavailable: ServerError,
    feature_not_supported: InvalidRequestError,
    image_too_small: InvalidRequestError,
    image_too_large: InvalidRequestError,
    image_load_error: InvalidRequestError,
    file_download_error: InvalidRequestError,
    unsupported_image_format: InvalidRequestError,
    greater_than: InvalidRequestError,
    greater_than_equal: InvalidRequestError,
    less_than: InvalidRequestError,
    less_than_equal: InvalidRequestError,
    one_of: InvalidRequestError,
    sequence_too_long: InvalidRequestError,
    sequence_too_short: InvalidRequestError,
  },
  retryableHeader: 'x-fal-retryable',
}

/** The statuses of a result read that say "not now" rather than "this request failed" (fal-js retries these). */
const TRANSIENT_RESULT = new Set([429, 502, 503])

/** The first typed error of a `detail` list, or the message of a string `detail`. */
function detailOf(body: unknown): { type?: string; message?: string; param?: string } {
  const detail = isRecord(body) ? body.detail : undefined
  if (typeof detail === 'string') return { message: detail }
  // The cancel answers: `{status: ALREADY_COMPLETED | NOT_FOUND}`.
  if (detail === undefined && isRecord(body) && typeof body.status === 'string') return { type: body.status, message: body.status }
  const first = Array.isArray(detail) ? detail.find(isRecord) : undefined
  if (!first) {
    // Not fal's envelope (a proxy, a gateway): its message, if it has one.
    const other = isRecord(body) ? (str(body.message) ?? str(body.msg) ?? (isRecord(body.error) ? str(body.error.message) : str(body.error))) : undefined
    return other !== undefined ? { message: other } : {}
  }
  const parts = Array.isArray(first.loc)
    ? first.loc.filter((part): part is string | number => (typeof part === 'string' && part !== 'body') || typeof part === 'number')
    : []
  const loc = parts.length ? parts.join('.') : undefined
  return compact({ type: str(first.type), message: str(first.msg), param: loc || undefined })
}

/** The combined answer of a poll: the status body, plus the result or the failure once COMPLETED. */
interface Polled {
  taskId: string
  query: Record<string, unknown>
  result?: unknown
  failure?: { status: number; body: unknown }
}

const POLLED = Symbol('fal.polled')
const isPolled = (value: unknown): value is { [POLLED]: Polled } => isRecord(value) && POLLED in value

type TaskPath = GetImageTaskData['path']

const getImageTask = operationOf(meta, 'get')!
const getImageTaskResult = operationOf(meta, 'result')!

/** Status, then (once COMPLETED) the output at `response_url`: one poll, as the unified client sees it. */
async function getWithResult(options: { client: Client; path: TaskPath; signal?: AbortSignal }): Promise<CallResult> {
  const status = await getImageTask(options)
  if (!status.response.ok || !isRecord(status.data)) return status
  // The answer names only the request id: the reader gets the unified id it was asked about.
  const taskId = `${options.path.owner}/${options.path.app}/${options.path.request_id}`
  if (String(status.data.status).toUpperCase() !== 'COMPLETED')
    return { data: { ...status.data, [POLLED]: { taskId, query: status.data } }, response: status.response }
  // The answer's URL is used only on the base URL's origin and path: the key goes nowhere else.
  const url = sameOriginPath(options.client.getConfig().baseUrl, status.data.response_url)
  const result = await getImageTaskResult({ ...options, ...(url ? { url } : {}) })
  if (!result.response.ok && TRANSIENT_RESULT.has(result.response.status)) return result
  const polled: Polled = result.response.ok
    ? { taskId, query: status.data, result: result.data }
    : { taskId, query: status.data, failure: { status: result.response.status, body: result.error } }
  // The raw body stays what fal sent (status and result); the marker only tells the reader it is combined.
  const data = { ...status.data, ...(polled.result !== undefined ? { result: polled.result } : { failure: polled.failure }), [POLLED]: polled }
  return { data, response: status.response }
}

const imagesOf = (output: unknown): string[] =>
  isRecord(output) && Array.isArray(output.images)
    ? output.images.flatMap((image) => (isRecord(image) && typeof image.url === 'string' && image.url ? [image.url] : []))
    : []

/** What the spec cannot say about fal; exported so that the test suite checks it (see defineBuiltInProvider). */
export const definition: ProviderDefinition<TextToImageBody & { model?: string }> = {
  meta,
  // Create, the `/edit` create with reference images and cancel are the meta's; a poll also reads the output.
  operations: { get: getWithResult },
  errors: ERRORS,
  // No `/edit` endpoint, so no image field in its branch: it takes no reference image.
  fallbacks: { 'google/nano-banana-2-lite': { maxImages: 0, why: 'the model has no /edit endpoint' } },

  readError(_status, body) {
    const detail = detailOf(body)
    return { code: detail.type, type: detail.type, message: detail.message, param: detail.param }
  },

  readSubmit(data, response, kit, context) {
    const requestId = isRecord(data) ? str(data.request_id) : undefined
    // The id is the model path and the request id; the path never has `/edit` (the status URLs drop it).
    if (!requestId || requestId.includes('/')) return kit.missingTaskId(data, response)
    return { taskId: `${context.model}/${requestId}` }
  },

  readTask(data, response, kit): Task | ReturnType<typeof kit.error> {
    if (isPolled(data)) {
      const polled = data[POLLED]
      const { [POLLED]: _, ...raw } = data as Record<string | symbol, unknown>
      if (polled.failure) {
        const error = kit.error(polled.failure.status, polled.failure.body, undefined)
        return {
          taskId: polled.taskId,
          provider: kit.id,
          status: 'failed',
          urls: [],
          error: compact({ code: error.code ?? String(polled.failure.status), message: error.message }),
          raw,
        }
      }
      return { taskId: polled.taskId, provider: kit.id, status: kit.status(polled.query.status, data), urls: imagesOf(polled.result), raw }
    }
    if (!isRecord(data)) return kit.notATask(data, 'body')
    const requestId = str(data.request_id)
    if (!requestId) return kit.notATask(data, 'request_id')
    // A webhook: `status` OK or ERROR, the output (or the error body) in `payload`.
    if (data.status === 'OK' || data.status === 'ERROR') {
      if (data.status === 'OK') return { taskId: requestId, provider: kit.id, status: 'succeeded', urls: imagesOf(data.payload), raw: data }
      const detail = detailOf(data.payload)
      const message = detail.message ?? str(data.error) ?? str(data.payload_error)
      return {
        taskId: requestId,
        provider: kit.id,
        status: 'failed',
        urls: [],
        error: compact({ code: detail.type, message }),
        raw: data,
      }
    }
    // A bare status answer (read without its result): the id is the request id.
    void response
    return { taskId: requestId, provider: kit.id, status: kit.status(data.status, data), urls: [], raw: data }
  },
}

/**
 * fal adapter: the model id is the path (`x-model-in-path`), reference images go to the model's `/edit`
 * (`x-images-operation`), the callback URL is the `fal_webhook` query parameter; the body is the model's
 * fields, snake_case, with providerOptions (`seed`, `safety_tolerance`, `thinking_level`...) merged in.
 */
export const fal = defineBuiltInProvider(definition)
