import type { OnHeaders } from './types.js'

/**
 * Reads a whole Request or Response body, stopping as soon as it exceeds `maxBytes` (then the
 * stream is cancelled and `undefined` returned). Web-standard only, so it also runs on edge runtimes.
 */
export async function readCapped(message: Request | Response, maxBytes: number): Promise<Uint8Array | undefined> {
  const declared = Number(message.headers.get('content-length') ?? Number.NaN)
  if (Number.isFinite(declared) && declared > maxBytes) {
    await message.body?.cancel().catch(() => undefined)
    return undefined
  }
  if (!message.body) return new Uint8Array(await message.arrayBuffer())
  return readStreamCapped(message.body, maxBytes)
}

/**
 * Reads a body stream whole, or cancels it and answers undefined as soon as it exceeds `maxBytes`.
 * `onHeaders` gets the function that cancels the read from outside: the read then rejects with its reason.
 */
export async function readStreamCapped(body: ReadableStream<Uint8Array>, maxBytes: number, onHeaders?: OnHeaders): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = []
  let total = 0
  const reader = body.getReader()
  let cancelled: { reason: unknown } | undefined
  onHeaders?.((reason) => {
    cancelled ??= { reason }
    // A pending read() then ends as `done`.
    reader.cancel(reason).catch(() => undefined)
  })
  for (;;) {
    const { done, value } = await reader.read()
    if (cancelled) throw cancelled.reason
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined)
      return undefined
    }
    chunks.push(value)
  }
  // Small answers arrive in one chunk: no copy, unless the chunk is a view into a larger (pooled) buffer.
  const only = chunks.length === 1 ? chunks[0]! : undefined
  if (only && only.byteOffset === 0 && only.byteLength === only.buffer.byteLength) return only
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}
