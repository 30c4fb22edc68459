import { createProviderClient, type Client, type ProviderClientOptions } from '@nano-banana/runtime'
// The client's four facts of the meta: a bundle of this package alone then carries no model tables.
import { provider } from './generated/meta.gen.js'

export * from './generated/index.js'
export { meta } from './generated/meta.gen.js'
export type { Client, ProviderClientOptions } from '@nano-banana/runtime'
export { ClientConfigurationError } from '@nano-banana/runtime'

/** Provider id, display name, documented base URL (from the spec's `servers`, none when `x-base-url-required`) and the text before the key. */
export const kieProvider = provider

export type KieClientOptions = ProviderClientOptions

/**
 * Creates a client for this provider (see `meta.name`). Pass it to any generated operation:
 * `createImageTask({ client, body })`.
 */
export function createKieClient(options: KieClientOptions = {}): Client {
  return createProviderClient(kieProvider, options)
}
