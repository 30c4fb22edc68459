// The one-provider way, in every runtime that runs it: `createNanoBananaClient` of `@nano-banana/sdk/core`
// with a lazy provider (`@nano-banana/sdk/lazy/<id>`), created and called without awaiting anything else,
// so that the engine and the provider's adapter load with import() on first use (real chunk loads where
// the bundle is split). Imports nothing of the main entry: the page that runs it must not hold the engine up front.
import { createNanoBananaClient, type LazyProvider } from '@nano-banana/sdk/core'
import { outcomeOf, POLLING, type ProviderOutcome } from './describe.js'
import type { ScenarioConfig } from './scenario.js'

/** generate() + download() for each lazy provider given (by id, in the caller's order). */
export async function generateThroughCore(config: ScenarioConfig, lazyProviders: Record<string, LazyProvider>): Promise<ProviderOutcome[]> {
  const outcomes: ProviderOutcome[] = []
  for (const [provider, lazy] of Object.entries(lazyProviders)) {
    const nb = () => createNanoBananaClient({ provider: lazy, apiKey: config.apiKey, baseUrl: config.baseUrls[provider], polling: POLLING })
    outcomes.push(await outcomeOf(provider, nb, `a nano banana through core in ${config.runtime}`))
  }
  return outcomes
}
