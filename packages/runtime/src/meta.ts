// The shape of the provider facts codegen reads from a spec (packages/<id>/src/generated/meta.gen.ts).
// It lives in the runtime because every generated package exports its meta and the runtime is the one
// package they all share; nothing here knows a provider.

/** Normalized task status (the unified client's vocabulary). */
export type NormalizedStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled'

/** What a spec states about one request field. */
export interface FieldMeta {
  readonly type?: string | readonly string[]
  readonly enum?: readonly unknown[]
  readonly const?: unknown
  readonly default?: unknown
  readonly minLength?: number
  readonly maxLength?: number
  readonly minItems?: number
  readonly maxItems?: number
  readonly minimum?: number
  readonly maximum?: number
  readonly pattern?: string
  readonly format?: string
  readonly items?: Omit<FieldMeta, 'items' | 'required' | 'unverified'>
  readonly required?: boolean
  readonly unverified?: boolean
}

/** A normalized option of the unified client's request. */
export type OptionName = 'prompt' | 'aspectRatio' | 'resolution' | 'outputFormat' | 'images' | 'n' | 'callbackUrl'

/** `x-options`: the request fields that carry an option (a model uses the first one its branch has), and wire spellings. */
export interface OptionMeta {
  readonly fields: readonly string[]
  /** Normalized value -> wire value where they differ (`jpeg` -> `jpg`). */
  readonly values?: Readonly<Record<string, string>>
}

/** What one model accepts, as far as its request branch states it; a limit the spec leaves open is absent. */
export interface CapabilitiesMeta {
  /** Option -> the dotted request field this model uses for it. */
  readonly fields: Readonly<Partial<Record<OptionName, string>>>
  /** Options the model has no field for (their one value, when documented, is in the list below). */
  readonly notSent: readonly ('resolution' | 'outputFormat' | 'n')[]
  readonly aspectRatios?: readonly string[]
  readonly resolutions?: readonly string[]
  readonly outputFormats?: readonly string[]
  readonly maxImages?: number
  readonly maxN?: number
  readonly maxPromptLength?: number
  /**
   * Option -> normalized value -> wire value for this model, where its own field spells values otherwise than
   * `OptionMeta.values` (its enum has the normalized spelling): replaces the document's map for this model.
   */
  readonly values?: Readonly<Partial<Record<OptionName, Readonly<Record<string, string>>>>>
}

export interface ModelMeta {
  /** Request fields by dotted path (`prompt`, `input.aspect_ratio`). */
  readonly fields: Readonly<Record<string, FieldMeta>>
  readonly capabilities: CapabilitiesMeta
  /** `x-model-family` of the request branch (e.g. "Nano Banana 2"). */
  readonly family?: string
  readonly unverified?: boolean
  /** `x-typical-duration-seconds`: what a task of this model typically takes, documented or measured (the first poll's prior). */
  readonly typicalSeconds?: number
}

export interface OperationMeta {
  readonly operationId: string
  readonly method: string
  /** The spec's path template, relative to the base URL (`/v1/tasks/{task_id}`). */
  readonly path: string
  /**
   * Where the task id goes, for operations on one task. With `parts` (`x-task-id`), the task id is the values
   * of these path parameters joined by `/` (e.g. `{owner}/{app}/{request_id}`), and `name` is the last one.
   */
  readonly taskId?: { readonly in: 'path' | 'query'; readonly name: string; readonly parts?: readonly string[] }
  /** `x-model-in-path`: the model id is these path parameters joined by `/`, and the body carries no `model`. */
  readonly modelPath?: readonly string[]
  /** The operation's own server, when it is not the document's (an absolute URL: the path is below it). */
  readonly server?: string
  /** `x-images-operation`: the operation a request with reference images is sent to instead. */
  readonly imagesOperation?: string
  /** The component schema of the JSON request body (`CreateImageTaskRequest`), when the spec refers to one. */
  readonly requestSchema?: string
  readonly unverified?: boolean
  /** `x-synchronous`: the answer is the result itself (no task to poll). */
  readonly synchronous?: boolean
  /** `x-repeat-for-n`: the API returns one image per request, so `n` images are `n` requests. */
  readonly repeatForN?: boolean
}

