import { createProviderClient, type Client, type ProviderClientOptions } from '@nano-banana/runtime'
import { client as specDefaultClient } from './generated/@nano-banana/runtime.gen.js'

export * from './generated/index.js'
export type { Client, ProviderClientOptions } from '@nano-banana/runtime'
export { ClientConfigurationError } from '@nano-banana/runtime'

/** Provider id, documented base URL (from the spec's `servers`) and display name. */
export const uniallProvider = {
  id: 'uniall',
  name: 'UniAll',
  defaultBaseUrl: specDefaultClient.getConfig().baseUrl,
} as const

export type UniallClientOptions = ProviderClientOptions

/**
 * Creates a client for UniAll. Pass it to any generated operation:
 * `createImageTask({ client, body })`.
 */
export function createUniallClient(options: UniallClientOptions = {}): Client {
  return createProviderClient(uniallProvider, options)
}
