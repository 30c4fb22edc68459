import { createClient } from './client.js'
import type { Client, Config } from './types.js'

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

/** Thrown when a client cannot be built from the options given (nothing has been sent). */
export class ClientConfigurationError extends Error {
  override readonly name = 'ClientConfigurationError'
  constructor(
    message: string,
    readonly provider: string,
    readonly option: string,
  ) {
    super(message)
  }
}

export interface ProviderDescription {
  /** Provider id, e.g. `acme`. */
  id: string
  /** Human name for messages, e.g. `EvoLink`. */
  name: string
  /** The documented base URL, or undefined when the provider publishes none (UniAll). */
  defaultBaseUrl: string | undefined
  /** Text before the key for API-key schemes (`Key ` for `Authorization: Key <key>`, the spec's `x-auth-prefix`). */
  authPrefix?: string | undefined
}

/**
 * Builds the runtime client for one provider. The key is kept inside a closure, never on the config
 * object, so that logging `client.getConfig()` cannot leak it.
 */
export function createProviderClient(provider: ProviderDescription, options: ProviderClientOptions = {}): Client {
  const baseUrl = options.baseUrl ?? provider.defaultBaseUrl
  if (!baseUrl) {
    throw new ClientConfigurationError(
      `${provider.name} does not publish an API host: pass \`baseUrl\` (the host from your ${provider.name} dashboard) to create a ${provider.id} client.`,
      provider.id,
      'baseUrl',
    )
  }
  if (!/^https?:\/\//.test(baseUrl)) {
    throw new ClientConfigurationError(`\`baseUrl\` must be an http(s) URL, got "${baseUrl}".`, provider.id, 'baseUrl')
  }
  const apiKey = options.apiKey
  const prefix = provider.authPrefix ?? ''
  // Bearer and basic schemes get their word from the runtime; an API-key header carries the key as the spec spells it.
  const config: Config = { baseUrl, auth: (auth) => (apiKey && prefix && auth.scheme !== 'bearer' && auth.scheme !== 'basic' ? `${prefix}${apiKey}` : apiKey) }
  if (options.fetch) config.fetch = options.fetch
  if (options.headers) config.headers = options.headers
  if (options.maxResponseBytes !== undefined) config.maxResponseBytes = options.maxResponseBytes
  return createClient(config)
}
