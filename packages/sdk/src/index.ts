import type { ProviderAdapter } from './adapter.js'
import { createNanoBananaClient as createEngineClient, type NanoBananaClient, type NanoBananaClientOptions } from './client.js'
import { ConfigurationError } from './errors.js'
import { isLazyProvider, type LazyProvider } from './lazy-provider.js'
import { createFailoverClient, type NanoBananaFailoverClient, type NanoBananaFailoverOptions } from './failover.js'
import { providers } from './providers/index.js'
import type { CoreClientOptions } from './shell.js'
import type { ProviderId } from './types.js'

export type { CoreClientOptions } from './shell.js'

export * from './public.js'
// Kept out of `/core`, whose every static import is up front (see core.ts).
export { validateRequest } from './validate.js'
export { nextPollDelay, DEFAULT_POLLING } from './wait.js'
export { defineProvider } from './define-provider.js'
export { DEFAULT_DOWNLOAD_RETRY, DEFAULT_POLL_RETRY, DEFAULT_SUBMIT_RETRY, backoffDelay, retryDelay } from './retry.js'
export { DEFAULT_REFERENCE_MAX_BYTES, imageDataUrl, takesImageData } from './inline-images.js'
export { imageTypeOf } from './image-type.js'
export { downloadImage } from './download.js'
export { providers, providerIds } from './providers/index.js'
export { failoverReason } from './policy.js'
export type {
  FailoverGenerateOptions,
  FailoverProvider,
  FailoverRequest,
  FailoverResult,
  FailoverSubmission,
  NanoBananaFailoverClient,
  NanoBananaFailoverOptions,
  ProviderOption,
  TaskHandle,
} from './failover.js'

export interface NanoBananaOptions<P extends ProviderId = ProviderId> extends Omit<NanoBananaClientOptions, 'provider'> {
  /**
   * A provider id (one of `providerIds`): the client's `model` and options are typed by that provider's
   * spec. Or an adapter object: the client is untyped (its `id` may be any provider).
   */
  provider: P | (ProviderAdapter & { readonly id: P }) | LazyProvider<P>
  providers?: never
}

function resolveProvider(provider: ProviderId | ProviderAdapter | LazyProvider): ProviderAdapter {
  const adapter = typeof provider === 'string' ? providers[provider] : (provider as ProviderAdapter)
  if (!adapter || typeof adapter !== 'object' || !Object.hasOwn(providers, adapter.id ?? '')) {
    if (adapter && typeof adapter === 'object' && typeof adapter.submit === 'function') return adapter
    throw new ConfigurationError(`Unknown provider ${JSON.stringify(provider)}; choose one of: ${Object.keys(providers).join(', ')}`, { param: 'provider' })
  }
  // A built-in id without the adapter's methods (a lazy provider, `lazy/<id>`): this entry holds that adapter already.
  return typeof adapter.submit === 'function' ? adapter : providers[adapter.id]
}

/**
 * The unified client. Switch providers by changing `provider`; inputs, statuses, results and
 * errors stay the same.
 *
 * With `providers: [{ provider, apiKey, model? }, ...]` it is a failover client: `generate()`/`submit()`
 * try the next provider only when the error proves the task was not accepted (401, 402, 403, 429, a 5xx
 * refusal, no connection, or a capability mismatch found locally), never once a task may exist. The
 * result names the provider that served it and lists the skipped ones in `failover`; `wait()`/`getTask()`
 * take the `provider:taskId` handle from `submit()` (or `{ provider }`).
 */
export function createNanoBanana<P extends ProviderId>(options: NanoBananaOptions<P>): NanoBananaClient<P>
export function createNanoBanana<P extends ProviderId>(options: NanoBananaFailoverOptions<P>): NanoBananaFailoverClient<P>
export function createNanoBanana(options: NanoBananaOptions | NanoBananaFailoverOptions): NanoBananaClient | NanoBananaFailoverClient {
  if (options && 'providers' in options && options.providers !== undefined) {
    if ('provider' in options && options.provider !== undefined) {
      throw new ConfigurationError('pass either `provider` or `providers` (failover), not both', { param: 'providers' })
    }
    return createFailoverClient(options, resolveProvider)
  }
  const single = options as NanoBananaOptions
  return createEngineClient({ ...single, provider: resolveProvider(single.provider) })
}

/**
 * The single-provider client of an adapter or a lazy provider (see `@nano-banana/sdk/core`). This entry holds
 * every adapter and the engine up front anyway, so here it is the engine itself: every method is ready at once.
 */
export function createNanoBananaClient(options: CoreClientOptions): NanoBananaClient {
  const provider = options.provider
  return createEngineClient({ ...options, provider: isLazyProvider(provider) ? resolveProvider(provider) : provider })
}
