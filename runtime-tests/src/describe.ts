// Plain helpers of the scenarios, apart from the SDK (the /core page bundles them without the main entry).

/** Name, message and the cause chain: "Illegal invocation" hides two causes deep. */
export function describe(error: unknown): string {
  const parts: string[] = []
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e))
    e = (e as { cause?: unknown }).cause
  }
  return parts.join(' <- ')
}

/** btoa over chunks: the one base64 encoder every runtime here has (no Buffer in browsers or workerd). */
export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}
