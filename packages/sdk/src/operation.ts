// A provider operation called from its spec facts (`clientMeta.operations.<key>`: method and path; `clientMeta.auth`:
// where the key goes) through the runtime client, as the provider package's generated function calls it. The
// unified client needs no generated function, so a bundle of every provider carries ten packages' worth of none.
import type { Auth, Client, ClientMeta, OnHeaders } from '@nano-banana/runtime'
import type { CallResult } from './adapter.js'

/** One call: the runtime client and what varies per request (the generated functions' option names). */
export interface OperationCall {
  client: Client
  body?: unknown
  path?: Record<string, unknown>
  query?: Record<string, unknown>
  /** Replaces the operation's path (a URL an answer handed back, already checked to be on the base URL). */
  url?: string
  signal?: AbortSignal
  onHeaders?: OnHeaders
}

export type Operation = (call: OperationCall) => Promise<CallResult>

/** Every body the unified client sends is JSON (codegen refuses a task operation with another body); the runtime drops the header without a body. */
const JSON_BODY = { 'Content-Type': 'application/json' }

/**
 * Refuses (Error) an operation `key` of `meta` that operationOf cannot call: no method or path, or no key placement.
 * defineProvider runs it (checkDefinition) for each operation the definition does not pass itself; a generated meta
 * always has them (the test suite checks every built-in definition), so a page does not carry this check.
 */
export function checkOperationMeta(meta: ClientMeta, key: keyof ClientMeta['operations']): void {
  const op = meta.operations[key]
  if (op && (!op.method || !op.path || !meta.auth.in || !meta.auth.name))
    throw new Error(`defineProvider(${meta.id}): no method, path or key placement in the meta for ${key}`)
}

/**
 * The operation `key` of `meta`, or undefined when the meta has none (checkOperationMeta proves it callable). The key goes
 * where the spec's scheme puts it, with its prefix: `authorization: Bearer <key>` for a bearer scheme, as the generated
 * security entry sends it.
 */
export function operationOf(meta: ClientMeta, key: keyof ClientMeta['operations']): Operation | undefined {
  const op = meta.operations[key]
  if (!op) return undefined
  const { in: place, name } = meta.auth as Required<ClientMeta['auth']>
  const { method, path: url } = op as Required<typeof op>
  // An apiKey-style entry: the client's auth function adds the prefix (see the runtime's createProviderClient).
  const security: Auth[] = [{ type: 'apiKey', in: place as 'header', name }]
  // The meta's method is the spec's, upper-cased by codegen. The options are written out rather than spread from
  // `call`: one object shape for every operation, so the runtime's reads of them stay monomorphic.
  return (call) =>
    call.client.request({
      method: method as 'GET',
      url: call.url ?? url,
      security,
      body: call.body,
      path: call.path,
      query: call.query,
      signal: call.signal,
      onHeaders: call.onHeaders,
      headers: JSON_BODY,
    }) as Promise<CallResult>
}
