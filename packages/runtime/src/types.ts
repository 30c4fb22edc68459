// Type surface that hey-api's generated `sdk.gen.ts` and `client.gen.ts` import from a client plugin.
// Kept structurally compatible with @hey-api/client-fetch so the generated functions type-check,
// while the runtime behind it stays a few hundred bytes.

export interface Auth {
  in?: 'header' | 'query' | 'cookie'
  name?: string
  scheme?: 'basic' | 'bearer'
  type: 'apiKey' | 'http'
}

export type AuthToken = string | undefined
export type AuthProvider = ((auth: Auth) => Promise<AuthToken> | AuthToken) | AuthToken

export type HttpMethod = 'delete' | 'get' | 'head' | 'options' | 'patch' | 'post' | 'put'

export interface ClientOptions {
  baseUrl?: string
  throwOnError?: boolean
}

/**
 * What fetch accepts as a body. Derived from `RequestInit` rather than the global `BodyInit`, which only
 * the DOM lib declares: these types must compile for a Node app with `lib: ["ES2022"]`.
 */
export type RequestBody = NonNullable<RequestInit['body']>

export type HeadersLike = Record<string, string | number | boolean | null | undefined> | Headers | [string, string][]

export interface Config<T extends ClientOptions = ClientOptions> extends Omit<RequestInit, 'body' | 'headers' | 'method'> {
  baseUrl?: string
  /** API key (or a function returning it); applied as each operation's `security` says. */
  auth?: AuthProvider
  fetch?: typeof fetch
  headers?: HeadersLike
  throwOnError?: T['throwOnError']
  bodySerializer?: ((body: unknown) => RequestBody | null | undefined) | null
  /** Largest answer body read, in bytes (default 8 MiB); a larger 2xx body is ResponseTooLargeError. */
  maxResponseBytes?: number
}

export interface RequestOptions<ThrowOnError extends boolean = boolean, Url extends string = string> extends Config<{ throwOnError: ThrowOnError }> {
  body?: unknown
  path?: Record<string, unknown>
  query?: Record<string, unknown>
  security?: ReadonlyArray<Auth>
  method?: Uppercase<HttpMethod>
  url: Url
  /** Free-form values carried with the request, ignored by the runtime. */
  meta?: Record<string, unknown>
  client?: unknown
  /**
   * Called once the answer's headers arrived, before its body is read, with the function that cancels
   * that body (the read then fails with the reason; cancelling the stream closes the connection). How
   * a caller that gives fetch no `signal` (a signal costs every request in Node's fetch) still stops a
   * body that hangs after its headers.
   */
  onHeaders?: OnHeaders
}

/** See `RequestOptions.onHeaders`. */
export type OnHeaders = (cancelBody: (reason: unknown) => void) => void

type ValueOf<T> = T extends Record<string, unknown> ? T[keyof T] : T

export type RequestResult<TData = unknown, TError = unknown, ThrowOnError extends boolean = boolean> = ThrowOnError extends true
  ? Promise<{ data: ValueOf<TData>; response: Response }>
  : Promise<
      ({ data: ValueOf<TData>; error: undefined } | { data: undefined; error: ValueOf<TError> }) & {
        response: Response
      }
    >

type MethodFn = <TData = unknown, TError = unknown, ThrowOnError extends boolean = false>(
  options: Omit<RequestOptions<ThrowOnError>, 'method'>,
) => RequestResult<TData, TError, ThrowOnError>

export type Client = {
  [K in HttpMethod]: MethodFn
} & {
  request: <TData = unknown, TError = unknown, ThrowOnError extends boolean = false>(
    options: RequestOptions<ThrowOnError> & { method: Uppercase<HttpMethod> },
  ) => RequestResult<TData, TError, ThrowOnError>
  buildUrl: (options: Pick<RequestOptions, 'baseUrl' | 'path' | 'query' | 'url'>) => string
  getConfig: () => Config
  setConfig: (config: Config) => Config
}

export interface TDataShape {
  body?: unknown
  headers?: unknown
  path?: unknown
  query?: unknown
  url: string
}

type OmitKeys<T, K> = Pick<T, Exclude<keyof T, K>>

export type Options<TData extends TDataShape = TDataShape, ThrowOnError extends boolean = boolean, _TResponse = unknown> = OmitKeys<
  RequestOptions<ThrowOnError>,
  'body' | 'path' | 'query' | 'url'
> &
  ([TData] extends [never] ? unknown : Omit<TData, 'url'>)

export type CreateClientConfig<T extends ClientOptions = ClientOptions> = (override?: Config<ClientOptions & T>) => Config<Required<ClientOptions> & T>
