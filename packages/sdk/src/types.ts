import type { DownloadedImage, DownloadOptions } from './download.js'

export type { ProviderId } from '@nano-banana/manifest'
import type { META, ProviderId } from '@nano-banana/manifest'

type Meta = typeof META
/** Every model entry of every provider's spec-derived meta. */
type AnyModelMeta = { [P in keyof Meta]: Meta[P]['models'][keyof Meta[P]['models']] }[keyof Meta]
/** The union of one capability list over every provider and model, as the specs state it. */
type StatedValues<K extends 'aspectRatios' | 'resolutions' | 'outputFormats'> = AnyModelMeta extends infer M
  ? M extends { readonly capabilities: { readonly [Q in K]: readonly (infer V)[] } }
    ? V
    : never
  : never

/** Every aspect ratio any provider's spec lists (generated meta); each model accepts the subset in its capability table. */
export type AspectRatio = StatedValues<'aspectRatios'>
/** Every resolution any provider's spec lists. */
export type Resolution = StatedValues<'resolutions'>
/** Every output format any provider's spec lists, in the unified spelling (`jpeg`, never the wire's `jpg`). */
export type OutputFormat = StatedValues<'outputFormats'>

/** One provider's model table, as its spec states it (generated meta). */
type ModelsOf<P extends ProviderId> = Meta[P]['models']
/** True when the spec leaves a provider's model ids open (a `model` field without an enum, or one `*` entry for every id). */
type OpenIds<P extends ProviderId> = '*' extends keyof ModelsOf<P>
  ? true
  : true extends {
        [M in keyof ModelsOf<P>]: ModelsOf<P>[M] extends { readonly fields: { readonly model: { readonly enum: readonly unknown[] } } } ? never : true
      }[keyof ModelsOf<P>]
    ? true
    : false

/**
 * The model ids a provider's spec lists; any string as well where the spec leaves ids open (the
 * provider then checks the id at run time). A union of providers gives the union of their ids.
 */
export type ModelId<P extends ProviderId = ProviderId> = P extends ProviderId
  ? Exclude<keyof ModelsOf<P> & string, '*'> | (OpenIds<P> extends true ? string & {} : never)
  : never

/** The model a provider uses when the request names none (`x-default-model`). */
export type DefaultModelId<P extends ProviderId = ProviderId> = P extends ProviderId ? Meta[P]['defaultModel'] : never

/** The meta entry (or entries) a model id stands for; every model of the provider for an id the spec does not list. */
type ModelEntry<P extends ProviderId, M> = P extends ProviderId
  ? M extends keyof ModelsOf<P>
    ? ModelsOf<P>[M]
    : OpenIds<P> extends true
      ? ModelsOf<P>[keyof ModelsOf<P>]
      : never
  : never

type Wide = { aspectRatios: AspectRatio; resolutions: Resolution; outputFormats: OutputFormat }
/** One model's values of a capability as its spec states them; every value where the spec leaves it open. */
type ValuesOf<E, K extends keyof Wide> = E extends { readonly capabilities: infer C } ? (C extends { readonly [Q in K]: readonly (infer V)[] } ? V : Wide[K]) : never

/** The aspect ratios model `M` of provider `P` accepts (the whole `AspectRatio` union where its spec leaves them open). */
export type AspectRatioOf<P extends ProviderId, M = ModelId<P>> = ValuesOf<ModelEntry<P, M>, 'aspectRatios'>
/** The resolutions model `M` of provider `P` accepts. */
export type ResolutionOf<P extends ProviderId, M = ModelId<P>> = ValuesOf<ModelEntry<P, M>, 'resolutions'>
/** The output formats model `M` of provider `P` accepts (unified spelling); `never` where the model cannot choose one. */
export type OutputFormatOf<P extends ProviderId, M = ModelId<P>> = ValuesOf<ModelEntry<P, M>, 'outputFormats'>

type TypedOptions = 'model' | 'aspectRatio' | 'resolution' | 'outputFormat'

/**
 * A request typed by provider and model: `model` is one of the provider's ids, and aspect ratio,
 * resolution and format are that model's values, all from the generated meta. `P` being every
 * provider (a `ProviderId` variable, an adapter object) gives the untyped `GenerateRequest`.
 */
export type GenerateRequestFor<P extends ProviderId, M = DefaultModelId<P>> = ProviderId extends P
  ? GenerateRequest
  : Omit<GenerateRequest, TypedOptions> & {
      /** The provider's model id; defaults to the provider's default model. */
      model?: M
      aspectRatio?: AspectRatioOf<P, M>
      resolution?: ResolutionOf<P, M>
      outputFormat?: OutputFormatOf<P, M>
    }

/** `GenerateOptions` typed by provider and model (see `GenerateRequestFor`). */
export type GenerateOptionsFor<P extends ProviderId, M = DefaultModelId<P>> = ProviderId extends P
  ? GenerateOptions
  : GenerateRequestFor<P, M> & Omit<GenerateOptions, keyof GenerateRequest>

