// The one-provider client: import this plus one `lazy/<id>` (or `providers/<id>`) module and the bundle
// carries one provider only. Up front it holds the client's shell (shell.ts), the error classes and the
// small helpers; the engine and the adapter load on first use. Every value exported here is imported
// statically, and a bundler such as esbuild loads a module's whole chunk up front for a re-export even
// when nothing of it is used: the engine's own modules (validate, wait, retry, define-provider,
// inline-images, image-type) are exported by `@nano-banana/sdk` only.
export * from './public.js'
export { createNanoBananaClient } from './shell.js'
import type { downloadImage as load } from './download.js'
/** Streams one result image (see GeneratedImage.download); loaded on first use, like the engine it belongs to. */
export const downloadImage: typeof load = (...args) => import('./download.js').then((m) => m.downloadImage(...args))
export type { CoreClientOptions } from './shell.js'
