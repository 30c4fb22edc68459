// The program every runtime runs (bundled with esbuild for the browser, workerd, Bun and Deno): for
// every provider the SDK knows, generate() against the sandbox and download the first image. It
// reports per provider rather than stopping at the first failure, so a test names every broken one.
import { createNanoBanana, providerIds } from '@nano-banana/sdk'
import { describe, toBase64 } from './describe.js'

/** The secret the worker's callback handlers expect in their URL (`callbackUrlWithToken`); a test value, not a credential. */
export const WORKER_CALLBACK_TOKEN = 'workerd-test-callback-token-0123456789'

export interface ScenarioConfig {
  /** `sandbox.baseUrls()`: where each provider is served. */
  baseUrls: Record<string, string>
  /** The sandbox's (dummy) key. */
  apiKey: string
  /** Names the runtime in the prompt, so the sandbox's log tells the runs apart. */
  runtime: string
}

export type ProviderOutcome =
  | { provider: string; ok: true; taskId: string; contentType: string; extension: string; byteLength: number; base64: string }
  | { provider: string; ok: false; error: string }

/** Sandbox tasks finish in tens of ms: poll often so that five providers take well under a second. */
const POLLING = { initialDelayMs: 20, minDelayMs: 20, maxDelayMs: 100 }

export async function generateEveryProvider(config: ScenarioConfig): Promise<ProviderOutcome[]> {
  const outcomes: ProviderOutcome[] = []
  for (const provider of providerIds) {
    try {
      const nb = createNanoBanana({ provider, apiKey: config.apiKey, baseUrl: config.baseUrls[provider], polling: POLLING })
      const result = await nb.generate({ prompt: `a nano banana in ${config.runtime}` })
      const image = await result.images[0]!.download()
      outcomes.push({
        provider,
        ok: true,
        taskId: result.taskId,
        contentType: image.contentType,
        extension: image.extension,
        byteLength: image.bytes.byteLength,
        base64: toBase64(image.bytes),
      })
    } catch (error) {
      outcomes.push({ provider, ok: false, error: describe(error) })
    }
  }
  return outcomes
}

export { describe, toBase64 } from './describe.js'
