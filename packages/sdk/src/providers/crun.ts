// Crun (crun.ai). Capabilities: specs/crun.openapi.yaml, one `CreateImageTaskRequest` branch per model
// (seed 002 for google/nano-banana and -v2; third-party code citing Crun's docs for google/nano-banana-2
// and -2-v2, shared/providers.md section 3). Every answer is the envelope `{code, message, data}` and a
// failure may come as HTTP 200 with a non-200 JSON `code`.
import { createCrunClient, createImageTask, getImageTask, type CreateImageTaskRequest } from '@nano-banana/crun'
import type { ModelCapabilities, ProviderAdapter } from '../adapter.js'
import { buildError, codeOf, compact, EXTREME_RATIOS, GOOGLE_RATIOS, guard, missingTaskId, notATask, notSentWarnings, sends } from '../adapter-kit.js'
import { NanoBananaError } from '../errors.js'
import { isRecord, num, record, statusOf, str, urls } from '../parse.js'
import type { OutputFormat, TaskStatus } from '../types.js'

const NB2_RATIOS = ['auto', ...GOOGLE_RATIOS, ...EXTREME_RATIOS] as const

interface Wire {
  /** Field of the reference images inside `input`. */
  images: 'image_urls' | 'img_urls'
  /** Wire value of each output format, for models with an `output_format` field. */
  formats?: Partial<Record<OutputFormat, string>>
}

const models: Record<string, ModelCapabilities> = {
  'google/nano-banana': {
    id: 'google/nano-banana',
    family: 'Nano Banana',
    // The aspect_ratio enum is not documented (16:9 is); Google's ten ratios of gemini-2.5-flash-image.
    aspectRatios: GOOGLE_RATIOS,
    resolutions: ['1K'], // no resolution field; gemini-2.5-flash-image is 1K
    outputFormats: ['png'], // `png` is the only documented value
    maxImages: 10, // not documented; kie.ai's limit for google/nano-banana (Crun serves kie's model set)
    maxN: 1,
    maxPromptLength: 5000, // not documented; kie.ai's limit for google/nano-banana
    notSent: ['resolution', 'n'],
    source: 'seed 002 + TaskInfo example; ratios, image and prompt limits inferred',
  },
  'google/nano-banana-v2': {
    id: 'google/nano-banana-v2',
    family: 'Nano Banana',
    aspectRatios: GOOGLE_RATIOS,
    resolutions: ['1K'], // "fixed to 1K on v2 channel"
    outputFormats: [], // "output_format is not supported and may be ignored"; the produced format is not documented
    maxImages: 10,
    maxN: 1,
    maxPromptLength: 5000,
    notSent: ['resolution', 'n'],
    source: 'seed 002; ratios, image and prompt limits inferred',
  },
  'google/nano-banana-2': {
    id: 'google/nano-banana-2',
    family: 'Nano Banana 2',
    aspectRatios: NB2_RATIOS,
    resolutions: ['1K', '2K', '4K'],
    outputFormats: ['png', 'jpeg'], // wire png | jpg
    maxImages: 14,
    maxN: 1,
    maxPromptLength: 20_000,
    notSent: ['n'],
    source: 'third-party skill citing docs.crun.ai (spec x-unverified)',
  },
  'google/nano-banana-2-v2': {
    id: 'google/nano-banana-2-v2',
    family: 'Nano Banana 2',
    aspectRatios: NB2_RATIOS,
    resolutions: ['1K', '2K', '4K'],
    outputFormats: [], // no output_format on the v2 channel
    maxImages: 14,
    maxN: 1,
    maxPromptLength: 20_000,
    notSent: ['n'],
    source: 'third-party skill citing docs.crun.ai (spec x-unverified)',
  },
}

/** Where each model wants its fields (the request schema branch of that model). */
const WIRE: Record<string, Wire> = {
  'google/nano-banana': { images: 'image_urls', formats: { png: 'png' } },
  'google/nano-banana-v2': { images: 'image_urls' },
  'google/nano-banana-2': { images: 'img_urls', formats: { png: 'png', jpeg: 'jpg' } },
  'google/nano-banana-2-v2': { images: 'img_urls' },
}

/** Spec `TaskStatus`: `pending`, `running` in progress; `success`, `failed` terminal. */
export const CRUN_STATUS: Readonly<Record<string, TaskStatus>> = {
  pending: 'queued',
  running: 'running',
  success: 'succeeded',
  failed: 'failed',
}

