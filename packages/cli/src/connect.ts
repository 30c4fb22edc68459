import { createNanoBanana, providerIds, providers, type NanoBananaClient, type ProviderId } from '@nano-banana/sdk'
import { createGuardedFetch } from '@nano-banana/sdk/node'
import type { Sandbox } from '@nano-banana/sandbox'
import { addSecret, info, setCommandProvider } from './output.js'

export interface Connection {
  client: NanoBananaClient
  /** Set when the CLI runs against its embedded offline sandbox (which also hosts local `--image` files). */
  sandbox?: Pick<Sandbox, 'close' | 'serveImage'>
}

/**
 * The provider used without --provider: the first one (in the manifest's order) whose API key is set,
 * so a user with one key never has to name it; with no key set, the manifest's first (on the sandbox).
 */
export function defaultProvider(env: Record<string, string | undefined> = process.env): ProviderId {
  return providerIds.find((id) => env[providers[id].envKey]) ?? (providerIds[0] as ProviderId)
}

export const DEFAULT_PROVIDER_HELP = `default: the first provider whose API key is set, else ${providerIds[0]}`

export function providerOf(name: string | undefined): ProviderId {
  if (name === undefined) return defaultProvider()
  if (!Object.hasOwn(providers, name)) {
    throw new Error(`unknown provider "${name}"; choose one of: ${Object.keys(providers).join(', ')}`)
  }
  return name as ProviderId
}

export interface ConnectOptions {
  sandbox?: boolean
  allowSandbox: boolean
  /** --api-key: wins over the provider's key variable. */
  apiKey?: string
  /** --base-url: wins over the provider's base-URL variable. */
  baseUrl?: string
  /** --allow-result-host: private or internal hosts result images may be downloaded from (the SDK's allowResultHosts). */
  allowResultHosts?: readonly string[]
}

/** True when `connect` will use the embedded sandbox: --sandbox, or no key for the provider (--api-key or its variable). */
export function usesSandbox(provider: ProviderId, options: Pick<ConnectOptions, 'sandbox' | 'apiKey'>): boolean {
  return options.sandbox === true || !(options.apiKey ?? process.env[providers[provider].envKey])
}

/**
 * The fetch of every client the CLI makes: result images and reference URLs come from untrusted answers,
 * and a public-looking name may resolve to this machine or its network; the guard refuses such addresses
 * at connection time. The API host the user configured, and --allow-result-host hosts, are let through.
 */
function guardedFetch(baseUrl: string | undefined, allowResultHosts: readonly string[] | undefined): typeof fetch {
  return createGuardedFetch({ ...(baseUrl ? { baseUrl } : {}), ...(allowResultHosts ? { allowHosts: allowResultHosts } : {}) })
}

/**
 * A client for the provider: the real API when a key is given (--api-key or its variable), otherwise
 * (or with --sandbox) the embedded sandbox, announced in one line so nobody mistakes it for real output.
 */
export async function connect(provider: ProviderId, options: ConnectOptions): Promise<Connection> {
  const adapter = providers[provider]
  setCommandProvider(provider)
  const key = options.apiKey ?? process.env[adapter.envKey]
  addSecret(key)
  if (key && !usesSandbox(provider, options)) {
    return {
      client: createNanoBanana({
        provider,
        apiKey: key,
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
        ...(options.allowResultHosts ? { allowResultHosts: options.allowResultHosts } : {}),
        fetch: guardedFetch(options.baseUrl ?? (process.env[adapter.baseUrlEnvKey] || undefined), options.allowResultHosts),
      }),
    }
  }
  if (!options.allowSandbox) {
    throw new Error(
      `${adapter.envKey} is not set: export your ${adapter.name} API key or pass --api-key (or point ${adapter.baseUrlEnvKey} / --base-url at a running \`nano-banana sandbox\` with the key sk-sandbox)`,
    )
  }
  const { startSandbox } = await import('@nano-banana/sandbox')
  const sandbox = await startSandbox({ taskDurationMs: 1500 })
  info(
    options.sandbox
      ? `Using the embedded offline sandbox (--sandbox): no request leaves this machine, no credits are spent.`
      : `No ${adapter.envKey} set: using the embedded offline sandbox (no credits spent; set the key to use ${adapter.name}).`,
  )
  const client = createNanoBanana({
    provider,
    apiKey: sandbox.apiKey,
    baseUrl: sandbox.baseUrl(provider),
    allowInsecureCallbackUrl: true,
    ...(options.allowResultHosts ? { allowResultHosts: options.allowResultHosts } : {}),
    fetch: guardedFetch(sandbox.baseUrl(provider), options.allowResultHosts),
  })
  return { client, sandbox }
}
