// Server-side helpers for provider callbacks. A separate entry (`@nano-banana/sdk/callbacks`) because
// it carries a JSON Schema validator and every provider's schemas, which a browser bundle of the client
// never needs (the schemas come from the generated schemas.gen.ts). The validator is @cfworker/json-schema: it interprets schemas and generates no code at
// run time (ajv compiles with `new Function`, which Cloudflare Workers/workerd forbid).
import { Validator, type OutputUnit } from '@cfworker/json-schema'
import { callbackVerifiers as VERIFIERS } from './generated/callbacks.gen.js'
import { schemas as SCHEMAS } from './generated/schemas.gen.js'
import type { CallbackVerification, ProviderAdapter } from './adapter.js'
import { createNanoBananaClient, env } from './client.js'
import { ConfigurationError, InvalidRequestError, NanoBananaError, NotFoundError } from './errors.js'
import { isLazyProvider, type LazyProvider } from './lazy-provider.js'
import { providers } from './providers/index.js'
import type { ProviderId, Task, TaskStatus } from './types.js'

/** The component a provider's callback bodies follow: the spec's, or the one its definition assumes. */
const componentOf = (provider: ProviderId): string | undefined => providers[provider].meta?.callback?.payloadSchema ?? providers[provider].callbackComponent

/**
 * The signature checks of the providers that sign their deliveries, by provider id: they live here, beside the
 * handler, rather than on the adapters, so that a client's bundle carries no signature code.
 */
export const callbackVerifiers: Readonly<Partial<Record<ProviderId, CallbackVerification>>> = VERIFIERS

/** An adapter's own hook and flag (a custom adapter) win over its provider's check. */
function verificationOf(adapter: ProviderAdapter): Partial<CallbackVerification> {
  const builtIn = Object.hasOwn(callbackVerifiers, adapter.id) ? callbackVerifiers[adapter.id] : undefined
  return {
    verifyCallback: adapter.verifyCallback?.bind(adapter) ?? builtIn?.verifyCallback,
    signatureCoversBody: adapter.signatureCoversBody ?? builtIn?.signatureCoversBody,
  }
}

const validators = new Map<ProviderId, Validator>()

function validatorFor(provider: ProviderId): Validator {
  let validator = validators.get(provider)
  if (!validator) {
    const component = componentOf(provider)
    if (!component) throw new InvalidRequestError(`${provider}: no callback schema is known`, { provider, code: 'invalid_callback' })
    const schemas: Record<string, unknown> = {}
    for (const [name, schema] of Object.entries(SCHEMAS[provider] as Record<string, unknown>)) {
      if (name.endsWith('Schema')) schemas[name.slice(0, -'Schema'.length)] = schema
    }
    const id = `urn:nano-banana:${provider}`
    // The validator marks the schema objects it indexes (resolved $ref URIs): it gets its own copy so
    // that the provider package's exported schemas stay untouched.
    validator = new Validator({ $ref: `${id}#/components/schemas/${component}` }, '2020-12', true)
    validator.addSchema(structuredClone({ $id: id, components: { schemas } }))
    validators.set(provider, validator)
  }
  return validator
}

/** The innermost error (the one naming a field), rather than the "a subschema had errors" wrappers. */
function deepestError(errors: readonly OutputUnit[]): OutputUnit | undefined {
  let best: OutputUnit | undefined
  for (const error of errors) if (!best || error.instanceLocation.length >= best.instanceLocation.length) best = error
  return best
}

