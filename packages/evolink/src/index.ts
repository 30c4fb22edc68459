import { createProviderClient, type Client, type ProviderClientOptions } from '@nano-banana/runtime'
import { client as specDefaultClient } from './generated/@nano-banana/runtime.gen.js'

export * from './generated/index.js'
export type { Client, ProviderClientOptions } from '@nano-banana/runtime'
export { ClientConfigurationError } from '@nano-banana/runtime'

/** Provider id, documented base URL (from the spec's `servers`) and display name. */
export const evolinkProvider = {
  id: 'evolink',
  name: 'EvoLink',
  defaultBaseUrl: specDefaultClient.getConfig().baseUrl,
} as const

export type EvolinkClientOptions = ProviderClientOptions

/**
 * Creates a client for EvoLink. Pass it to any generated operation:
 * `createImageTask({ client, body })`.
 */
export function createEvolinkClient(options: EvolinkClientOptions = {}): Client {
  return createProviderClient(evolinkProvider, options)
}
