import { createNanoBanana, providerIds, providers, type NanoBananaClient, type ProviderId } from '@nano-banana/sdk'
import { createGuardedFetch } from '@nano-banana/sdk/node'
import type { Sandbox, ServedImage } from '@nano-banana/sandbox'

/** How one provider stands: whether its key is in the environment and whether a client can be made. */
export interface ProviderStatus {
  id: ProviderId
  key: 'configured' | 'not configured'
  /** Why no client can be made (missing key or base URL), in words that name variables, never values. */
  problem?: string
}

export interface Registry {
  readonly sandbox: boolean
  readonly defaultProvider: ProviderId
  /** A client for the provider; throws an Error with a clear message when it is not configured. */
  client(id: ProviderId): Promise<NanoBananaClient>
  status(id: ProviderId): ProviderStatus
  /** Sandbox mode: the embedded sandbox hosts a local reference image (its providers take URLs) until `stop()`. */
  serveImage(bytes: Uint8Array, contentType: string): Promise<ServedImage>
  /** Every key value this process may hold: removed from anything the server prints. */
  readonly secrets: readonly string[]
  close(): Promise<void>
}

export interface RegistryOptions {
  sandbox: boolean
  provider?: ProviderId
  /** How long a sandbox task runs (ms). */
  sandboxTaskMs?: number
  env?: Record<string, string | undefined>
}

/**
 * Every client's fetch: result images and reference URLs come from untrusted answers (and an agent's
 * arguments), and a public-looking name may resolve to this machine or its network; the guard refuses such
 * addresses at connection time. The configured API host (and loopback when it is loopback) is let through.
 */
const guardedFetch = (baseUrl: string | undefined) => createGuardedFetch(baseUrl ? { baseUrl } : {})

const keyOf = (env: Record<string, string | undefined>, id: ProviderId) => env[providers[id].envKey] || undefined

/**
 * One client per provider, made on first use. Live mode reads `<ID>_API_KEY` / `<ID>_BASE_URL` from the
 * environment (the sdk's own lookup); sandbox mode starts the embedded sandbox once and points every
 * provider at it, so no request leaves the machine. A live server never falls back to the sandbox: an
 * agent must not take a fake picture for a real one.
 */
export function createRegistry(options: RegistryOptions): Registry {
  const env = options.env ?? process.env
  const secrets = providerIds.map((id) => keyOf(env, id)).filter((k): k is string => !!k)
  const clients = new Map<ProviderId, NanoBananaClient>()
  let sandbox: Promise<Sandbox> | undefined

  const startSandbox = () => (sandbox ??= import('@nano-banana/sandbox').then((m) => m.startSandbox({ taskDurationMs: options.sandboxTaskMs ?? 1500 })))

  const make = (id: ProviderId): NanoBananaClient | Error => {
    try {
      const apiKey = keyOf(env, id)
      const baseUrl = env[providers[id].baseUrlEnvKey] || undefined
      return createNanoBanana({ provider: id, ...(apiKey ? { apiKey } : {}), ...(baseUrl ? { baseUrl } : {}), fetch: guardedFetch(baseUrl) })
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error))
    }
  }

  const status = (id: ProviderId): ProviderStatus => {
    const key = keyOf(env, id) ? 'configured' : 'not configured'
    if (options.sandbox) return { id, key }
    const made = clients.get(id) ?? make(id)
    if (made instanceof Error) return { id, key, problem: made.message }
    clients.set(id, made)
    return { id, key }
  }

  const defaultProvider = options.provider ?? (options.sandbox ? undefined : providerIds.find((id) => !status(id).problem)) ?? providerIds[0]!

  return {
    sandbox: options.sandbox,
    defaultProvider,
    secrets,
    status,
    async client(id) {
      const known = clients.get(id)
      if (known) return known
      if (options.sandbox) {
        const box = await startSandbox()
        const client = createNanoBanana({ provider: id, apiKey: box.apiKey, baseUrl: box.baseUrl(id), fetch: guardedFetch(box.baseUrl(id)) })
        clients.set(id, client)
        return client
      }
      const made = make(id)
      if (made instanceof Error) {
        throw new Error(`${made.message} Configure it in the MCP server's env (or start the server with --sandbox to try it offline).`)
      }
      clients.set(id, made)
      return made
    },
    async serveImage(bytes, contentType) {
      // A live server has no host a provider could reach: local files go as bytes, or not at all.
      if (!options.sandbox) throw new Error('local files are hosted only in sandbox mode')
      return (await startSandbox()).serveImage(bytes, contentType)
    },
    async close() {
      const box = sandbox
      sandbox = undefined
      if (box) await (await box).close()
    },
  }
}