export interface ProviderMeta {
  readonly id: string
  readonly name: string
  /** First environment variable read for the key; `envKeys` lists every accepted name. */
  readonly envKey: string
  readonly envKeys: readonly string[]
  readonly baseUrlEnvKey: string
  /** The spec's server; undefined when the provider publishes no host (`x-base-url-required`). */
  readonly defaultBaseUrl: string | null
  readonly baseUrlRequired: boolean
  /** How the key travels: a header (or query parameter) name and the prefix before the key. */
  readonly auth: { readonly scheme: string; readonly in: string; readonly name: string; readonly prefix: string }
  readonly operations: {
    readonly create: OperationMeta
    /** Absent on a synchronous provider (`synchronous: true`): there is nothing to poll. */
    readonly get?: OperationMeta
    readonly credits?: OperationMeta
    readonly cancel?: OperationMeta
    /** `getImageTaskResult`: where the output of an ended task is read when the query answer carries only its status. */
    readonly result?: OperationMeta
  }
  /** The spec's operations outside `operations` (e.g. synchronous endpoints), in document order. */
  readonly otherOperations?: readonly OperationMeta[]
  /** True when the create operation is synchronous (`x-synchronous`): its answer carries the images, no task id to poll. */
  readonly synchronous?: boolean
  /** `x-model-aliases`: model ids the provider also accepts for a model (renamed or preview ids) -> that model. */
  readonly modelAliases?: Readonly<Record<string, string>>
  /** `x-reference-data-urls`: the reference image field takes `data:image/...;base64,` URLs as well as http(s) URLs. */
  readonly referenceDataUrls?: boolean
  /** Every status word the provider sends (`x-normalized-status`) and what it means. */
  readonly statusWords: Readonly<Record<string, NormalizedStatus>>
  readonly defaultModel: string
  readonly options: Readonly<Partial<Record<OptionName, OptionMeta>>>
  /** Request facts per model (the discriminator's mapping), or one `*` entry when one schema serves every model. */
  readonly models: Readonly<Record<string, ModelMeta>>
  /** How long result URLs live (`x-result-url-ttl-seconds`), when documented. */
  readonly resultTtlSeconds?: number
  /** Present when the provider documents callbacks. */
  readonly callback?: {
    /** Dotted path of the request field that carries the callback URL (a query parameter's name when `in` is `query`). */
    readonly field?: string | undefined
    /** `query` when the callback URL travels as a query parameter of the create request (`{$request.query.<name>}`). */
    readonly in?: 'query'
    /** Delay before each retry after a failed delivery (specs/CONVENTIONS.md); the first delivery is immediate. */
    readonly retryDelaysSeconds: readonly number[]
    /** True when the spec states the schedule; otherwise `retryDelaysSeconds` is empty, which then means "not documented", not "never retried". */
    readonly retryScheduleDocumented?: boolean
    readonly payloadSchema?: string
    readonly operationId?: string
    readonly timeoutSeconds?: number
  }
}

/**
 * What the unified client reads of an operation: its method and path (it calls the runtime with them, so a bundle
 * of the unified client carries none of the generated functions), where the task id and the model go, and how it
 * answers. Method and path are optional for a hand-written meta, whose definition then passes its operations.
 */
export type ClientOperationMeta = Pick<OperationMeta, 'taskId' | 'modelPath' | 'synchronous' | 'repeatForN'> & Partial<Pick<OperationMeta, 'method' | 'path'>>

/**
 * The part of a provider's meta the unified client reads at run time (each package's `clientMeta`): no request
 * field facts per model (`ModelMeta.fields`), no `otherOperations`, no operation ids or request schemas, no auth
 * scheme name, no option
 * fields (each model's `capabilities.fields` says where its options go), no `baseUrlRequired` (`defaultBaseUrl` is null then), and of
 * the callback facts only where the callback URL goes and a delivery's schema; `envKeys` only where there is more than `envKey`. The whole meta is `meta` (`@nano-banana/<id>/meta`, `META` of the manifest).
 */
export interface ClientMeta
  extends Omit<ProviderMeta, 'models' | 'otherOperations' | 'auth' | 'operations' | 'options' | 'callback' | 'envKeys' | 'statusWords' | 'baseUrlRequired'> {
  /** Every accepted key variable, when there is more than `envKey`. */
  readonly envKeys?: ProviderMeta['envKeys']
  /** Absent on a synchronous provider (`synchronous: true`): there is no task to poll, and its definition reads its answers' end words itself. */
  readonly statusWords?: ProviderMeta['statusWords']
  /** The prefix before the key, and where the key goes (header or query parameter and its name; absent in a hand-written meta). */
  readonly auth: Pick<ProviderMeta['auth'], 'prefix'> & Partial<Pick<ProviderMeta['auth'], 'in' | 'name'>>
  readonly operations: {
    readonly create: ClientOperationMeta
    readonly get?: ClientOperationMeta
    readonly cancel?: ClientOperationMeta
    readonly result?: ClientOperationMeta
    /** The operation `create.imagesOperation` (`x-images-operation`) names: where a request with reference images goes. */
    readonly createWithImages?: ClientOperationMeta
  }
  readonly options: Readonly<Partial<Record<OptionName, Pick<OptionMeta, 'values'>>>>
  /** Where the callback URL goes, and the schema of a delivery (the callbacks entry reads it); the retry schedule is in the whole meta. */
  readonly callback?: Pick<NonNullable<ProviderMeta['callback']>, 'field' | 'in' | 'payloadSchema'>
  readonly models: Readonly<Record<string, Omit<ModelMeta, 'fields' | 'unverified'>>>
}

/**
 * What a client checks at construction, before a lazy provider's adapter loads (the `meta` of the sdk's generated `lazy/<id>`):
 * names, key and base-URL variables, the documented host and the default model; none of the model tables.
 */
export type ConnectMeta = Pick<ClientMeta, (typeof CONNECT_KEYS)[number]>

/** The keys of `ConnectMeta`, in the order codegen writes them (its copy is checked against this list by the sdk's shell tests). */
export const CONNECT_KEYS = ['id', 'name', 'envKey', 'envKeys', 'baseUrlEnvKey', 'defaultBaseUrl', 'defaultModel'] as const satisfies readonly (keyof ClientMeta)[]
