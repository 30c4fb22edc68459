import { applyAuth } from './auth.js'
import { readBody } from './body.js'
import type { Client, ClientOptions, Config, HeadersLike, HttpMethod, RequestOptions } from './types.js'
import { buildUrl } from './url.js'

export function createConfig<T extends ClientOptions = ClientOptions>(override: Config<ClientOptions & T> = {}): Config<ClientOptions & T> {
  return { ...override }
}

function toRecord(headers: HeadersLike | undefined, into: Record<string, string>): void {
  if (!headers) return
  const entries = headers instanceof Headers || Array.isArray(headers) ? headers : Object.entries(headers)
  for (const [key, value] of entries) {
    if (value === undefined || value === null) continue
    into[key.toLowerCase()] = String(value)
  }
}

function initOf(config: Config): RequestInit {
  const { auth: _auth, baseUrl: _baseUrl, bodySerializer: _serializer, fetch: _fetch, headers: _headers, throwOnError: _throw, ...init } = config
  return init
}

const METHODS: HttpMethod[] = ['delete', 'get', 'head', 'options', 'patch', 'post', 'put']

/**
 * A fetch client with the call shape hey-api's generated SDK functions expect.
 * It calls `fetch(url, init)` directly: no `Request` object, no interceptor chain, one body read,
 * which is what keeps it within a few percent of hand-written fetch.
 */
export function createClient(initial: Config = {}): Client {
  let config: Config = { ...initial }
  // The RequestInit part of the config (signal, credentials...), computed once per setConfig.
  let configInit = initOf(config)

  const request = async (options: RequestOptions & { method: string }) => {
    const {
      auth = config.auth,
      baseUrl = config.baseUrl,
      body,
      bodySerializer = config.bodySerializer,
      client: _client,
      fetch: fetchImpl = config.fetch ?? globalThis.fetch,
      headers: requestHeaders,
      meta: _meta,
      method,
      path,
      query,
      security,
      throwOnError = config.throwOnError,
      url,
      ...init
    } = options
    const headers: Record<string, string> = {}
    toRecord(config.headers, headers)
    toRecord(requestHeaders, headers)
    const fullQuery: Record<string, unknown> = { ...query }
    if (security && auth !== undefined) await applyAuth(security, auth, headers, fullQuery)

    let payload: BodyInit | null | undefined
    if (body === undefined || body === null) {
      delete headers['content-type']
    } else if (bodySerializer) {
      payload = bodySerializer(body)
      // fetch sets the multipart boundary itself.
      if (payload instanceof FormData) delete headers['content-type']
    } else if (typeof body === 'string' || body instanceof Blob || body instanceof FormData || body instanceof URLSearchParams || body instanceof ArrayBuffer) {
      payload = body
      if (body instanceof FormData) delete headers['content-type']
    } else {
      payload = JSON.stringify(body)
    }

    const target = buildUrl({ baseUrl, url, path, query: fullQuery })
    const response = await fetchImpl(target, { ...configInit, ...init, method, headers, body: payload } as RequestInit)
    const parsed = await readBody(response)
    if (response.ok) return { data: parsed, error: undefined, response }
    if (throwOnError) throw parsed ?? new Error(`HTTP ${response.status}`)
    return { data: undefined, error: parsed ?? {}, response }
  }

  const client = {
    request,
    buildUrl: (options: Pick<RequestOptions, 'baseUrl' | 'path' | 'query' | 'url'>) => buildUrl({ baseUrl: config.baseUrl, ...options }),
    getConfig: () => config,
    setConfig: (next: Config) => {
      config = { ...config, ...next }
      configInit = initOf(config)
      return config
    },
  } as Record<string, unknown>
  for (const method of METHODS) {
    client[method] = (options: RequestOptions) => request({ ...options, method: method.toUpperCase() as Uppercase<HttpMethod> })
  }
  return client as unknown as Client
}
