import { createProviderClient, type Client, type ProviderClientOptions } from '@nano-banana/runtime'
import { client as specDefaultClient } from './generated/@nano-banana/runtime.gen.js'

export * from './generated/index.js'
export type { Client, ProviderClientOptions } from '@nano-banana/runtime'
export { ClientConfigurationError } from '@nano-banana/runtime'

/** Provider id, documented base URL (from the spec's `servers`) and display name. */
export const crunProvider = {
  id: 'crun',
  name: 'Crun',
  defaultBaseUrl: specDefaultClient.getConfig().baseUrl,
} as const

export type CrunClientOptions = ProviderClientOptions

/**
 * Creates a client for Crun. Pass it to any generated operation:
 * `createImageTask({ client, body })`.
 */
export function createCrunClient(options: CrunClientOptions = {}): Client {
  return createProviderClient(crunProvider, options)
}
