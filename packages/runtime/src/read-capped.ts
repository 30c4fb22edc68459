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
  return readStreamCapped(message.body, maxBytes, undefined, Number.isFinite(declared) ? declared : undefined)
}

/**
 * Reads a body stream whole, or cancels it and answers undefined as soon as it exceeds `maxBytes`.
 * `onHeaders` gets the function that cancels the read from outside: the read then rejects with its reason.
 */
export async function readStreamCapped(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  onHeaders?: OnHeaders,
  declaredBytes?: number,
): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = []
  let total = 0
  // With a declared length within the cap, chunks from the second on are copied into one buffer of that
  // size as they arrive: a large body (an image) is held once, not twice (its chunks, then their copy).
  let whole: Uint8Array | undefined
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
    const at = total
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined)
      return undefined
    }
    if (whole && total <= whole.byteLength) whole.set(value, at)
    else if (whole) {
      // More than was declared: the rest is gathered as chunks.
      chunks.push(whole.subarray(0, at), value)
      whole = undefined
    } else if (chunks.length === 1 && declaredBytes !== undefined && total <= declaredBytes && declaredBytes <= maxBytes) {
      whole = new Uint8Array(declaredBytes)
      whole.set(chunks.pop()!, 0)
      whole.set(value, at)
    } else chunks.push(value)
  }
  // Fewer bytes than declared (a body cut short) come back as they are; the caller judges them.
  if (whole) return total === whole.byteLength ? whole : whole.subarray(0, total)
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
