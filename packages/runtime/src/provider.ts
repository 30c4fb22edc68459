import { providerBaseUrl, type ProviderDescription } from './base-url.js'
import { createClient } from './client.js'
import type { Client, Config } from './types.js'

export { ClientConfigurationError, providerBaseUrl } from './base-url.js'
export type { ProviderDescription } from './base-url.js'

/** Options every generated provider client accepts. */
export interface ProviderClientOptions {
  /** The provider's API key; sent the way the provider's spec says (Bearer or x-api-key). */
  apiKey?: string
  /** Overrides the documented base URL (a proxy, the local sandbox, a Prism mock). */
  baseUrl?: string
  /** A fetch implementation (tests, edge runtimes, instrumentation). */
  fetch?: typeof fetch
  /** Extra headers sent with every request. */
  headers?: Record<string, string>
  /** Largest API answer read, in bytes (default 8 MiB). */
  maxResponseBytes?: number
}

/**
 * Builds the runtime client for one provider. The key is kept inside a closure, never on the config
 * object, so that logging `client.getConfig()` cannot leak it.
 */
export function createProviderClient(provider: ProviderDescription, options: ProviderClientOptions = {}): Client {
  const baseUrl = providerBaseUrl(provider, options)
  const apiKey = options.apiKey
  const prefix = provider.authPrefix ?? ''
  // Bearer and basic schemes get their word from the runtime; an API-key header carries the key as the spec spells it
  // (joined once here, not per request).
  const prefixed = apiKey && prefix ? `${prefix}${apiKey}` : apiKey
  const config: Config = { baseUrl, auth: (auth) => (auth.scheme !== 'bearer' && auth.scheme !== 'basic' ? prefixed : apiKey) }
  if (options.fetch) config.fetch = options.fetch
  if (options.headers) config.headers = options.headers
  if (options.maxResponseBytes !== undefined) config.maxResponseBytes = options.maxResponseBytes
  return createClient(config)
}
