// Everything except the provider registry: import this plus one `providers/<id>` module and the
// bundle carries one provider only.
export { createNanoBananaClient } from './client.js'
export type { NanoBananaClient, NanoBananaClientOptions } from './client.js'
export type { CallResult, ModelCapabilities, ProviderAdapter } from './adapter.js'
export * from './errors.js'
export type * from './types.js'
export { validateRequest } from './validate.js'
export { nextPollDelay, DEFAULT_POLLING, taskFailure } from './wait.js'
export type { PollingOptions } from './wait.js'
export { DEFAULT_POLL_RETRY, DEFAULT_SUBMIT_RETRY, backoffDelay } from './retry.js'
export type { RetryPolicy } from './retry.js'
