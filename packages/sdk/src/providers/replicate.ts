// Replicate (predictions of Google's official models). Capabilities, fields, status words, the model in
// the create path (`x-model-in-path`) and the one-hour result lifetime: specs/replicate.openapi.yaml.
// What the spec cannot say lives here: a failed prediction's reason is a plain string, a prediction older
// than an hour has `data_removed` instead of its output, errors are problem+json `{title, detail, status}`,
// a cancel answer is the prediction, and webhooks are signed with Standard Webhooks (replicate.callbacks.ts).
//
// `Prefer: wait` is not sent: it holds the create request until the image exists, and until that answer
// arrives the caller has no prediction id, so a connection lost meanwhile would leave a paid prediction
// nobody can find. Polling from the id on costs at most one poll interval.
import type { PredictionRequest } from '@nano-banana/replicate'
import { clientMeta as meta } from '@nano-banana/replicate/meta'
import { compact } from '../adapter-kit.js'
import { defineBuiltInProvider, type ProviderDefinition, type CapabilityFallback } from '../define-provider.js'
import { ExpiredResultError } from '../errors.js'
import { isRecord, record, str, urls } from '../parse.js'

// Replicate's model pages state no prompt length and no image count for google/nano-banana.
const UNSTATED: CapabilityFallback = { maxPromptLength: 20_000, why: 'prompt limit not stated by Replicate' }
const fallbacks: Record<string, CapabilityFallback> = {
  'google/nano-banana': { ...UNSTATED, maxImages: 10, why: 'prompt and reference-image limits not stated by Replicate' },
  'google/nano-banana-pro': UNSTATED,
  'google/nano-banana-2': UNSTATED,
}

/** What the spec cannot say about replicate; exported so that the test suite checks it (see defineBuiltInProvider). */
export const definition: ProviderDefinition<PredictionRequest> = {
  meta,
  fallbacks,

  toBody(request, _model, wire) {
    const body = wire.place()
    return request.callbackUrl ? { ...body, webhook_events_filter: ['completed'] } : body
  },

  readError(_status, body) {
    const problem = record(body)
    // A gateway in front of Replicate may answer another JSON shape: its message is still the reason.
    return { code: str(problem.title), message: str(problem.detail) ?? str(problem.title) ?? str(problem.message) }
  },

  readSubmit(data, response, kit) {
    const taskId = str(record(data).id)
    return taskId ? { taskId } : kit.missingTaskId(data, response)
  },

  readTask(data, _response, kit) {
    if (!isRecord(data)) return kit.notATask(data, 'prediction')
    const taskId = str(data.id)
    if (!taskId) return kit.notATask(data, 'id')
    const status = kit.status(data.status, data)
    const found = urls(data.output)
    if (status === 'succeeded' && found.length === 0 && data.data_removed === true) {
      return new ExpiredResultError(`${kit.id}: prediction ${taskId}: its output was deleted (Replicate keeps files for an hour)`, {
        provider: kit.id,
        taskId,
        code: 'data_removed',
        body: data,
      })
    }
    return compact({
      taskId,
      provider: kit.id,
      model: str(data.model),
      status,
      urls: status === 'succeeded' ? found : [],
      error: status === 'failed' || status === 'canceled' ? compact({ code: str(data.status), message: str(data.error) || undefined }) : undefined,
      raw: data,
    })
  },

  // The answer is the prediction: canceled (or still ending) when it was running, as it ended otherwise.
  readCancel(data, _response, kit) {
    const status = kit.status(record(data).status, data)
    return status === 'canceled' || status === 'queued' || status === 'running'
  },
}

/**
 * Replicate adapter: the model goes to the path, the body is `{input: {prompt, image_input, aspect_ratio,
 * resolution, output_format}, webhook, webhook_events_filter}`, each option where the model's branch puts
 * it (`jpeg` spelled `jpg`); a webhook asks for the `completed` event only. providerOptions are merged into
 * `input` (e.g. `{ google_search: true }`).
 */
export const replicate = defineBuiltInProvider(definition)
