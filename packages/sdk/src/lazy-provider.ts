// A provider whose adapter loads on first use (`@nano-banana/sdk/lazy/<id>`): up front only what a
// client checks synchronously at construction, from the spec's meta; the definition (its request and
// answer code, the operations, the fetch runtime) is a chunk of its own.
import type { ConnectMeta } from '@nano-banana/runtime'
import type { ProviderAdapter } from './adapter.js'
import type { ProviderId } from './types.js'

export interface LazyProvider<P extends ProviderId = ProviderId> {
  readonly lazy: true
  readonly id: P
  readonly name: string
  /** The construction facts of the spec's meta (`ConnectMeta`); the adapter carries the whole `clientMeta`. */
  readonly meta: ConnectMeta
  readonly envKey: string
  readonly baseUrlEnvKey: string
  readonly defaultModel: string
  /** The adapter once `load()` has resolved (undefined before): what a synchronous call such as `parseCallback` needs. */
  readonly adapter: ProviderAdapter | undefined
  /** Loads the adapter (once; a failed load is tried again on the next call). */
  load(): Promise<ProviderAdapter>
}

/** A lazy provider of `meta`'s provider; `load` imports its adapter (`() => import('./providers/<id>.js').then((m) => m.<id>)`). */
export function lazyProvider<P extends ProviderId>(meta: ConnectMeta & { readonly id: P }, load: () => Promise<ProviderAdapter>): LazyProvider<P> {
  let loading: Promise<ProviderAdapter> | undefined
  const provider = {
    lazy: true as const,
    id: meta.id,
    name: meta.name,
    meta,
    envKey: meta.envKey,
    baseUrlEnvKey: meta.baseUrlEnvKey,
    defaultModel: meta.defaultModel,
    adapter: undefined as ProviderAdapter | undefined,
    load: () => {
      loading ??= load().then(
        (adapter) => {
          provider.adapter = adapter
          return adapter
        },
        (error: unknown) => {
          loading = undefined
          throw error
        },
      )
      return loading
    },
  }
  return provider
}

export function isLazyProvider(value: unknown): value is LazyProvider {
  return typeof value === 'object' && value !== null && (value as { lazy?: unknown }).lazy === true && typeof (value as { load?: unknown }).load === 'function'
}
