// kie.ai (market jobs API). Capabilities, fields and status words: specs/kie.openapi.yaml, one
// `CreateImageTaskRequest` branch per model. What the spec cannot say lives here: every answer is the
// envelope `{code, msg|message, data}` and a failure may come as HTTP 200 with a non-200 JSON `code`;
// the JSON codes 455 (maintenance: nothing created), 501 (generation failed) and 505 (feature
// disabled) keep their documented meaning whatever the HTTP status; `resultJson` and `param` are JSON
// strings; callbacks are signed over `taskId.timestamp` only (kie.callbacks.ts).
import type { CreateImageTaskRequest } from '@nano-banana/kie'
import { clientMeta as meta } from '@nano-banana/kie/meta'
import { compact, firstStr } from '../adapter-kit.js'
import { defineBuiltInProvider, type ProviderDefinition, type CapabilityFallback } from '../define-provider.js'
import { NanoBananaError } from '../errors.js'
import { isRecord, num, record, str, urls } from '../parse.js'
import { codeEnvelope, unwrapCode, type CodeEnvelope } from '../wire/code-envelope.js'

const fallbacks: Record<string, CapabilityFallback> = {
  // No reference-image field: kie sells editing as its own model, google/nano-banana-edit.
  'google/nano-banana': { maxImages: 0, why: 'text to image only; google/nano-banana-edit takes reference images' },
}

/** Parses a JSON-string field (`resultJson`, `param`); anything unreadable is an empty object. */
function jsonField(value: unknown): Record<string, unknown> {
  if (isRecord(value)) return value
  if (typeof value !== 'string' || value === '') return {}
  try {
    return record(JSON.parse(value))
  } catch {
    return {}
  }
}

const envelope: CodeEnvelope = {
  isTask: (value) => isRecord(value) && ('taskId' in value || 'task_id' in value) && 'state' in value,
  idKeys: ['taskId', 'task_id'],
  messageKeys: ['msg', 'message'],
}

/** What the spec cannot say about kie; exported so that the test suite checks it (see defineBuiltInProvider). */
export const definition: ProviderDefinition<CreateImageTaskRequest> = {
  meta,
  fallbacks,
  ...codeEnvelope(envelope),

  readTask(data, response, kit) {
    const task = unwrapCode(envelope, data, response, kit)
    if (task instanceof NanoBananaError) return task
    if (!task) return kit.notATask(data, 'data')
    const taskId = firstStr(task, envelope.idKeys)
    if (!taskId) return kit.notATask(data, 'taskId')
    const status = kit.status(task.state, data)
    const credits = num(task.consumeCredits)
    return compact({
      taskId,
      provider: kit.id,
      model: str(task.model) ?? str(jsonField(task.param).model),
      status,
      urls: status === 'succeeded' ? urls(jsonField(task.resultJson).resultUrls) : [],
      error: status === 'failed' ? compact({ code: str(task.failCode) || undefined, message: str(task.failMsg) || undefined }) : undefined,
      usage: credits !== undefined ? { credits } : undefined,
      raw: data,
    })
  },
}

/**
 * kie adapter: `{model, callBackUrl, input: {prompt, aspect_ratio | image_size, resolution, output_format,
 * image_urls | image_input}}`, each option where the model's branch puts it; `jpeg` is spelled `jpg` except
 * where the model's own enum spells it `jpeg` (meta `capabilities.values`). providerOptions are merged into `input` (e.g.
 * `{ google_search: true }`).
 */
export const kie = defineBuiltInProvider(definition)
