// Web Crypto helpers for callback signatures: the same code on Node, browsers, workerd, Bun and Deno
// (no node:crypto). Provider files say which bytes are signed and where the signature travels.

const encoder = new TextEncoder()

/** base64 of HMAC-SHA256(key, message), both UTF-8 text. */
export async function hmacSha256Base64(key: string | Uint8Array, message: string): Promise<string> {
  const raw = typeof key === 'string' ? encoder.encode(key) : new Uint8Array(key)
  const cryptoKey = await globalThis.crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const signature = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(message)))
  let binary = ''
  for (const byte of signature) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** Compares two strings in time that depends on their length only, not on where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a)
  const right = encoder.encode(b)
  let diff = left.length ^ right.length
  for (let i = 0; i < Math.max(left.length, right.length); i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0)
  return diff === 0
}

/** A Unix-seconds header within `toleranceSeconds` of now, or the reason it is not. */
export function checkTimestamp(value: string | null, nowSeconds: number, toleranceSeconds: number): string | undefined {
  if (value === null || !/^\d{1,12}$/.test(value.trim())) return 'missing or malformed timestamp'
  const skew = Math.abs(nowSeconds - Number(value.trim()))
  return skew > toleranceSeconds ? `timestamp is ${skew} s away from now (tolerance ${toleranceSeconds} s)` : undefined
}

/** The body as UTF-8 text, or undefined when it is not (a signed JSON body always is). */
export function utf8(body: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    return undefined
  }
}
