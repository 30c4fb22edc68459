import { createProviderClient, type Client, type ProviderClientOptions } from '@nano-banana/runtime'
import { meta } from './generated/meta.gen.js'

export * from './generated/index.js'
export { meta } from './generated/meta.gen.js'
export type { Client, ProviderClientOptions } from '@nano-banana/runtime'
export { ClientConfigurationError } from '@nano-banana/runtime'

/** Provider id, documented base URL (from the spec's `servers`, none when `x-base-url-required`) and display name. */
export const replicateProvider = { id: meta.id, name: meta.name, defaultBaseUrl: meta.defaultBaseUrl ?? undefined } as const

export type ReplicateClientOptions = ProviderClientOptions

/**
 * Creates a client for this provider (see `meta.name`). Pass it to any generated operation:
 * `createImageTask({ client, body })`.
 */
export function createReplicateClient(options: ReplicateClientOptions = {}): Client {
  return createProviderClient(replicateProvider, options)
}
