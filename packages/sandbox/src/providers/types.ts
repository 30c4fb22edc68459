import type { ProviderMeta } from '@nano-banana/runtime'
import type { StoredImage } from '../images.js'
import type { SpecIssue } from '../spec.js'
import type { Task, TaskRequest, TaskSnapshot } from '../tasks.js'
import type { ImageFormat, ProviderId, ResolvedOptions, TaskPhase } from '../types.js'

/** An operationId of the provider's spec (`createImageTask`, `getImageTask`, `getCredits`, or any other it has). */
export type Operation = string

export interface Route {
  operation: Operation
  /** For the task query: the id from the path or query ('' when the query parameter is missing). */
  taskId?: string
  /** For a create operation whose path carries the model (`x-model-in-path`): the model id from the path. */
  model?: string
  /** The path parameters other than the task id (e.g. a model in the path), decoded. */
  params?: Record<string, string>
}

/** A JSON answer: HTTP status, body, extra headers. */
export interface Reply {
  status: number
  body: unknown
  headers?: Record<string, string>
}

export type ErrorKind =
  | 'unauthorized'
  | 'invalid'
  | 'modelNotFound'
  | 'taskNotFound'
  | 'routeNotFound'
  | 'rateLimited'
  | 'serverError'
  | 'badGateway'
  | 'unavailable'

export interface WireContext {
  options: ResolvedOptions
  /** Public URL of a result file served by the sandbox. */
  fileUrl: (image: StoredImage) => string
  /** The provider's status word for a phase: the first word its spec maps to that phase. */
  word: (phase: TaskPhase) => string
  /** This provider's base URL on the sandbox (`http://127.0.0.1:<port>/<id>`), for answers that hand back URLs. */
  baseUrl: string
  /** The encoded bytes of a result image, for a synchronous provider that answers with them inline. */
  bytes: (image: StoredImage) => Uint8Array
}

/**
 * One provider's hand-written part: the bodies it answers with. Routes, key transport, status words, callback
 * schedule, request fields and request validation come from `meta` and `schemas` (both generated from the spec)
 * in the shared server; only what a spec cannot say is a hook here.
 */
export interface ProviderWire {
  id: ProviderId
  /** The provider package's generated metadata. */
  meta: ProviderMeta
  /** The provider package's generated JSON schemas (`@nano-banana/<id>/schemas`: `<Component>Schema` exports). */
  schemas: Readonly<Record<string, unknown>>
  /** A rule on the key besides being the sandbox's key (e.g. a documented prefix). */
  acceptsKey?(key: string): boolean
  /** An early answer for a malformed task id (e.g. a documented id prefix, or a missing query parameter). */
  checkTaskId?(id: string, ctx: WireContext): Reply | undefined
  /** Whether the account has the model, where the spec leaves model ids open (undefined: it has). */
  checkModel?(model: string, operation: Operation, ctx: WireContext): Reply | undefined
  /** `request` is what the create body asked for (a provider whose id carries the model). */
  newTaskId(now: number, request: TaskRequest): string
  /** Adjusts what the shared reader took from a valid body, for facts meta does not carry. */
  refineRequest?(request: TaskRequest, body: Record<string, unknown>, operation: Operation): TaskRequest
  /** The request field of a callback URL for a provider whose spec documents no callback but whose requests take one. */
  undocumentedCallbackField?: string
  /** Options of this provider under an older name: old option name -> its generic name. */
  legacyOptions?: Readonly<Record<string, keyof ResolvedOptions>>
  created(task: Task, ctx: WireContext): Reply
  /** The answer of a task operation: the query, or the result operation (`meta.operations.result`) where the spec has one. */
  query(task: Task, snapshot: TaskSnapshot, ctx: WireContext, operation: Operation): Reply
  /**
   * The answer to `cancelImageTask` (`meta.operations.cancel`), where the spec has one. `end()` ends a task that
   * has not ended now, canceled and without images (its callback fires), and returns the new snapshot.
   */
  cancel?(task: Task, snapshot: TaskSnapshot, ctx: WireContext, end: () => TaskSnapshot): Reply
  /**
   * Answers of GET operations that need no key and live on another server of the provider (the spec's
   * operation-level `servers`), by operationId, e.g. public signing keys. Served under `/<id>` with the spec's
   * path; `sandbox.fetch` sends requests for the real URL there.
   */
  publicRoutes?: Readonly<Record<string, (ctx: WireContext) => Reply>>
  /** Synchronous endpoints (operations other than the create one) answer with the finished images. */
  syncResult?(task: Task, ctx: WireContext, operation: Operation): Reply
  credits?(ctx: WireContext): Reply
  callback: {
    payload(task: Task, snapshot: TaskSnapshot, ctx: WireContext): unknown
    /**
     * Headers of one attempt. `body` is the exact text sent (for providers that sign it); `secret` is the sandbox's
     * webhook secret (`webhookSecret`), for providers whose signature is keyed by the account's secret.
     */
    headers?(task: Task, now: number, body: string, secret: string): Record<string, string>
  }
  /** The provider's documented error body for a situation. */
  error(kind: ErrorKind, operation: Operation | undefined, ctx: WireContext, detail?: { issue?: SpecIssue; taskId?: string; model?: string }): Reply
}

export const unixSeconds = (ms: number): number => Math.floor(ms / 1000)

/** `jpg`/`jpeg` ask for JPEG; anything else (png, webp, nothing) gets PNG: the sandbox encodes only these two. */
export function formatOf(value: unknown, fallback: ImageFormat = 'png'): ImageFormat {
  if (typeof value !== 'string') return fallback
  return value === 'jpg' || value === 'jpeg' ? 'jpeg' : 'png'
}

export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

export function hasImages(...values: unknown[]): boolean {
  return values.some((value) => (Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && value !== ''))
}
