import type { ProviderAdapter } from './adapter.js'
import { createNanoBananaClient, type NanoBananaClient, type NanoBananaClientOptions } from './client.js'
import { ConfigurationError } from './errors.js'
import { providers } from './providers/index.js'
import type { ProviderId } from './types.js'

export * from './core.js'
export { providers, providerIds } from './providers/index.js'

export interface NanoBananaOptions extends Omit<NanoBananaClientOptions, 'provider'> {
  /** A provider id (`'evolink'`) or an adapter object. */
  provider: ProviderId | ProviderAdapter
}

/**
 * The unified client. Switch providers by changing `provider`; inputs, statuses, results and
 * errors stay the same.
 */
export function createNanoBanana(options: NanoBananaOptions): NanoBananaClient {
  const adapter = typeof options.provider === 'string' ? providers[options.provider] : options.provider
  if (!adapter || typeof adapter !== 'object' || !Object.hasOwn(providers, adapter.id ?? '')) {
    if (adapter && typeof adapter === 'object' && typeof adapter.submit === 'function') return createNanoBananaClient({ ...options, provider: adapter })
    throw new ConfigurationError(`Unknown provider ${JSON.stringify(options.provider)}; choose one of: ${Object.keys(providers).join(', ')}`, { param: 'provider' })
  }
  return createNanoBananaClient({ ...options, provider: adapter })
}
