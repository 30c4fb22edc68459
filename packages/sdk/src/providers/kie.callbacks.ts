// kie's callback signature, apart from the adapter so that only `@nano-banana/sdk/callbacks` carries it.
import type { CallbackRequest, CallbackVerdict, CallbackVerification, CallbackVerifyContext } from '../adapter.js'
import { record, str } from '../parse.js'
import { checkTimestamp, hmacSha256Base64, timingSafeEqual, utf8 } from '../signatures.js'

/**
 * Verifies `X-Webhook-Signature = base64(HMAC-SHA256(taskId + "." + X-Webhook-Timestamp, webhookHmacKey))`.
 * The signature does not cover the body: a verified delivery proves that kie sent *a* callback for that
 * task, not what its body says, so trust only what a fresh `getTask(taskId)` answers.
 */
async function verifyCallback(request: CallbackRequest, context: CallbackVerifyContext): Promise<CallbackVerdict> {
  if (!context.secret) return { ok: false, reason: 'no webhookSecret: pass the webhook HMAC key from https://kie.ai/settings' }
  const timestamp = request.headers.get('x-webhook-timestamp')
  const signature = request.headers.get('x-webhook-signature')
  if (!signature) return { ok: false, reason: 'missing X-Webhook-Signature' }
  const stale = checkTimestamp(timestamp, context.nowSeconds, context.toleranceSeconds)
  if (stale) return { ok: false, reason: stale }
  const text = utf8(request.body)
  let body: unknown
  try {
    body = text === undefined ? undefined : JSON.parse(text)
  } catch {
    body = undefined
  }
  // The EN docs say `taskId` of the body; the CN sample reads `data.task_id`.
  const data = record(record(body).data)
  const taskId = str(data.taskId) ?? str(data.task_id) ?? str(record(body).taskId)
  if (!taskId) return { ok: false, reason: 'no taskId in the callback body' }
  const expected = await hmacSha256Base64(context.secret, `${taskId}.${timestamp!.trim()}`)
  return timingSafeEqual(expected, signature.trim()) ? { ok: true } : { ok: false, reason: 'signature mismatch' }
}

export const callbacks: CallbackVerification = {
  verifyCallback,
}
