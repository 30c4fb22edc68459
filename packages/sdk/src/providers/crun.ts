// Crun (crun.ai). Capabilities, fields and status words: specs/crun.openapi.yaml, one
// `CreateImageTaskRequest` branch per model. What the spec cannot say lives here: every answer is the
// envelope `{code, message, data}`, a failure may come as HTTP 200 with a non-200 JSON `code`, and the
// JSON codes 455 (maintenance: nothing created), 501 (generation failed) and 505 (feature disabled)
// carry their documented meaning whatever the HTTP status.
import { createImageTask, getImageTask, type CreateImageTaskRequest } from '@nano-banana/crun'
import { clientMeta as meta } from '@nano-banana/crun/meta'
import { codeOf, compact, GOOGLE_RATIOS } from '../adapter-kit.js'
import { defineProvider, type CapabilityFallback } from '../define-provider.js'
import { NanoBananaError, PermissionError, ServerError, TaskFailedError } from '../errors.js'
import { isRecord, num, record, str, urls } from '../parse.js'

// The Nano Banana models' branches leave the ratio enum, image and prompt limits open (16:9 is the one
// documented ratio): Google's ten ratios of the upstream model, and the image and prompt limits other
// resellers of the same model ids document (an inference, hence `why`).
const NANO_BANANA: CapabilityFallback = {
  aspectRatios: GOOGLE_RATIOS,
  maxImages: 10,
  maxPromptLength: 5000,
  why: 'ratios from Google upstream; image and prompt limits inferred',
}

const fallbacks: Record<string, CapabilityFallback> = {
  // `png` is the only value the docs show for its output_format.
  'google/nano-banana': { ...NANO_BANANA, outputFormats: ['png'] },
  'google/nano-banana-v2': NANO_BANANA,
}

/** The JSON code with its documented meaning, when the envelope carries one other than 200. */
const failureCode = (body: unknown): number | undefined => {
  const code = codeOf(record(body).code)
  return code !== undefined && code !== 200 ? code : undefined
}

/** Unwraps `{code, message, data}`; a non-200 JSON code becomes the mapped error. Bare objects pass through (callbacks). */
function unwrap(body: unknown, response: Response | undefined, error: (status: number, body: unknown, headers: Headers | undefined) => NanoBananaError) {
  if (!isRecord(body)) return undefined
  if (!('code' in body) || 'task_id' in body) return body
  const code = codeOf(body.code)
  // A failed task may be delivered as `{code: 501, msg, data: {task...}}` (a callback envelope): the task says more.
  if (code !== 200) return isRecord(body.data) && 'task_id' in body.data ? body.data : error(response?.status ?? 200, body, response?.headers)
  return isRecord(body.data) ? body.data : undefined
}

/**
 * Crun adapter: `{model, input: {prompt, aspect_ratio, resolution, output_format, <images>}, callback_url}`,
 * each option where the model's branch puts it (reference images in `input.image_urls` or `input.img_urls`,
 * `jpeg` spelled `jpg`); providerOptions are merged into `input` (e.g. `{ google_search: true }`).
 */
export const crun = defineProvider<CreateImageTaskRequest>({
  meta,
  operations: { create: createImageTask, get: getImageTask },
  fallbacks,
  errors: { byStatus: { 455: ServerError, 501: TaskFailedError, 505: PermissionError }, refusedStatuses: [455] },

  readError(_status, body) {
    const envelope = record(body)
    const jsonCode = codeOf(envelope.code)
    const status = failureCode(body)
    return {
      ...(status !== undefined ? { status } : {}),
      code: jsonCode !== undefined ? String(jsonCode) : str(envelope.code),
      message: str(envelope.message) ?? str(envelope.msg),
    }
  },

  readSubmit(data, response, kit) {
    const inner = unwrap(data, response, kit.error)
    if (inner instanceof NanoBananaError) return inner
    const taskId = str(inner?.task_id) ?? str(inner?.taskId)
    return taskId ? { taskId } : kit.missingTaskId(data, response)
  },

  readTask(data, response, kit) {
    const task = unwrap(data, response, kit.error)
    if (task instanceof NanoBananaError) return task
    if (!task) return kit.notATask(data, 'data')
    const taskId = str(task.task_id)
    if (!taskId) return kit.notATask(data, 'task_id')
    const status = kit.status(task.status, data)
    const result = record(task.result)
    const credits = num(task.credits)
    return compact({
      taskId,
      provider: kit.id,
      model: str(record(task.param).model),
      status,
      urls: urls(result.media_urls),
      error: status === 'failed' ? compact({ code: str(result.code), message: str(result.message) ?? str(result.msg) ?? str(task.error) }) : undefined,
      usage: credits !== undefined ? { credits } : undefined,
      // `duration_s`: processing seconds, null until the task ends.
      durationSeconds: num(task.duration_s),
      raw: data,
    })
  },
})
