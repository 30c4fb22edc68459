// The program every runtime runs (bundled with esbuild for the browser, workerd, Bun and Deno): for
// every provider the SDK knows, generate() against the sandbox and download the first image. It
// reports per provider rather than stopping at the first failure, so a test names every broken one.
import { createNanoBanana, providerIds } from '@nano-banana/sdk'
import { outcomeOf, POLLING, type ProviderOutcome } from './describe.js'

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

export type { ProviderOutcome } from './describe.js'

export async function generateEveryProvider(config: ScenarioConfig): Promise<ProviderOutcome[]> {
  const outcomes: ProviderOutcome[] = []
  for (const provider of providerIds) {
    const nb = () => createNanoBanana({ provider, apiKey: config.apiKey, baseUrl: config.baseUrls[provider], polling: POLLING })
    outcomes.push(await outcomeOf(provider, nb, `a nano banana in ${config.runtime}`))
  }
  return outcomes
}

export { describe, toBase64 } from './describe.js'
