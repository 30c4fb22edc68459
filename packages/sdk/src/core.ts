// Everything except the provider registry: import this plus one `providers/<id>` module and the
// bundle carries one provider only.
export { createNanoBananaClient } from './client.js'
export type { NanoBananaClient, NanoBananaClientOptions } from './client.js'
export type { CallbackRequest, CallbackVerdict, CallbackVerifyContext, CallResult, ModelCapabilities, ProviderAdapter } from './adapter.js'
export * from './errors.js'
export type * from './types.js'
export { validateRequest } from './validate.js'
export { nextPollDelay, DEFAULT_POLLING } from './wait.js'
export { taskFailure } from './failures.js'
export { defineProvider } from './define-provider.js'
export type { CapabilityFallback, OfferedModel, ProviderDefinition, ReaderKit, Wire } from './define-provider.js'
export type { PollingOptions, PollState } from './wait.js'
export { createTaskEvents } from './events.js'
export type { TaskEvents } from './events.js'
export type { DurationStore } from './durations.js'
export { DEFAULT_DOWNLOAD_RETRY, DEFAULT_POLL_RETRY, DEFAULT_SUBMIT_RETRY, backoffDelay, retryDelay } from './retry.js'
export type { RetryPolicy } from './retry.js'
import type { downloadImage as load } from './download.js'
/** Streams one result image (see GeneratedImage.download); loaded on first use, so that an app that never downloads never ships it. */
export const downloadImage: typeof load = (...args) => import('./download.js').then((m) => m.downloadImage(...args))
export type { DownloadOptions, DownloadedImage } from './download.js'
export { capabilityMatrixMarkdown, capabilityRows } from './matrix.js'
export type { CapabilityRow } from './matrix.js'
