// What both entries export (`@nano-banana/sdk/core` and `@nano-banana/sdk`), apart from
// `createNanoBananaClient`: `/core` has the up-front shell (shell.ts), the main entry the engine itself.
// Kept apart so that the main entry never reaches the shell, whose import() of the engine would split it.
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
