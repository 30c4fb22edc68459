import type { ProviderAdapter } from '../adapter.js'
import { registry } from '../generated/providers.gen.js'
import type { ProviderId } from '../types.js'

/** Every provider's adapter, from the generated registry (one per spec). */
export const providers: Readonly<Record<ProviderId, ProviderAdapter>> = registry

export const providerIds = Object.keys(providers) as ProviderId[]
