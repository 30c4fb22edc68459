// The generated client package of every provider of the manifest, by provider id.
import { PROVIDER_IDS, type ProviderId } from '@nano-banana/manifest'

export type { ProviderId }

export const SDKS: Record<ProviderId, Record<string, unknown>> = Object.fromEntries(
  await Promise.all(PROVIDER_IDS.map(async (id) => [id, (await import(`@nano-banana/${id}`)) as Record<string, unknown>] as const)),
) as Record<ProviderId, Record<string, unknown>>

export const TEST_KEY = 'sk-contract-test-key'

type SdkResult = { data: unknown; error: unknown; response: Response }
type SdkFunction = (options: object) => Promise<SdkResult>

export function createClient(id: string, baseUrl: string, options: { apiKey?: string; fetch?: typeof fetch } = {}) {
  const sdk = SDKS[id as ProviderId]
  const factory = sdk[`create${id[0]!.toUpperCase()}${id.slice(1)}Client`] as (o: object) => unknown
  return factory({ apiKey: options.apiKey ?? TEST_KEY, baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) })
}

/** Calls a generated SDK function by operationId with `{ client, path, query, headers, body, ... }`. */
export function callOperation(id: string, operationId: string, options: object): Promise<SdkResult> {
  const fn = (SDKS[id as ProviderId] as unknown as Record<string, SdkFunction>)[operationId]
  if (typeof fn !== 'function') throw new Error(`@nano-banana/${id} has no SDK function ${operationId}`)
  return fn(options)
}

/** `operationArguments()` output as SDK options: `header` becomes `headers`, merged with `extra`. */
export function sdkOptions(args: object, headers: Record<string, string> = {}) {
  const { header, ...rest } = args as { header?: Record<string, string> }
  return { ...rest, headers: { ...(header ?? {}), ...headers } }
}

declare module 'vitest' {
  interface TaskMeta {
    contract?: { provider: string; kind: 'response' | 'request' | 'example' | 'live'; key?: string; constraint?: string }
  }
}
