import type { ProviderMeta } from '@nano-banana/runtime'
import { META, PROVIDER_IDS, type ProviderId } from './generated/providers.gen.js'

export { META, PROVIDER_IDS, type ProviderId } from './generated/providers.gen.js'
export type { ProviderMeta } from '@nano-banana/runtime'

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === 'string' && (PROVIDER_IDS as readonly string[]).includes(value)
}

/** The meta of one provider, typed as the shared shape (for code that handles any provider). */
export function metaOf(id: ProviderId): ProviderMeta {
  return META[id]
}
