export { createClient, createConfig } from './client.js'
export { buildUrl } from './url.js'
export { DEFAULT_MAX_RESPONSE_BYTES, formDataBodySerializer, jsonBodySerializer, readBody } from './body.js'
export { readCapped } from './read-capped.js'
export { RedirectRefusedError, RequestNotSentError, ResponseParseError, ResponseTooLargeError } from './errors.js'
export type {
  Auth,
  AuthProvider,
  AuthToken,
  Client,
  ClientOptions,
  Config,
  CreateClientConfig,
  HttpMethod,
  OnHeaders,
  Options,
  RequestBody,
  RequestOptions,
  RequestResult,
  TDataShape,
} from './types.js'
export { ClientConfigurationError, createProviderClient, providerBaseUrl } from './provider.js'
export type { ProviderClientOptions, ProviderDescription } from './provider.js'
export { CONNECT_KEYS } from './meta.js'
export type {
  CapabilitiesMeta,
  ClientMeta,
  ClientOperationMeta,
  ConnectMeta,
  FieldMeta,
  ModelMeta,
  NormalizedStatus,
  OperationMeta,
  OptionMeta,
  OptionName,
  ProviderMeta,
} from './meta.js'
