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

export type ProviderOutcome =
  | { provider: string; ok: true; taskId: string; contentType: string; extension: string; byteLength: number; base64: string }
  | { provider: string; ok: false; error: string }

/** Sandbox tasks finish in tens of ms: poll often so that every provider takes well under a second. */
export const POLLING = { initialDelayMs: 20, minDelayMs: 20, maxDelayMs: 100 }

/** What a scenario calls on a client (either entry's): generate, then download the first image. */
interface Generating {
  generate(request: { prompt: string }): Promise<{ taskId: string; images: readonly Downloadable[] }>
}
interface Downloadable {
  download(): Promise<{ contentType: string; extension: string; bytes: Uint8Array }>
}

/** One provider's outcome: generate() and download() through `nb`, or the error described. */
export async function outcomeOf(provider: string, nb: () => Generating, prompt: string): Promise<ProviderOutcome> {
  try {
    const result = await nb().generate({ prompt })
    const image = await result.images[0]!.download()
    return {
      provider,
      ok: true,
      taskId: result.taskId,
      contentType: image.contentType,
      extension: image.extension,
      byteLength: image.bytes.byteLength,
      base64: toBase64(image.bytes),
    }
  } catch (error) {
    return { provider, ok: false, error: describe(error) }
  }
}
