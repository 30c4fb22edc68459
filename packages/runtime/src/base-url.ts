// What a client is checked for before it is built (the base URL), apart from the client code: an app that
// validates its options up front and loads the client later imports this module only (`@nano-banana/runtime/base-url`).

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
 * The base URL a client of `provider` would use (ClientConfigurationError when there is none or it is not
 * http(s)): the check of createProviderClient, apart, for a caller that validates before it loads the client.
 */
export function providerBaseUrl(provider: Pick<ProviderDescription, 'id' | 'name' | 'defaultBaseUrl'>, options: { baseUrl?: string | undefined } = {}): string {
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
  return baseUrl
}
