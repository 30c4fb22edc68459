import { createProviderClient, type Client, type ProviderClientOptions } from '@nano-banana/runtime'
import { client as specDefaultClient } from './generated/@nano-banana/runtime.gen.js'

export * from './generated/index.js'
export type { Client, ProviderClientOptions } from '@nano-banana/runtime'
export { ClientConfigurationError } from '@nano-banana/runtime'

/** Provider id, documented base URL (from the spec's `servers`) and display name. */
export const aivideoapiProvider = {
  id: 'aivideoapi',
  name: 'aivideoapi.ai',
  defaultBaseUrl: specDefaultClient.getConfig().baseUrl,
} as const

export type AivideoapiClientOptions = ProviderClientOptions

/**
 * Creates a client for aivideoapi.ai. Pass it to any generated operation:
 * `createImageTask({ client, body })`.
 */
export function createAivideoapiClient(options: AivideoapiClientOptions = {}): Client {
  return createProviderClient(aivideoapiProvider, options)
}