/** Validates a callback body against the provider's spec and returns the normalized task. */
export function parseCallback(provider: ProviderId, body: unknown): Task {
  if (typeof provider !== 'string' || !Object.hasOwn(providers, provider)) {
    throw new InvalidRequestError(`unknown provider ${JSON.stringify(provider) ?? String(provider)}`, { param: 'provider' })
  }
  const adapter = providers[provider]
  const validator = validatorFor(provider)
  let result: ReturnType<Validator['validate']>
  try {
    result = validator.validate(body)
  } catch (error) {
    // Not JSON data at all (a cycle, a throwing getter): nothing a provider could have sent.
    throw new InvalidRequestError(`${provider}: callback body is not JSON data`, { provider, code: 'invalid_callback', cause: error })
  }
  if (!result.valid) {
    const first = deepestError(result.errors)
    // "#/data/status" -> "/data/status", the JSON Pointer of the offending field.
    const path = first?.instanceLocation.replace(/^#/, '') ?? ''
    throw new InvalidRequestError(`${provider}: callback body does not match the spec: ${path || '/'} ${first?.error ?? 'invalid'}`, {
      provider,
      code: 'invalid_callback',
      param: path || undefined,
      body,
    })
  }
  const task = adapter.parseTask(body)
  if (task instanceof NanoBananaError) {
    // Valid per the schema but not a task (an error envelope, an unknown status word): not a delivery we can use.
    throw new InvalidRequestError(`${provider}: callback body is not a task: ${task.message}`, { provider, code: 'invalid_callback', body, cause: task })
  }
  return task
}

/** The query parameter `callbackUrlWithToken` adds and the handler checks. */
export const CALLBACK_TOKEN_PARAM = 'nb_token'

/** A new random callback token (32 bytes, base64url): keep it server-side, like an API key. */
export function createCallbackToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

/**
 * The callback URL to submit (`callbackUrl`), carrying `secret` as the `nb_token` query parameter; pass the
 * same secret as `callbackToken` to `createCallbackHandler`, which refuses deliveries without it.
 */
export function callbackUrlWithToken(base: string, secret: string): string {
  if (typeof secret !== 'string' || secret.length < 16) {
    throw new ConfigurationError('callbackUrlWithToken: the secret must be a string of at least 16 characters (see createCallbackToken())', {
      param: 'secret',
    })
  }
  let url: URL
  try {
    url = new URL(base)
  } catch (error) {
    throw new ConfigurationError(`callbackUrlWithToken: ${JSON.stringify(base)} is not an absolute URL`, { param: 'base', cause: error })
  }
  url.searchParams.set(CALLBACK_TOKEN_PARAM, secret)
  return url.href
}

/** Remembers which task ends were reported, so that a replayed delivery is not reported twice. */
export interface CallbackSeenStore {
  has(key: string): boolean | Promise<boolean>
  add(key: string): void | Promise<void>
}

/** The default store: the newest `limit` keys, in memory (one instance; use a shared store behind a load balancer). */
export function memorySeenStore(limit = 10_000): CallbackSeenStore {
  const keys = new Set<string>()
  return {
    has: (key) => keys.has(key),
    add(key) {
      keys.add(key)
      if (keys.size > limit) keys.delete(keys.values().next().value as string)
    },
  }
}

export interface CallbackHandlerOptions {
  /** A provider id, or its adapter (the schema is the one of `adapter.id`). */
  provider: ProviderId | ProviderAdapter | LazyProvider
  /** Receives every verified callback, normalized. Its errors answer 500 so the provider retries. */
  onTask: (task: Task, request: Request) => void | Promise<void>
  /** Larger bodies are refused with 400 (`body_too_large`), like malformed ones. Default 1 MiB. */
  maxBytes?: number
  /** A body not read within this many ms is refused with 408 (`body_timeout`). Default 10000. */
  readTimeoutMs?: number
  /** The secret of `callbackUrlWithToken`: deliveries whose URL lacks it get 401 before their body is read. */
  callbackToken?: string
  /**
   * Re-read the task from the provider and report that answer, not the body (default: on whenever an API key
   * is available, `apiKey` or the provider's environment variable). A forged body then reports nothing the
   * provider does not say, and a task id the provider does not know is refused (404).
   */
  reread?: boolean
  /** The key of the re-read; default the provider's environment variable. */
  apiKey?: string
  /** The API base URL of the re-read (sandbox, proxy). */
  baseUrl?: string
  fetch?: typeof globalThis.fetch
  /** How long one re-read may take, in ms (answers 502 after it, so the provider retries). Default 10000. */
  rereadTimeoutMs?: number
  /** The signing secret of providers that sign callbacks (their `verifyCallback`). */
  webhookSecret?: string
  /** How old a signed delivery's timestamp may be, in seconds. Default 300. */
  toleranceSeconds?: number
  /** Refuse (404) task ids your app did not submit, before any re-read. */
  isKnownTask?: (taskId: string) => boolean | Promise<boolean>
  /** Where reported task ends are remembered (default in memory, 10000 tasks); `false` reports every delivery, replays included. */
  seen?: CallbackSeenStore | false
  /** Accept deliveries without any check (no token, no re-read, no signature): local experiments only. */
  allowUnverified?: boolean
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

const TERMINAL: ReadonlySet<TaskStatus> = new Set(['succeeded', 'failed', 'canceled'])

/** `application/json` or any `+json` type (`application/cloudevents+json`), parameters aside. */
function isJsonType(header: string | null): boolean {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase()
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)
}

/** Equal without an early exit: the digests have one length, so the time says nothing about the token. */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const digest = async (text: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
  const [a, b] = await Promise.all([digest(given), digest(expected)])
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

type BodyRead = { bytes: Uint8Array } | { error: 'body_too_large' | 'body_timeout' | 'unreadable_body' }

/** Reads the body up to `maxBytes`, giving up after `timeoutMs` (a client trickling bytes holds no handler forever). */
async function readBody(request: Request, maxBytes: number, timeoutMs: number): Promise<BodyRead> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN)
  if (Number.isFinite(declared) && declared > maxBytes) {
    await request.body?.cancel().catch(() => undefined)
    return { error: 'body_too_large' }
  }
  if (!request.body) return { bytes: new Uint8Array(0) }
  const reader = request.body.getReader()
  let timer: ReturnType<typeof setTimeout> | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs)
  })
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), timedOut])
      if (next === 'timeout') {
        await reader.cancel().catch(() => undefined)
        return { error: 'body_timeout' }
      }
      if (next.done) break
      total += next.value.byteLength
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined)
        return { error: 'body_too_large' }
      }
      chunks.push(next.value)
    }
  } catch {
    return { error: 'unreadable_body' }
  } finally {
    clearTimeout(timer)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return { bytes }
}

