import { createNanoBanana, providers, type NanoBananaClient, type ProviderId } from '@nano-banana/sdk'
import { addSecret, info, setCommandProvider } from './output.js'

export interface Connection {
  client: NanoBananaClient
  /** Set when the CLI runs against its embedded offline sandbox. */
  sandbox?: { close(): Promise<void> }
}

export function providerOf(name: string): ProviderId {
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
  if (key && !options.sandbox) {
    return { client: createNanoBanana({ provider, apiKey: key, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) }) }
  }
  if (!options.allowSandbox) {
    throw new Error(`${adapter.envKey} is not set: export your ${adapter.name} API key or pass --api-key (or point ${adapter.baseUrlEnvKey} / --base-url at a running \`nano-banana sandbox\` with the key sk-sandbox)`)
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
  })
  return { client, sandbox }
}
