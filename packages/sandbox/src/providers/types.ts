import type { StoredImage } from '../images.js'
import type { SpecIssue } from '../spec.js'
import type { Task, TaskRequest, TaskSnapshot } from '../tasks.js'
import type { ImageFormat, ProviderId, ResolvedOptions, TaskPhase } from '../types.js'

/** The operationIds of specs/CONVENTIONS.md. */
export type Operation = 'createImageTask' | 'getImageTask' | 'getCredits' | 'createImageGeneration' | 'createImageEdit'

export interface Route {
  operation: Operation
  /** For getImageTask: the id from the path or query ('' when the query parameter is missing). */
  taskId?: string
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
}

/** One provider's wire behaviour: paths, auth, bodies and status words, all as its spec documents them. */
export interface ProviderWire {
  id: ProviderId
  /** How the key travels (the spec's security scheme). */
  auth: 'bearer' | 'x-api-key'
  /** A prefix the key must have besides being right (aivideoapi: `sk-`). */
  keyPrefix?: string
  /** Maps a method and a path below the provider prefix to an operation. */
  route(method: string, path: string, query: URLSearchParams): Route | undefined
  /** An early answer for a malformed task id (EvoLink checks the `task-unified-` prefix). */
  checkTaskId?(id: string, ctx: WireContext): Reply | undefined
  newTaskId(now: number): string
  /** What to generate, from a body that passed the spec's request schema. */
  describe(body: Record<string, unknown>, operation: Operation): TaskRequest
  created(task: Task, ctx: WireContext): Reply
  query(task: Task, snapshot: TaskSnapshot, ctx: WireContext): Reply
  /** UniAll's synchronous OpenAI-compatible endpoints answer with the finished images. */
  syncResult?(task: Task, ctx: WireContext, operation: Operation): Reply
  credits?(ctx: WireContext): Reply
  callback: {
    payload(task: Task, snapshot: TaskSnapshot, ctx: WireContext): unknown
    headers?(task: Task, now: number): Record<string, string>
    /** Delay in seconds before each attempt, counted from the previous one; the first is the delay after the task ended. */
    scheduleSeconds: readonly number[]
  }
  /** The provider's documented error body for a situation. */
  error(kind: ErrorKind, operation: Operation | undefined, ctx: WireContext, detail?: { issue?: SpecIssue; taskId?: string; model?: string }): Reply
  statusWord(phase: TaskPhase): string
}

export const unixSeconds = (ms: number): number => Math.floor(ms / 1000)

/** A seed field, wherever the request put one (top level, `input`, EvoLink's `model_params`). */
export function seedOf(body: Record<string, unknown>): string {
  const input = body.input as Record<string, unknown> | undefined
  const params = body.model_params as Record<string, unknown> | undefined
  const seed = body.seed ?? input?.seed ?? params?.seed
  return seed === undefined || seed === null ? '' : String(seed)
}

/** `jpg`/`jpeg` ask for JPEG; anything else (png, webp, nothing) gets PNG unless the provider's default is JPEG. */
export function formatOf(value: unknown, fallback: ImageFormat = 'png'): ImageFormat {
  if (typeof value !== 'string') return fallback
  return value === 'jpg' || value === 'jpeg' ? 'jpeg' : 'png'
}

export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

export function hasImages(...values: unknown[]): boolean {
  return values.some((value) => (Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && value !== ''))
}
