import type { Client, OptionName, OnHeaders, ProviderClientOptions, ClientMeta } from '@nano-banana/runtime'
import type { NanoBananaError } from './errors.js'
import type { AspectRatio, GenerateRequest, OutputFormat, ProviderId, Resolution, Task, Warning } from './types.js'

/** What one model of one provider accepts; drives the local check before any request. */
export interface ModelCapabilities {
  /** The provider's model id. */
  id: string
  /** Model family in plain words (e.g. "Nano Banana 2"). */
  family: string
  aspectRatios: readonly AspectRatio[]
  resolutions: readonly Resolution[]
  /**
   * Formats the model can return. Empty when the format is unknown and cannot be chosen; one value
   * when the model has no format field but its output format is documented (then listed in `notSent`).
   */
  outputFormats: readonly OutputFormat[]
  maxImages: number
  maxN: number
  maxPromptLength: number
  /**
   * Options this model has no request field for. Their capability list holds the one value the model
   * always produces; asking for that value is harmless: nothing is sent and the result carries a warning.
   */
  notSent?: readonly ('resolution' | 'outputFormat' | 'n')[]
  /** Option -> the dotted request field this model sends it in (from the spec's `x-options`). */
  fields?: Readonly<Partial<Record<OptionName, string>>>
  /** Option -> normalized value -> wire value where this model spells values otherwise than the provider's `x-options` (meta `capabilities.values`). */
  values?: Readonly<Partial<Record<OptionName, Readonly<Record<string, string>>>>>
  /** Seconds a task of this model typically takes (the spec's `x-typical-duration-seconds`): the first poll's prior. */
  typicalSeconds?: number
  /** Where the entry's values come from: `spec`, plus the capabilities the spec leaves open and the definition fills in. */
  source?: string
}

/** A callback delivery as received, for a provider's signature check: the body exactly as sent. */
export interface CallbackRequest {
  readonly url: string
  readonly headers: Headers
  readonly body: Uint8Array
}

/** What a signature check may use: the handler's `webhookSecret`, a fetch (for a provider's public keys), the clock and its tolerance. */
export interface CallbackVerifyContext {
  readonly secret?: string
  readonly fetch: typeof globalThis.fetch
  readonly nowSeconds: number
  readonly toleranceSeconds: number
}

export type CallbackVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string }

/** The answer of one operation call (operation.ts, or a generated SDK function), as the runtime returns it. */
export interface CallResult {
  data?: unknown
  error?: unknown
  response: Response
}

/**
 * Everything that differs between providers, in one object per provider (`providers/<id>.ts`, built by
 * `defineProvider` from the spec's meta). Adapters call the spec's operations through the runtime client
 * (operation.ts: method, path and key placement from the meta); they never build URLs or headers themselves.
 */
export interface ProviderAdapter {
  /**
   * A model id that is not a key of `models` but that the provider documents as a variant of one (a
   * concrete tier id such as `<family>-1K`): its capabilities, under that id. Undefined: unknown model.
   */
  resolveModel?(modelId: string): ModelCapabilities | undefined
  id: ProviderId
  name: string
  /** The provider's facts the client reads, as its spec states them (the generated `clientMeta`; the whole `meta` is `@nano-banana/<id>/meta`). */
  meta?: ClientMeta
  /** Environment variable read when no `apiKey` is passed. */
  envKey: string
  /** Environment variable read when no `baseUrl` is passed (required where the provider publishes no host). */
  baseUrlEnvKey: string
  defaultModel: string
  models: Readonly<Record<string, ModelCapabilities>>
  /** How long result URLs live, when documented. */
  resultTtlSeconds?: number
  /** False when the provider documents no callback: a `callbackUrl` is then refused before sending. */
  supportsCallback?: boolean
  /**
   * True when the provider answers the create request with the result itself (`meta.synchronous`): there
   * is no task to query, `parseSubmit` returns the final task and `query` is absent.
   */
  synchronous?: boolean
  /** `n` images are `n` create requests (the API returns one image per request; `x-repeat-for-n`). */
  repeatForN?: boolean
  /** Reference images travel as bytes: the client reads each URL (bounded download) into a `data:` URL before `toRequestBody`. */
  inlineReferenceImages?: boolean
  /** The schema component callback bodies are validated against when the spec documents no callback (`/callbacks`). */
  callbackComponent?: string
  createClient(options: ProviderClientOptions): Client
  /** Maps the normalized request to the provider's body. Capabilities were checked before. */
  toRequestBody(request: GenerateRequest, model: ModelCapabilities): { body: Record<string, unknown>; warnings: Warning[] }
  /**
   * Sends the create request. `signal` and `onHeaders` go into the runtime call's options as they are:
   * without a signal, `onHeaders` is how the client's request timeout cancels an answer whose body hangs.
   */
  submit(client: Client, body: Record<string, unknown>, signal?: AbortSignal, onHeaders?: OnHeaders): Promise<CallResult>
  /** Absent on a synchronous provider: there is nothing to query. */
  query?(client: Client, taskId: string, signal?: AbortSignal, onHeaders?: OnHeaders): Promise<CallResult>
  /**
   * Reads the task id from a create answer. Returns an error for a failure carried inside a 2xx body
   * (a JSON `code` envelope), or AmbiguousSubmitError when the id is missing. A synchronous provider
   * returns the final `task` too (its answer id stands in for the task id).
   */
  parseSubmit(data: unknown, response: Response): { taskId: string; estimatedSeconds?: number; task?: Task } | NanoBananaError
  /** Reads a query answer or callback body; returns an error for a failure carried inside a 2xx body. */
  parseTask(data: unknown, response?: Response): Task | NanoBananaError
  /** Maps an HTTP error answer (any status, any body) to a normalized error. Never throws. */
  parseError(status: number, body: unknown, headers: Headers): NanoBananaError
  /**
   * True when `verifyCallback` checks a signature over the whole body: the callbacks handler then re-reads
   * nothing by default. A custom adapter's own; the built-in providers' live in their CallbackVerification.
   */
  signatureCoversBody?: boolean
  /** Asks the provider to cancel a task (`meta.operations.cancel`, operationId `cancelImageTask`); absent when the API has none. */
  cancel?(client: Client, taskId: string, signal?: AbortSignal, onHeaders?: OnHeaders): Promise<CallResult>
  /** Reads a 2xx cancel answer that says more than "accepted": false when the task had already ended. */
  parseCancel?(data: unknown, response: Response): boolean | NanoBananaError
  /**
   * Checks a callback's signature (a custom adapter's hook; it wins over the provider's own). The callbacks
   * handler calls it on the raw body before it is parsed, and refuses the delivery (401, nothing reported)
   * on `ok: false`. The built-in providers that sign their deliveries keep their check apart, in
   * `providers/<id>.callbacks.ts` (`callbackVerifiers` of `@nano-banana/sdk/callbacks`), so that a client's
   * bundle carries no signature code.
   */
  verifyCallback?(request: CallbackRequest, context: CallbackVerifyContext): Promise<CallbackVerdict>
}

/** How the callbacks handler checks one provider's signed deliveries (a `providers/<id>.callbacks.ts` module's `callbacks`). */
export interface CallbackVerification {
  verifyCallback(request: CallbackRequest, context: CallbackVerifyContext): Promise<CallbackVerdict>
  /** The signature covers the whole body: a verified body is what the provider sent, nothing is re-read by default. */
  signatureCoversBody?: boolean
}
