// The generated clients of the five providers, by provider id.
import * as aivideoapi from '@nano-banana/aivideoapi'
import * as crun from '@nano-banana/crun'
import * as evolink from '@nano-banana/evolink'
import * as odkkk from '@nano-banana/odkkk'
import * as uniall from '@nano-banana/uniall'

export const SDKS = { odkkk, evolink, crun, uniall, aivideoapi } as const
export type ProviderId = keyof typeof SDKS

export const TEST_KEY = 'sk-contract-test-key'

type SdkResult = { data: unknown; error: unknown; response: Response }
type SdkFunction = (options: object) => Promise<SdkResult>

export function createClient(id: string, baseUrl: string, options: { apiKey?: string; fetch?: typeof fetch } = {}) {
  const sdk = SDKS[id as ProviderId] as unknown as Record<string, unknown>
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
