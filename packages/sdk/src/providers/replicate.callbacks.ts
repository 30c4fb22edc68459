// Replicate's webhook signature (Standard Webhooks), apart from the adapter so that only
// `@nano-banana/sdk/callbacks` carries it.
import type { CallbackRequest, CallbackVerdict, CallbackVerification, CallbackVerifyContext } from '../adapter.js'
import { checkTimestamp, timingSafeEqual, utf8 } from '../signatures.js'

/**
 * Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<b64> ...`, a `whsec_`
 * secret), signed over `id.timestamp.body`. The maintained `standardwebhooks` package computes the
 * signature (pure JS, every runtime, loaded on first use); the clock and tolerance are the handler's.
 */
async function verifyCallback(request: CallbackRequest, context: CallbackVerifyContext): Promise<CallbackVerdict> {
  if (!context.secret) return { ok: false, reason: 'no webhookSecret: pass the whsec_ secret of GET /v1/webhooks/default/secret' }
  const id = request.headers.get('webhook-id')
  const timestamp = request.headers.get('webhook-timestamp')
  const signatures = request.headers.get('webhook-signature')
  if (!id || !signatures) return { ok: false, reason: 'missing webhook-id or webhook-signature' }
  const stale = checkTimestamp(timestamp, context.nowSeconds, context.toleranceSeconds)
  if (stale) return { ok: false, reason: stale }
  const body = utf8(request.body)
  if (body === undefined) return { ok: false, reason: 'body is not UTF-8' }
  const { Webhook } = await import('standardwebhooks')
  let expected: string
  try {
    expected = new Webhook(context.secret).sign(id, new Date(Number(timestamp!.trim()) * 1000), body)
  } catch (error) {
    return { ok: false, reason: `unusable webhookSecret (${error instanceof Error ? error.message : 'invalid'})` }
  }
  const matches = signatures.split(' ').some((entry) => entry.startsWith('v1,') && timingSafeEqual(entry, expected))
  return matches ? { ok: true } : { ok: false, reason: 'no matching signature' }
}

export const callbacks: CallbackVerification = {
  verifyCallback,
  // The signature covers `id.timestamp.body`: a verified body is what Replicate sent, no re-read needed.
  signatureCoversBody: true,
}