/** What to generate, in one vocabulary for every provider. */
export interface GenerateRequest {
  prompt: string
  /** The provider's model id; defaults to the provider's default model. */
  model?: string
  aspectRatio?: AspectRatio
  resolution?: Resolution
  /**
   * Reference images (image-to-image, editing): http(s) URLs the provider can fetch, or image bytes as
   * `data:image/...;base64,` URLs (`imageDataUrl(bytes)` makes one) for providers that take bytes
   * (`takesImageData(provider)`: their API wants bytes, or their spec documents `data:` URLs); other
   * providers refuse a `data:` URL with InvalidRequestError before any request.
   */
  images?: (ImageDataUrl | string)[]
  /** Number of images; only some providers can return more than one per task. */
  n?: number
  outputFormat?: OutputFormat
  /** HTTPS URL the provider POSTs the finished task to. */
  callbackUrl?: string
  /**
   * Raw fields merged into the provider's request body (into the object that holds the prompt), for options
   * this vocabulary lacks. A key that would replace a field the unified request fills (prompt, model, images,
   * callback URL, any mapped option, or the object one of them lives in) is refused with InvalidRequestError,
   * and a key the body already has is never overwritten: the validated fields win.
   */
  providerOptions?: Record<string, unknown>
}

export type TaskStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled'

/** A provider task in the normalized shape. */
export interface Task {
  taskId: string
  provider: ProviderId
  model?: string
  status: TaskStatus
  /** 0..1 when the provider reports progress. */
  progress?: number
  /** Seconds the provider expects the task to take in total, when it says. */
  estimatedSeconds?: number
  /** Seconds the provider says the task took, once ended, when it says (it paces later polls). */
  durationSeconds?: number
  /** Result URLs once succeeded (they expire: see GeneratedImage.expiresAt). */
  urls: string[]
  /** The provider's reason when failed. */
  error?: { code?: string; message?: string }
  /** Credits the provider reports as charged for the task, when it says. */
  usage?: { credits?: number }
  /** Images a synchronous provider returned inline (bytes, no URL), once succeeded. */
  inlineImages?: readonly InlineImage[]
  /** The provider's own body, untouched. */
  raw: unknown
}

/** Image bytes as a reference image: a base64 `data:` URL of a PNG, JPEG, WebP or GIF (see `imageDataUrl`). */
export type ImageDataUrl = `data:image/${string};base64,${string}`

/** An image that came back inside the answer (base64 in the provider's JSON), decoded. */
export interface InlineImage {
  data: Uint8Array
  /** The type the bytes are (`image/png`...), checked against their signature. */
  contentType: string
}

export interface Warning {
  /** Only `ignored-option` is produced today; the other members stay for consumers that switch on them. */
  type: 'unsupported-option' | 'ignored-option' | 'other'
  option?: string
  message: string
}

export interface GeneratedImage {
  /** The result URL; for an inline image (`data` set) a `data:` URL of the bytes, built when first read. */
  url: string
  /** The bytes, when the provider returned the image inline (synchronous APIs): `download()` then makes no request. */
  data?: Uint8Array
  /** The type of `data` (`image/png`...). */
  contentType?: string
  /** When the provider deletes the file (results are kept for a limited time only). */
  expiresAt?: Date
  /** Streams the file, size-capped, retried; ExpiredResultError once the URL has expired. */
  download(options?: DownloadOptions): Promise<DownloadedImage>
}

export interface GenerateResult {
  taskId: string
  provider: ProviderId
  model: string
  images: GeneratedImage[]
  usage?: { credits?: number }
  warnings: Warning[]
  raw: unknown
}

/** Why a failover client passed over a provider: each one proves the provider did not accept the task. */
export type FailoverReason =
  | 'authentication' // 401: key missing, wrong or revoked
  | 'insufficient-credits' // 402 or a spend limit
  | 'permission' // 403: the key may not use this model/feature
  | 'rate-limited' // 429, after the provider's own submit retries
  | 'unavailable' // 503 or a documented refusal code (maintenance) in the provider's own answer: nothing was created
  | 'unreachable' // the connection was never made, or the request was refused locally before sending: nothing was sent
  | 'unsupported' // capability mismatch found locally (model, aspect ratio, resolution...): nothing was sent

/** One provider a failover client skipped before another one accepted the task (or all failed). */
export interface FailoverSkip {
  provider: ProviderId
  skipped: true
  reason: FailoverReason
  /** The error's class name (`AuthenticationError`, `UnsupportedOptionError`...). */
  error: string
  code?: string
  status?: number
  message: string
}

export interface Submission {
  taskId: string
  provider: ProviderId
  model: string
  warnings: Warning[]
  /** Seconds the provider expects, when it says at submission. */
  estimatedSeconds?: number
  /**
   * The finished task, when the provider is synchronous (`provider.synchronous`): its answer was the result,
   * so there is nothing to poll and `wait()` turns this into the result.
   */
  task?: Task
  raw: unknown
}

export interface WaitOptions {
  signal?: AbortSignal
  /** Give up waiting after this long (the task keeps running at the provider). Default 10 minutes. */
  timeoutMs?: number
  /** Called whenever status or progress changes. */
  onProgress?: (task: Task) => void
}

export interface GenerateOptions extends GenerateRequest, WaitOptions {
  /** Called once the provider accepted the task, before the first poll: keep the id to resume. */
  onSubmitted?: (submission: Submission) => void
}

export interface SubmitOptions {
  signal?: AbortSignal
}
