// fal's webhook signature, apart from the adapter so that only `@nano-banana/sdk/callbacks` carries it:
// ED25519 over `request_id \n user_id \n timestamp \n sha256_hex(body)`, keys from fal's JWKS (the spec's
// `getWebhookKeys`), https://docs.fal.ai/model-endpoints/webhooks.
import { meta } from '@nano-banana/fal/meta'
import type { CallbackRequest, CallbackVerdict, CallbackVerification, CallbackVerifyContext } from '../adapter.js'
import { isRecord } from '../parse.js'
import { checkTimestamp } from '../signatures.js'

/** fal's webhook keys: the spec's `getWebhookKeys` on its own server; "cache for at most 24 h". */
const keysOperation = meta.otherOperations.find((op) => op.operationId === 'getWebhookKeys')!
export const FAL_JWKS_URL = `${keysOperation.server}${keysOperation.path}`
const JWKS_TTL_SECONDS = 24 * 60 * 60
/** A signature no cached key verifies may be a rotation: the keys are fetched again, at most this often. */
const JWKS_REFRESH_SECONDS = 60

const hex = (bytes: ArrayBuffer | Uint8Array): string => Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('')

function fromHex(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(text.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16)
  return out
}

interface KeyCache {
  keys: CryptoKey[]
  fetchedAt: number
}

/** Cached per fetch function: a receiver (or a test) with its own fetch sees its own key set. */
const keyCaches = new WeakMap<typeof globalThis.fetch, KeyCache>()

async function fetchKeys(fetchImpl: typeof globalThis.fetch, nowSeconds: number): Promise<KeyCache> {
  const response = await fetchImpl(FAL_JWKS_URL, { headers: { accept: 'application/json' }, redirect: 'error' })
  if (!response.ok) throw new Error(`JWKS answered HTTP ${response.status}`)
  const body = (await response.json()) as unknown
  const listed = isRecord(body) && Array.isArray(body.keys) ? body.keys : []
  const keys: CryptoKey[] = []
  for (const jwk of listed) {
    if (!isRecord(jwk) || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') continue
    try {
      keys.push(await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify']))
    } catch {
      // A malformed key in the set is skipped; the others may still verify.
    }
  }
  const cache = { keys, fetchedAt: nowSeconds }
  keyCaches.set(fetchImpl, cache)
  return cache
}

async function verifyWith(keys: readonly CryptoKey[], signature: Uint8Array<ArrayBuffer>, message: Uint8Array<ArrayBuffer>): Promise<boolean> {
  for (const key of keys) if (await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message)) return true
  return false
}

/** fal's webhook signature (https://docs.fal.ai/model-endpoints/webhooks). */
export async function verifyFalWebhook(request: CallbackRequest, context: CallbackVerifyContext): Promise<CallbackVerdict> {
  const header = (name: string) => request.headers.get(name)?.trim()
  const requestId = header('x-fal-webhook-request-id')
  const userId = header('x-fal-webhook-user-id')
  const timestamp = header('x-fal-webhook-timestamp')
  const signature = header('x-fal-webhook-signature')
  if (!requestId || !userId || !timestamp || !signature) return { ok: false, reason: 'missing fal webhook signature headers' }
  const stale = checkTimestamp(timestamp, context.nowSeconds, context.toleranceSeconds)
  if (stale) return { ok: false, reason: stale }
  if (!/^[0-9a-f]{128}$/i.test(signature)) return { ok: false, reason: 'malformed webhook signature' }
  const digest = hex(await crypto.subtle.digest('SHA-256', new Uint8Array(request.body)))
  const message = new TextEncoder().encode(`${requestId}\n${userId}\n${timestamp}\n${digest}`)
  const signed = fromHex(signature)
  let cache = keyCaches.get(context.fetch)
  const fresh = cache !== undefined && context.nowSeconds - cache.fetchedAt < JWKS_TTL_SECONDS
  try {
    if (!cache || !fresh) cache = await fetchKeys(context.fetch, context.nowSeconds)
    if (await verifyWith(cache.keys, signed, message)) return { ok: true }
    if (context.nowSeconds - cache.fetchedAt >= JWKS_REFRESH_SECONDS) {
      cache = await fetchKeys(context.fetch, context.nowSeconds)
      if (await verifyWith(cache.keys, signed, message)) return { ok: true }
    }
  } catch (error) {
    return { ok: false, reason: `fal webhook keys unavailable: ${error instanceof Error ? error.message : String(error)}` }
  }
  return { ok: false, reason: 'webhook signature matches no fal key' }
}

export const callbacks: CallbackVerification = {
  verifyCallback: verifyFalWebhook,
  // The signed message includes the body's SHA-256.
  signatureCoversBody: true,
}
