import { applyAuth } from './auth.js'
import { DEFAULT_MAX_RESPONSE_BYTES, decoded, fromText, jsonAtOnce, readBody, streamedAtOnce, unparsedJson } from './body.js'
import { readStreamCapped } from './read-capped.js'
import { RedirectRefusedError, RequestNotSentError } from './errors.js'
import type { Client, ClientOptions, Config, HeadersLike, HttpMethod, RequestBody, RequestOptions } from './types.js'
import { buildUrl, joinUrl } from './url.js'

export function createConfig<T extends ClientOptions = ClientOptions>(override: Config<ClientOptions & T> = {}): Config<ClientOptions & T> {
  return { ...override }
}

/** True for `{...}` and arrays: what a JSON body usually is, told apart without the `instanceof` checks of web classes. */
const isPlainData = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null || Array.isArray(value)
}

const hasKeys = (record: Record<string, unknown>): boolean => {
  for (const _ in record) return true
  return false
}

function toRecord(headers: HeadersLike | undefined, into: Record<string, string>): void {
  if (!headers) return
  if (!Array.isArray(headers) && isPlainData(headers)) {
    // The generated functions' own headers: a plain object (no entries array built).
    const record = headers as Record<string, string | number | boolean | null | undefined>
    for (const key in record) {
      const value = record[key]
      if (value !== undefined && value !== null) into[key.toLowerCase()] = String(value)
    }
    return
  }
  const entries = headers instanceof Headers || Array.isArray(headers) ? headers : Object.entries(headers)
  for (const [key, value] of entries) {
    if (value === undefined || value === null) continue
    into[key.toLowerCase()] = String(value)
  }
}

/** The client's own headers, lower-cased. */
function headersOf(config: Config): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {}
  toRecord(config.headers, headers)
  return headers
}

interface Prepared {
  target: string
  init: RequestInit
}

/** The RequestInit part of a config (signal, credentials...), or undefined when there is none. */
function initOf(config: Config): RequestInit | undefined {
  const {
    auth: _auth,
    baseUrl: _baseUrl,
    bodySerializer: _serializer,
    fetch: _fetch,
    headers: _headers,
    throwOnError: _throw,
    maxResponseBytes: _max,
    ...init
  } = config
  return Object.keys(init).length ? init : undefined
}

/**
 * The RequestInit fields a single call may set, copied into `init`. Read by name: a keyed read per field
 * (a loop over the names) is a megamorphic lookup each, which cost more than the rest of `finish`.
 */
function passInit(options: RequestOptions & { priority?: unknown; window?: unknown }, init: RequestInit & Record<string, unknown>): void {
  if (options.signal !== undefined) init.signal = options.signal
  if (options.credentials !== undefined) init.credentials = options.credentials
  if (options.cache !== undefined) init.cache = options.cache
  if (options.redirect !== undefined) init.redirect = options.redirect
  if (options.keepalive !== undefined) init.keepalive = options.keepalive
  if (options.mode !== undefined) init.mode = options.mode
  if (options.referrer !== undefined) init.referrer = options.referrer
  if (options.referrerPolicy !== undefined) init.referrerPolicy = options.referrerPolicy
  if (options.integrity !== undefined) init.integrity = options.integrity
  if (options.priority !== undefined) init.priority = options.priority
  if (options.window !== undefined) init.window = options.window
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
/** Why a request with a body is not redirected, in both of its refusals (the 3xx seen, or refused by fetch). */
const SENT_ONCE = 'such requests are sent once and never redirected'
const MAX_REDIRECTS = 5

/**
 * Where a redirect answer may be followed to, or RedirectRefusedError. API calls carry the key and the
 * caller's headers, so only same-origin redirects are followed, and only when the request stays the same
 * request (307/308 keep the method; 301/302/303 are followed for GET/HEAD only). A request with a body is
 * never followed (`hasBody`: sent in 'error' mode, see send).
 */
function redirectTarget(response: Response, from: string, method: string, hops: number, hasBody = false): string {
  if (response.type === 'opaqueredirect') {
    throw new RedirectRefusedError(0, undefined, 'the server answered with a redirect (hidden by the runtime); API calls do not follow redirects')
  }
  const location = response.headers.get('location') as string
  let next: URL
  try {
    next = new URL(location, from)
  } catch {
    throw new RedirectRefusedError(response.status, undefined, `the server answered ${response.status} with an invalid Location; not followed`)
  }
  const origin = new URL(from).origin
  if (next.origin !== origin) {
    throw new RedirectRefusedError(
      response.status,
      next.origin,
      `the server answered ${response.status} redirecting to another origin (${next.origin}); API calls never follow a redirect off ${origin}, so the key and headers stay there`,
    )
  }
  if (hasBody) throw new RedirectRefusedError(response.status, next.origin, `the server answered ${response.status} to a request with a body; ${SENT_ONCE}`)
  if (!(response.status === 307 || response.status === 308 || method === 'GET' || method === 'HEAD')) {
    throw new RedirectRefusedError(
      response.status,
      next.origin,
      `the server answered ${response.status} to a ${method}; following it would send another request (a GET), so it is not followed`,
    )
  }
  if (hops >= MAX_REDIRECTS) throw new RedirectRefusedError(response.status, next.origin, `more than ${MAX_REDIRECTS} redirects; not followed`)
  return next.href
}

/**
 * A fetch that refused a redirect in 'error' mode says so in its error (or its cause): undici's "unexpected
 * redirect", Deno's "... redirect mode is set to 'error'". A runtime that says nothing specific (a browser's
 * "Failed to fetch") leaves a plain network error, which callers already treat as "may have been sent".
 */
const REDIRECT_FAILURE = /^unexpected redirect$|redirect mode is set to .?error/i

function isRedirectFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 3; depth++, e = (e as { cause?: unknown }).cause) {
    const message = (e as { message?: unknown }).message
    if (typeof message === 'string' && REDIRECT_FAILURE.test(message)) return true
  }
  return false
}

