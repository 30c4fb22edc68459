// The one-provider client: import this plus one `lazy/<id>` (or `providers/<id>`) module and the bundle
// carries one provider only. Up front it holds the client's shell (shell.ts), the error classes and the
// small helpers; the engine and the adapter load on first use. Every value exported here is imported
// statically, and a bundler such as esbuild loads a module's whole chunk up front for a re-export even
// when nothing of it is used: the engine's own modules (validate, wait, retry, define-provider,
// inline-images, image-type) are exported by `@nano-banana/sdk` only.
export { createNanoBananaClient } from './shell.js'
export type { CoreClientOptions } from './shell.js'
export type { NanoBananaClient, NanoBananaClientOptions } from './client.js'
export { isLazyProvider, lazyProvider } from './lazy-provider.js'
export type { LazyProvider } from './lazy-provider.js'
export type { CallbackRequest, CallbackVerdict, CallbackVerifyContext, CallResult, ModelCapabilities, ProviderAdapter } from './adapter.js'
export * from './errors.js'
export type * from './types.js'
export type { ImageContentType } from './image-type.js'
export { taskFailure } from './failures.js'
export type { CapabilityFallback, OfferedModel, ProviderDefinition, ReaderKit, Wire } from './define-provider.js'
export type { PollingOptions, PollState } from './wait.js'
export { createTaskEvents } from './events.js'
export type { TaskEvents } from './events.js'
export type { DurationStore } from './durations.js'
export type { RetryPolicy } from './retry.js'
import type { downloadImage as load } from './download.js'
/** Streams one result image (see GeneratedImage.download); loaded on first use, so that an app that never downloads never ships it. */
export const downloadImage: typeof load = (...args) => import('./download.js').then((m) => m.downloadImage(...args))
export type { DownloadOptions, DownloadedImage } from './download.js'
export { capabilityMatrixMarkdown, capabilityRows } from './matrix.js'
export type { CapabilityRow } from './matrix.js'
