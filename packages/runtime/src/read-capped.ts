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

/** Reads a body stream whole, or cancels it and answers undefined as soon as it exceeds `maxBytes`. */
export async function readStreamCapped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = []
  let total = 0
  const reader = body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
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