/** A request with a body answered with a redirect: refused (fetch hides status and target in 'error' mode). */
function bodyRedirectRefused(cause: unknown): RedirectRefusedError {
  const error = new RedirectRefusedError(
    0,
    undefined,
    `the server answered a request with a body with a redirect; ${SENT_ONCE} (the key, headers and body stay on the API origin)`,
  )
  ;(error as { cause?: unknown }).cause = cause
  return error
}

/**
 * Whether this runtime's fetch takes `redirect: 'error'`, asked of its Request constructor: workerd refuses
 * the value ("does not make sense at the edge"), and a request refused that way would surface as a failed
 * submit. Where it is refused, requests with a body go in 'manual' mode and are refused on the 3xx.
 */
function takesErrorMode(): boolean {
  try {
    new Request('http://localhost/', { redirect: 'error' })
    return true
  } catch {
    return false
  }
}

const METHODS: HttpMethod[] = ['delete', 'get', 'head', 'options', 'patch', 'post', 'put']

/**
 * A fetch client with the call shape hey-api's generated SDK functions expect.
 * It calls `fetch(url, init)` directly: no `Request` object, no interceptor chain, one body read,
 * which is what keeps it within a few percent of hand-written fetch.
 */
export function createClient(initial: Config = {}): Client {
  let config: Config = { ...initial }
  // Computed once per setConfig.
  let configInit = initOf(config)
  let configHeaders = headersOf(config)
  // Asked on the first request with a body, then kept.
  let errorMode: boolean | undefined

  // Read field by field rather than with object rest/spread: on the hot path those copies cost as
  // much as the rest of this function together (measured with a fetch stub).
  const send = async (options: RequestOptions, method: string) => {
    const fetchImpl = options.fetch ?? config.fetch ?? globalThis.fetch
    let target: string
    let init: RequestInit
    try {
      const prepared = prepare(options, method)
      // An async auth function makes the preparation async; a key (or a sync function) costs no extra await.
      ;({ target, init } = prepared instanceof Promise ? await prepared : prepared)
    } catch (cause) {
      throw new RequestNotSentError(`the request could not be built (${cause instanceof Error ? cause.message : String(cause)}); nothing was sent`, { cause })
    }
    // Redirects are handled here unless the caller chose a policy of their own: a request without a body
    // follows same-origin ones (below); a request with a body (a submit) follows none, in fetch's 'error' mode.
    // That mode, with no window, also spares Node's fetch its copy of the request (the fetch spec's
    // httpNetworkOrCacheFetch clones a request unless both hold), whose body it tees: ~14 KB of heap and
    // ~8% of the client's CPU per submit + poll on loopback (bench/src/overhead.mjs).
    const ownRedirects = init.redirect === undefined
    const refuseRedirects = ownRedirects && init.body != null
    let response: Response
    if (refuseRedirects && (errorMode ??= takesErrorMode())) {
      init.redirect = 'error'
      ;(init as { window?: null }).window = null
      try {
        response = await fetchImpl(target, init)
      } catch (error) {
        throw isRedirectFailure(error) ? bodyRedirectRefused(error) : error
      }
    } else {
      if (ownRedirects) init.redirect = 'manual'
      response = await fetchImpl(target, init)
    }
    for (let hops = 0; ownRedirects && (response.type === 'opaqueredirect' || (REDIRECTS.has(response.status) && response.headers.has('location'))); hops++) {
      await response.body?.cancel().catch(() => undefined)
      // A runtime without 'error' mode, or a fetch of its own that ignores it: the same refusal, with what it shows.
      target = redirectTarget(response, target, method, hops, refuseRedirects)
      response = await fetchImpl(target, init)
    }
    const maxBytes = options.maxResponseBytes ?? config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    let parsed: unknown
    // The common answer is awaited here: readBody's async step (a promise and a microtask per call) only for the rest.
    if (jsonAtOnce(response, maxBytes, options.onHeaders)) {
      try {
        parsed = await response.json()
      } catch (cause) {
        throw unparsedJson(response, cause)
      }
    } else if (streamedAtOnce(response, maxBytes, options.onHeaders)) {
      // Read here too (an answer with `onHeaders`, or chunked): no async step of readBody's per call.
      parsed = fromText(response, decoded(await readStreamCapped(response.body as ReadableStream<Uint8Array>, maxBytes, options.onHeaders)), maxBytes)
    } else parsed = await readBody(response, maxBytes, options.onHeaders)
    if (response.ok) return { data: parsed, error: undefined, response }
    if (options.throwOnError ?? config.throwOnError) throw parsed ?? new Error(`HTTP ${response.status}`)
    return { data: undefined, error: parsed ?? {}, response }
  }

  /** URL and RequestInit of one call; anything that throws here throws before a byte is sent. */
  const prepare = (options: RequestOptions, method: string): Prepared | Promise<Prepared> => {
    const auth = options.auth ?? config.auth
    // The client's own headers were lower-cased once per setConfig; a call's are merged over a copy.
    const headers: Record<string, string> = { ...configHeaders }
    toRecord(options.headers, headers)
    if (options.security && auth !== undefined) {
      const authQuery: Record<string, unknown> = {}
      const applied = applyAuth(options.security, auth, headers, authQuery)
      if (applied instanceof Promise) return applied.then(() => finish(options, method, headers, authQuery))
      return finish(options, method, headers, authQuery)
    }
    return finish(options, method, headers, undefined)
  }

  const finish = (options: RequestOptions, method: string, headers: Record<string, string>, authQuery: Record<string, unknown> | undefined): Prepared => {
    // A key that goes in the query (an apiKey scheme `in: query`) joins the call's query.
    const query = authQuery && hasKeys(authQuery) ? { ...options.query, ...authQuery } : options.query
    const body = options.body
    const serializer = options.bodySerializer === undefined ? config.bodySerializer : options.bodySerializer
    let payload: RequestBody | null | undefined
    if (body === undefined || body === null) {
      delete headers['content-type']
    } else if (serializer) {
      payload = serializer(body)
      // fetch sets the multipart boundary itself.
      if (payload instanceof FormData) delete headers['content-type']
    } else if (typeof body === 'object' && isPlainData(body)) {
      payload = JSON.stringify(body)
    } else if (typeof body === 'string' || body instanceof Blob || body instanceof FormData || body instanceof URLSearchParams || body instanceof ArrayBuffer) {
      payload = body
      if (body instanceof FormData) delete headers['content-type']
    } else {
      payload = JSON.stringify(body)
    }

    const target = joinUrl(options.baseUrl ?? config.baseUrl ?? '', options.url, options.path, query)
    const init: RequestInit = configInit ? { ...configInit, method, headers, body: payload } : { method, headers, body: payload }
    passInit(options, init as RequestInit & Record<string, unknown>)
    return { target, init }
  }
  const request = (options: RequestOptions & { method: string }) => send(options, options.method)

  const client = {
    request,
    buildUrl: (options: Pick<RequestOptions, 'baseUrl' | 'path' | 'query' | 'url'>) => buildUrl({ baseUrl: config.baseUrl, ...options }),
    getConfig: () => config,
    setConfig: (next: Config) => {
      config = { ...config, ...next }
      configInit = initOf(config)
      configHeaders = headersOf(config)
      return config
    },
  } as Record<string, unknown>
  for (const method of METHODS) {
    const upper = method.toUpperCase()
    client[method] = (options: RequestOptions) => send(options, upper)
  }
  return client as unknown as Client
}