function parseError(status: number, body: unknown, headers: Headers | undefined): NanoBananaError {
  const envelope = record(body)
  const jsonCode = codeOf(envelope.code)
  // The JSON code carries the documented meaning (455 maintenance, 501 generation failed, 505 disabled)
  // whether it came with HTTP 200 or with the same HTTP status.
  const effective = jsonCode !== undefined && jsonCode !== 200 ? jsonCode : status
  return buildError('crun', effective, headers, body, {
    code: jsonCode !== undefined ? String(jsonCode) : str(envelope.code),
    message: str(envelope.message) ?? str(envelope.msg),
  })
}

/** Unwraps `{code, message, data}`; a non-200 JSON code becomes the mapped error. Bare objects pass through (callbacks). */
function unwrap(body: unknown, response: Response | undefined): Record<string, unknown> | NanoBananaError | undefined {
  if (!isRecord(body)) return undefined
  if (!('code' in body) || 'task_id' in body) return body
  const code = codeOf(body.code)
  // A failed task may be delivered as `{code: 501, msg, data: {task...}}` (kie.ai's callback style): the task says more.
  if (code !== 200) return isRecord(body.data) && 'task_id' in body.data ? body.data : parseError(response?.status ?? 200, body, response?.headers)
  return isRecord(body.data) ? body.data : undefined
}

/**
 * Crun adapter. Mapping: `{model, input: {prompt, aspect_ratio, resolution, output_format, <images>},
 * callback_url}`. Reference images go to `input.image_urls` for google/nano-banana(-v2) (assumed, as
 * kie.ai) and `input.img_urls` for google/nano-banana-2(-v2); resolution -> `input.resolution` on the
 * Nano Banana 2 models only (the others are fixed 1K, not sent, with a warning); outputFormat 'jpeg'
 * -> `jpg`. providerOptions are merged into `input` (e.g. `{ google_search: true }`).
 */
export const crun: ProviderAdapter = {
  id: 'crun',
  name: 'Crun',
  envKey: 'CRUN_API_KEY',
  baseUrlEnvKey: 'CRUN_BASE_URL',
  defaultModel: 'google/nano-banana',
  models,
  // Result URL lifetime and callback retries are not documented.
  createClient: createCrunClient,

  toRequestBody(request, model) {
    const wire = WIRE[model.id] ?? { images: 'image_urls' }
    const input: Record<string, unknown> = { prompt: request.prompt }
    if (request.aspectRatio !== undefined) input.aspect_ratio = request.aspectRatio
    if (request.resolution !== undefined && sends(model, 'resolution')) input.resolution = request.resolution
    if (request.outputFormat !== undefined && wire.formats?.[request.outputFormat]) input.output_format = wire.formats[request.outputFormat]
    if (request.images?.length) input[wire.images] = request.images
    const body: Record<string, unknown> = { model: model.id, input: { ...input, ...request.providerOptions } }
    if (request.callbackUrl !== undefined) body.callback_url = request.callbackUrl
    return { body, warnings: notSentWarnings(request, model) }
  },

  submit: (client, body, signal) => createImageTask({ client, body: body as CreateImageTaskRequest, ...(signal ? { signal } : {}) }),
  query: (client, taskId, signal) => getImageTask({ client, query: { task_id: taskId }, ...(signal ? { signal } : {}) }),

  parseSubmit(data, response) {
    return guard('crun', data, () => {
      const inner = unwrap(data, response)
      if (inner instanceof NanoBananaError) return inner
      const taskId = str(inner?.task_id) ?? str(inner?.taskId)
      return taskId ? { taskId } : missingTaskId('crun', data, response)
    })
  },

  parseTask(data, response) {
    return guard('crun', data, () => {
      const task = unwrap(data, response)
      if (task instanceof NanoBananaError) return task
      if (!task) return notATask('crun', data, 'data')
      const taskId = str(task.task_id)
      if (!taskId) return notATask('crun', data, 'task_id')
      const status = statusOf('crun', task.status, CRUN_STATUS, data)
      const result = record(task.result)
      const credits = num(task.credits)
      return compact({
        taskId,
        provider: 'crun' as const,
        model: str(record(task.param).model),
        status,
        urls: urls(result.media_urls),
        error:
          status === 'failed'
            ? compact({ code: str(result.code), message: str(result.message) ?? str(result.msg) ?? str(task.error) })
            : undefined,
        usage: credits !== undefined ? { credits } : undefined,
        raw: data,
      })
    })
  },

  parseError: (status, body, headers) => guard('crun', body, () => parseError(status, body, headers)) as NanoBananaError,
}
