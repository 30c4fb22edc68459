// The construction checks of a client (key, custom headers, base URL), apart from the engine: the
// up-front shell (shell.ts) runs them synchronously before anything loads, the engine (client.ts) again
// as it builds the runtime client. One set of rules for both.
import type { ConnectMeta, ProviderClientOptions } from '@nano-banana/runtime'
import { ClientConfigurationError } from '@nano-banana/runtime/base-url'
import type { ProviderAdapter } from './adapter.js'
import { ConfigurationError } from './errors.js'

/** An environment variable where the runtime has them (Node, Bun, Deno); undefined elsewhere. */
export const env = (key: string): string | undefined => (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[key] || undefined

/** What the checks read of a provider: a full adapter or a lazy provider's meta-derived part. */
export type ConnectTarget = Pick<ProviderAdapter, 'id' | 'name' | 'envKey' | 'baseUrlEnvKey'> & { meta?: ConnectMeta | undefined }

/** The client options the checks read. */
export interface ConnectOptions {
  apiKey?: string
  baseUrl?: string
  fetch?: typeof fetch
  headers?: Record<string, string>
  maxResponseBytes?: number
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** What fetch sends as a header value: Latin-1 without control characters other than tab. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
/** Custom header names whose values are redacted like the key. */
const SECRET_HEADER = /auth|key|token|secret|cookie|session|signature|password|credential/i

/** A key or header value fetch would refuse (a pasted line break, a non-Latin-1 character): refused here, before anything is sent. */
function checkHeaderValue(adapter: ConnectTarget, param: string, value: string): void {
  if (HEADER_VALUE.test(value)) return
  const at = [...value].findIndex((c) => !HEADER_VALUE.test(c))
  // The message never quotes the value: it is a secret.
  throw new ConfigurationError(
    `${adapter.name}: ${param} contains a character that cannot be sent in an HTTP header (a line break, a control or non-Latin-1 character, at position ${at}); nothing was sent`,
    { provider: adapter.id, param },
  )
}

/**
 * Resolves key and base URL (options, then the provider's environment variables), checks them and the
 * custom headers, and calls `create` with the runtime client options (ConfigurationError for what it refuses).
 */
export function connectWith<C>(adapter: ConnectTarget, options: ConnectOptions, create: (options: ProviderClientOptions) => C): { apiKey: string; client: C } {
  // Every name the spec accepts (`x-env-api-key`), first wins: e.g. a provider's own name and the `<ID>_API_KEY` form.
  const apiKey = options.apiKey ?? (adapter.meta?.envKeys ?? [adapter.envKey]).map(env).find((value) => value !== undefined)
  if (!apiKey) {
    throw new ConfigurationError(`${adapter.name}: no API key. Pass \`apiKey\` or set ${adapter.envKey}.`, { provider: adapter.id, param: 'apiKey' })
  }
  checkHeaderValue(adapter, 'apiKey', apiKey)
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (!HEADER_NAME.test(name))
      throw new ConfigurationError(`${adapter.name}: header name ${JSON.stringify(name)} is not a valid HTTP header name`, {
        provider: adapter.id,
        param: 'headers',
      })
    checkHeaderValue(adapter, `headers[${JSON.stringify(name)}]`, String(value))
  }
  try {
    // Unset options stay undefined: the runtime client reads each one only when it is set.
    const { fetch, headers, maxResponseBytes } = options
    const client = create({ apiKey, baseUrl: options.baseUrl ?? env(adapter.baseUrlEnvKey), fetch, headers, maxResponseBytes })
    return { apiKey, client }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const aboutBaseUrl = error instanceof ClientConfigurationError ? error.option === 'baseUrl' : /baseUrl/.test(message)
    throw new ConfigurationError(`${message}${aboutBaseUrl ? ` (or set ${adapter.baseUrlEnvKey})` : ''}`, { provider: adapter.id, param: 'baseUrl' })
  }
}

/** The secrets a client holds: its key, and the values of custom headers that carry credentials (an organization token, a proxy key, a cookie). */
export function secretsOf(apiKey: string, headers: Record<string, string> | undefined): string[] {
  return [apiKey, ...Object.entries(headers ?? {}).flatMap(([name, value]) => (SECRET_HEADER.test(name) ? [String(value)] : []))]
}
