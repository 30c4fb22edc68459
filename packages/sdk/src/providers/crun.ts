// Crun (crun.ai). Capabilities, fields and status words: specs/crun.openapi.yaml, one
// `CreateImageTaskRequest` branch per model. What the spec cannot say lives here: every answer is the
// envelope `{code, message, data}` (wire/code-envelope.ts: a failure may come as HTTP 200 with a non-200
// JSON `code`; 455, 501 and 505 keep their documented meaning whatever the HTTP status).
import type { CreateImageTaskRequest } from '@nano-banana/crun'
import { clientMeta as meta } from '@nano-banana/crun/meta'
import { compact, GOOGLE_RATIOS } from '../adapter-kit.js'
import { defineBuiltInProvider, type ProviderDefinition, type CapabilityFallback } from '../define-provider.js'
import { NanoBananaError } from '../errors.js'
import { isRecord, num, record, str, urls } from '../parse.js'
import { codeEnvelope, unwrapCode, type CodeEnvelope } from '../wire/code-envelope.js'

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

const envelope: CodeEnvelope = { isTask: (value) => isRecord(value) && 'task_id' in value, idKeys: ['task_id', 'taskId'], messageKeys: ['message', 'msg'] }

/** What the spec cannot say about crun; exported so that the test suite checks it (see defineBuiltInProvider). */
export const definition: ProviderDefinition<CreateImageTaskRequest> = {
  meta,
  fallbacks,
  ...codeEnvelope(envelope),

  readTask(data, response, kit) {
    const task = unwrapCode(envelope, data, response, kit)
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
}

/**
 * Crun adapter: `{model, input: {prompt, aspect_ratio, resolution, output_format, <images>}, callback_url}`,
 * each option where the model's branch puts it (reference images in `input.image_urls` or `input.img_urls`,
 * `jpeg` spelled `jpg`); providerOptions are merged into `input` (e.g. `{ google_search: true }`).
 */
export const crun = defineBuiltInProvider(definition)