/**
 * A web-standard `(Request) => Promise<Response>` for a provider's callbacks: Node (with a Request
 * adapter), Next.js route handlers, Hono, Bun, Deno. It never throws: bad input is a 4xx answer.
 *
 * A delivery is believed only once verified, in this order: the URL's token (`callbackToken`, 401), a JSON
 * content type (415), the body within `maxBytes` and `readTimeoutMs`, the provider's signature
 * (`verifyCallback` with `webhookSecret`, 401), the spec's schema (400), `isKnownTask` (404), then the
 * re-read from the provider (404 for a task it does not know). A task end already reported is answered
 * 200 `duplicate` and not reported again. Creating a handler with none of token, re-read key or provider
 * signature throws ConfigurationError, unless `allowUnverified`.
 */
export function createCallbackHandler(options: CallbackHandlerOptions): (request: Request) => Promise<Response> {
  // A lazy provider (`lazy/<id>`) is its built-in adapter: this entry holds every adapter anyway.
  const adapter =
    typeof options.provider === 'string' ? providers[options.provider] : isLazyProvider(options.provider) ? providers[options.provider.id] : options.provider
  if (!adapter || typeof adapter !== 'object' || !Object.hasOwn(providers, adapter.id ?? '')) {
    throw new ConfigurationError(`createCallbackHandler: unknown provider ${JSON.stringify(options.provider?.toString())}`, { param: 'provider' })
  }
  const provider = adapter.id
  const maxBytes = options.maxBytes ?? 1024 * 1024
  const readTimeoutMs = options.readTimeoutMs ?? 10_000
  for (const [name, value] of [
    ['maxBytes', maxBytes],
    ['readTimeoutMs', readTimeoutMs],
  ] as const) {
    if (!Number.isFinite(value) || value <= 0) throw new ConfigurationError(`createCallbackHandler: ${name} must be a positive number`, { provider, param: name })
  }
  const token = options.callbackToken
  if (token !== undefined && (typeof token !== 'string' || token.length < 16)) {
    throw new ConfigurationError('createCallbackHandler: callbackToken must be at least 16 characters (see createCallbackToken())', {
      provider,
      param: 'callbackToken',
    })
  }
  const apiKey = options.apiKey ?? env(adapter.envKey)
  // A signature over the whole body already proves what the provider said: re-reading adds nothing (and a
  // provider whose callback names less than the task id could not be re-read).
  const verification = verificationOf(adapter)
  const reread = options.reread ?? (apiKey !== undefined && !verification.signatureCoversBody)
  if (reread && !apiKey) {
    throw new ConfigurationError(`createCallbackHandler: reread needs an API key: pass apiKey or set ${adapter.envKey}`, { provider, param: 'apiKey' })
  }
  const verify = verification.verifyCallback
  if (!reread && token === undefined && !verify && !options.allowUnverified) {
    throw new ConfigurationError(
      `createCallbackHandler(${provider}): callbacks would be believed unverified. Configure an API key (${adapter.envKey} or apiKey: the task is re-read from the provider) or a callbackToken (callbackUrlWithToken), or pass allowUnverified for local experiments.`,
      { provider, param: 'callbackToken' },
    )
  }
  const fetchImpl = options.fetch ?? globalThis.fetch
  const client = reread
    ? createNanoBananaClient({
        provider: adapter,
        apiKey,
        ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        requestTimeoutMs: options.rereadTimeoutMs ?? 10_000,
      })
    : undefined
  const seen = options.seen === false ? undefined : (options.seen ?? memorySeenStore())
  /** Task ends being reported right now: a concurrent replay waits for the provider's next retry (409). */
  const reporting = new Set<string>()

  return async (request) => {
    try {
      if (request.method !== 'POST') return json(405, { error: 'method_not_allowed' })
      if (token !== undefined) {
        let given: string | null = null
        try {
          given = new URL(request.url).searchParams.get(CALLBACK_TOKEN_PARAM)
        } catch {
          given = null
        }
        if (given === null || !(await sameSecret(given, token))) {
          await request.body?.cancel().catch(() => undefined)
          return json(401, { error: 'invalid_token' })
        }
      }
      if (!isJsonType(request.headers.get('content-type'))) {
        await request.body?.cancel().catch(() => undefined)
        return json(415, { error: 'unsupported_media_type', expected: 'application/json' })
      }
      const read = await readBody(request, maxBytes, readTimeoutMs)
      if ('error' in read) return json(read.error === 'body_timeout' ? 408 : 400, { error: read.error, ...(read.error === 'body_too_large' ? { maxBytes } : {}) })
      if (verify) {
        const verdict = await verify(
          { url: request.url, headers: request.headers, body: read.bytes },
          {
            ...(options.webhookSecret !== undefined ? { secret: options.webhookSecret } : {}),
            fetch: fetchImpl,
            nowSeconds: Math.floor(Date.now() / 1000),
            toleranceSeconds: options.toleranceSeconds ?? 300,
          },
        ).catch((error: unknown): { ok: false; reason: string } => ({ ok: false, reason: error instanceof Error ? error.message : 'verification failed' }))
        if (!verdict.ok) return json(401, { error: 'invalid_signature', message: verdict.reason })
      }
      let body: unknown
      try {
        body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(read.bytes))
      } catch {
        return json(400, { error: 'invalid_json' })
      }
      let task: Task
      try {
        task = parseCallback(provider, body)
      } catch (error) {
        return json(400, { error: 'invalid_callback', message: error instanceof Error ? error.message : String(error) })
      }
      if (options.isKnownTask && !(await options.isKnownTask(task.taskId))) return json(404, { error: 'unknown_task' })
      if (client) {
        try {
          task = await client.getTask(task.taskId)
        } catch (error) {
          // The provider does not know the id (or refuses it as malformed): nothing to believe.
          if (error instanceof NotFoundError || error instanceof InvalidRequestError) return json(404, { error: 'unknown_task' })
          // The provider could not confirm it now: a non-2xx makes it deliver again later.
          return json(502, { error: 'reread_failed', message: error instanceof Error ? error.message : String(error) })
        }
      }
      // A task ends once: after one end was reported, any later end of it (a replay, or a forged other end) is not.
      const key = seen && TERMINAL.has(task.status) ? `${provider}:${task.taskId}` : undefined
      if (key !== undefined) {
        if (reporting.has(key)) return json(409, { error: 'in_progress', taskId: task.taskId })
        if (await seen!.has(key)) return json(200, { ok: true, taskId: task.taskId, duplicate: true })
        reporting.add(key)
      }
      try {
        await options.onTask(task, request)
        if (key !== undefined) await seen?.add(key)
      } catch {
        // A failing handler answers 500 so that the provider's retry schedule delivers it again.
        return json(500, { error: 'handler_failed' })
      } finally {
        if (key !== undefined) reporting.delete(key)
      }
      return json(200, { ok: true, taskId: task.taskId })
    } catch {
      return json(400, { error: 'bad_request' })
    }
  }
}
