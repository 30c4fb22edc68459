import { createProviderClient, type Client, type ProviderClientOptions } from '@nano-banana/runtime'
// The client's part of the meta: a bundle of this package alone then carries no request field facts.
import { clientMeta } from './generated/meta.gen.js'

export * from './generated/index.js'
export { meta } from './generated/meta.gen.js'
export type { Client, ProviderClientOptions } from '@nano-banana/runtime'
export { ClientConfigurationError } from '@nano-banana/runtime'

/** Provider id, documented base URL (from the spec's `servers`, none when `x-base-url-required`) and display name. */
export const __ID__Provider = { id: clientMeta.id, name: clientMeta.name, defaultBaseUrl: clientMeta.defaultBaseUrl ?? undefined } as const

export type __Id__ClientOptions = ProviderClientOptions

/**
 * Creates a client for this provider (see `meta.name`). Pass it to any generated operation:
 * `createImageTask({ client, body })`.
 */
export function create__Id__Client(options: __Id__ClientOptions = {}): Client {
  return createProviderClient(__ID__Provider, options)
}
