import { createProviderClient, type Client, type ProviderClientOptions } from '@nano-banana/runtime'
import { client as specDefaultClient } from './generated/@nano-banana/runtime.gen.js'

export * from './generated/index.js'
export type { Client, ProviderClientOptions } from '@nano-banana/runtime'
export { ClientConfigurationError } from '@nano-banana/runtime'

/** Provider id, documented base URL (from the spec's `servers`) and display name. */
export const odkkkProvider = {
  id: 'odkkk',
  name: 'odkkk',
  defaultBaseUrl: specDefaultClient.getConfig().baseUrl,
} as const

export type OdkkkClientOptions = ProviderClientOptions

/**
 * Creates a client for odkkk. Pass it to any generated operation:
 * `createImageTask({ client, body })`.
 */
export function createOdkkkClient(options: OdkkkClientOptions = {}): Client {
  return createProviderClient(odkkkProvider, options)
}
