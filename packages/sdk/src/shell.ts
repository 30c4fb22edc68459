// The up-front part of `createNanoBananaClient` (`@nano-banana/sdk/core`): what a page evaluates when it
// creates a client. Construction checks every option synchronously (the same ConfigurationError /
// InvalidRequestError as the engine, before anything is sent) and starts loading the engine (client.ts:
// submit, polling, waiting, result checks) and, for a lazy provider, its adapter, without awaiting them.
// Every async method awaits that load; a failed load is a NotSentError of the call (tried again on the
// next one), never an unhandled rejection.
import { providerBaseUrl } from '@nano-banana/runtime/base-url'
import type { ProviderAdapter } from './adapter.js'
import type { NanoBananaClient, NanoBananaClientOptions } from './client.js'
import { connectWith, secretsOf } from './connect.js'
import { ConfigurationError, NanoBananaError, NotSentError, redactResult, redactSecrets } from './errors.js'
import { isLazyProvider, type LazyProvider } from './lazy-provider.js'
import { checkClientOptions } from './options.js'
import type { Task } from './types.js'

export interface CoreClientOptions extends Omit<NanoBananaClientOptions, 'provider'> {
  /**
   * The provider: an adapter (`@nano-banana/sdk/providers/<id>`, a custom one) or a lazy provider
   * (`@nano-banana/sdk/lazy/<id>`), whose adapter loads with the engine, on first use.
   */
  provider: ProviderAdapter | LazyProvider
}

/** Imports the engine; a seam for tests of a failed load. */
export type EngineLoader = () => Promise<Pick<typeof import('./client.js'), 'createNanoBananaClient'>>

const importEngine: EngineLoader = () => import('./client.js')

/**
 * A client of one provider (see NanoBananaClientOptions). With a lazy provider, `provider` is the lazy
 * provider until its adapter has loaded, then the adapter; `parseCallback` needs the adapter loaded
 * (`await <lazy>.load()`, or after any awaited call of the client).
 */
export function createNanoBananaClient(options: CoreClientOptions): NanoBananaClient {
  return createShell(options, importEngine)
}

export function createShell(options: CoreClientOptions, loadEngine: EngineLoader): NanoBananaClient {
  const given = options?.provider
  if (!given || typeof given !== 'object' || typeof given.id !== 'string') {
    throw new ConfigurationError('createNanoBananaClient: `provider` must be a provider adapter or a lazy provider (`@nano-banana/sdk/lazy/<id>`)', {
      param: 'provider',
    })
  }
  const lazy = isLazyProvider(given) ? given : undefined
  const id = given.id
  checkClientOptions(options, id)
  // The same checks the engine runs as it builds its runtime client, here before anything loads; a lazy
  // provider's base URL is checked against its meta, an adapter builds (and drops) its runtime client.
  const { apiKey } = lazy
    ? connectWith(lazy, options, (clientOptions) => providerBaseUrl({ id, name: lazy.name, defaultBaseUrl: lazy.meta.defaultBaseUrl ?? undefined }, clientOptions))
    : connectWith(given as ProviderAdapter, options, (clientOptions) => (given as ProviderAdapter).createClient(clientOptions))
  const secrets = secretsOf(apiKey, options.headers)
  // The options as they were checked: the engine is built from these, whatever the caller changes later.
  const checked = { ...options }

  let loading: Promise<NanoBananaClient> | undefined
  const engine = (): Promise<NanoBananaClient> =>
    (loading ??= Promise.all([loadEngine(), lazy ? lazy.load() : (given as ProviderAdapter)])
      .catch((error: unknown) => {
        // Nothing was sent: the caller may retry (the next call loads again) or fail over.
        loading = undefined
        throw redactSecrets(
          new NotSentError(`${id}: the SDK's code could not be loaded (${error instanceof Error ? error.message : String(error)}); nothing was sent`, {
            provider: id,
            code: 'load_failed',
            cause: error,
          }),
          secrets,
        )
      })
      .then(([module, adapter]) => module.createNanoBananaClient({ ...checked, provider: adapter })))
  // Loading starts now, so that a first call does not wait for it; its failure belongs to that call.
  engine().catch(() => {})

  const adapterNow = (): ProviderAdapter | undefined => (lazy ? lazy.adapter : (given as ProviderAdapter))

  return {
    get provider() {
      return adapterNow() ?? (lazy as unknown as ProviderAdapter)
    },
    submit: (request, o) => engine().then((client) => client.submit(request, o)),
    getTask: (taskId, o) => engine().then((client) => client.getTask(taskId, o)),
    wait: (taskId, o) => engine().then((client) => client.wait(taskId, o)),
    generate: (generateOptions) => engine().then((client) => client.generate(generateOptions)),
    cancel: (taskId, o) => engine().then((client) => client.cancel(taskId, o)),
    // Synchronous: it needs the adapter only (up front, or a lazy provider's once loaded), never the engine.
    parseCallback(body: unknown): Task {
      const adapter = adapterNow()
      if (!adapter) {
        throw new ConfigurationError(
          `${id}: parseCallback needs the ${given.name} adapter, which loads on first use: await the lazy provider's load() (or any call of this client) first, or pass the adapter of @nano-banana/sdk/providers/${id}`,
          { provider: id, param: 'provider', code: 'adapter_not_loaded' },
        )
      }
      try {
        const task = adapter.parseTask(body)
        if (task instanceof NanoBananaError) throw task
        return redactResult(task, secrets)
      } catch (error) {
        throw redactSecrets(error, secrets)
      }
    },
  }
}
