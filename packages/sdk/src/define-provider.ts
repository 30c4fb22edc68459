// Builds a provider's adapter from its spec-derived meta plus the little a spec cannot say. Everything
// every adapter needs and the meta states (id, names, env keys, result lifetime, callback support,
// capability tables, where each option goes and how its values are spelled, where the task id goes,
// the status words) comes from `meta`; the definition adds request quirks, answer readers and error tables.
import { createProviderClient, type Client, type OptionName, type OnHeaders, type ClientMeta } from '@nano-banana/runtime'
import type { CallResult, ModelCapabilities, ProviderAdapter } from './adapter.js'
import { buildError, compact, guard, missingTaskId, notATask, notSentWarnings, sends, type ErrorFields, type ErrorTables } from './adapter-kit.js'
import { InvalidRequestError, type NanoBananaError } from './errors.js'
import { checkOperationMeta, operationOf } from './operation.js'
import { checkStatusWords, isRecord, statusReader } from './parse.js'
import type { AspectRatio, GenerateRequest, OutputFormat, ProviderId, Resolution, Task, TaskStatus } from './types.js'

type NotSentOption = 'resolution' | 'outputFormat' | 'n'

/**
 * Values for a capability the spec leaves open (a field without an enum, an undocumented limit). Each
 * is a marked guess: `defineProvider` refuses one that restates or contradicts what the spec states.
 */
export interface CapabilityFallback {
  aspectRatios?: readonly AspectRatio[]
  resolutions?: readonly Resolution[]
  outputFormats?: readonly OutputFormat[]
  maxImages?: number
  maxN?: number
  maxPromptLength?: number
  /** Options the spec gives a field for none of, which the definition consumes another way (or ignores with a warning). */
  notSent?: readonly NotSentOption[]
  family?: string
  /** Why the values are what they are (shown in the capability source). */
  why?: string
}

/** A model the unified client offers when the spec has one schema for several (its `*` entry). */
export interface OfferedModel extends CapabilityFallback {
  family: string
}

/** Reads a provider's answers; `kit` carries the meta-derived pieces (status words, error building). */
export interface ReaderKit {
  id: ProviderId
  /** The normalized status of a word, from `meta.statusWords`; an unknown word throws ResponseFormatError. */
  status(word: unknown, body: unknown): TaskStatus
  /** The normalized error of an error answer (or of a failure inside a 2xx body). */
  error(status: number, body: unknown, headers: Headers | undefined): NanoBananaError
  missingTaskId(body: unknown, response?: Response): NanoBananaError
  notATask(body: unknown, what: string): NanoBananaError
}

/** Builds one request body: spec-driven placement, plus whatever the definition adds. */
export interface Wire<Body> {
  /** The body with `model`, and every option the request sets, at the field the model's spec branch names, spelled as the spec spells it. */
  place(options?: { skip?: readonly OptionName[] }): Body
}

/** An operation (operation.ts, a generated function such as `createImageTask`, or a wrapper), called with the runtime client. */
// biome-ignore lint/suspicious/noExplicitAny: generated operations differ in their option types; see callOperation.
type Operation = (options: any) => Promise<CallResult>

/** What a submit knew that its answer may not repeat (the model, where the path carries it). */
export interface SubmitContext {
  model: string
}

export interface ProviderDefinition<Body extends object = object> {
  meta: ClientMeta & { readonly id: ProviderId }
  /**
   * Operations in place of the meta's (each one defaults to the meta's method and path, called through the runtime
   * client: see operation.ts): a generated function, or a wrapper of one. `createWithImages` is the spec's
   * `x-images-operation` (used when the request has reference images); `cancel` is `cancelImageTask`.
   */
  operations?: {
    create?: (options: { client: Client; body: Body; signal?: AbortSignal; onHeaders?: OnHeaders }) => Promise<CallResult>
    get?: Operation
    createWithImages?: Operation
    cancel?: Operation
  }
  /** Models offered when the spec has one schema (`*`) for all of them; otherwise the spec's models are offered. */
  models?: Readonly<Record<string, OfferedModel>>
  /** A model id outside the spec's models that names a variant of one (see ProviderAdapter.resolveModel). */
  resolveModel?(modelId: string, models: Readonly<Record<string, ModelCapabilities>>): ModelCapabilities | undefined
  /** Per model id: values for what the spec leaves open. */
  fallbacks?: Readonly<Record<string, CapabilityFallback>>
  /** The request body; default `wire.place()`. `providerOptions` are merged afterwards, into the object holding the prompt. */
  toBody?(request: GenerateRequest, model: ModelCapabilities, wire: Wire<Body>): Body
  /**
   * Reads the task id of a create answer (a 2xx body). Optional for a synchronous provider, whose answer is the
   * final task: by default it is read with `readTask`.
   */
  readSubmit?(
    data: unknown,
    response: Response,
    kit: ReaderKit,
    context: SubmitContext,
  ): { taskId: string; estimatedSeconds?: number; task?: Task } | NanoBananaError
  /** Reads a query answer or a callback body. */
  readTask(data: unknown, response: Response | undefined, kit: ReaderKit): Task | NanoBananaError
  /** What an error answer says; `status` replaces the HTTP status when the body carries a code with a documented meaning. */
  readError(status: number, body: unknown): ErrorFields & { status?: number }
  errors?: ErrorTables
  /** The schema callback bodies follow when the spec documents no callback (`meta.callback.payloadSchema` otherwise). */
  callbackComponent?: string
  /** Reads a 2xx cancel answer that carries the task: false when it had already ended (default: accepted means canceled). */
  readCancel?(data: unknown, response: Response, kit: ReaderKit): boolean | NanoBananaError
  /** Reference images must be sent as bytes (the client turns each URL into a `data:` URL first, see inline-images.ts). */
  inlineReferenceImages?: boolean
}

/** The capability lists and the option each one is the values of. */
const LISTS = { aspectRatios: 'aspectRatio', resolutions: 'resolution', outputFormats: 'outputFormat' } as const
const KEYS = [...(Object.keys(LISTS) as (keyof typeof LISTS)[]), 'maxImages', 'maxN', 'maxPromptLength'] as const

/**
 * What `defineProvider` refuses in one model's fallback: a value the spec states already (never a second copy of a
 * stated value), or a capability neither states. Not run when a built-in adapter loads: the test suite runs
 * it over every built-in definition (test/spec-driven.test.ts), so a page does not carry it.
 */
export function checkCapabilities(meta: ClientMeta, specKey: string, id: string, fallback: CapabilityFallback = {}): void {
  const fail = (message: string) => new Error(`defineProvider(${meta.id}): model ${id}: ${message}`)
  const spec = meta.models[specKey]
  if (!spec) throw fail(`the spec has no model ${specKey}`)
  const stated = spec.capabilities
  for (const key of KEYS)
    if (stated[key] !== undefined && fallback[key] !== undefined) throw fail(`a fallback for ${key} restates the spec's ${JSON.stringify(stated[key])}`)
  for (const option of fallback.notSent ?? [])
    if (stated.fields[option] !== undefined) throw fail(`notSent ${option}: the spec gives it the field ${stated.fields[option]}`)
  if (fallback.family !== undefined && spec.family !== undefined) throw fail(`a fallback family restates the spec's ${spec.family}`)
  if (spec.family === undefined && fallback.family === undefined) throw fail('the spec states no family; supply a fallback')
  for (const key of KEYS) {
    const option = (LISTS as Record<string, OptionName>)[key]
    // A list without a field is an option that cannot be chosen (capabilitiesOf makes it an empty list).
    if (stated[key] === undefined && fallback[key] === undefined && !(option && stated.fields[option] === undefined))
      throw fail(option ? `the spec gives ${key} a field without values; supply a fallback` : `the spec states no ${key}; supply a fallback`)
  }
}

/** One model's capability table: the spec's statement where there is one, the definition's fallback where not (checkCapabilities refuses a pair that does not fit). */
export function capabilitiesOf(meta: ClientMeta, specKey: string, id: string, fallback: CapabilityFallback = {}): ModelCapabilities {
  const spec = meta.models[specKey]!
  const stated = spec.capabilities
  const capabilities = { id, family: spec.family ?? fallback.family } as Record<string, unknown>
  const filled: string[] = []
  for (const key of KEYS) {
    const option = (LISTS as Record<string, OptionName>)[key]
    if (stated[key] === undefined && fallback[key] !== undefined) filled.push(key)
    // A list without a field and without a documented value: the option cannot be chosen (an empty list).
    capabilities[key] = stated[key] ?? fallback[key] ?? (option && stated.fields[option] === undefined ? [] : undefined)
  }
  capabilities.fields = stated.fields
  capabilities.source = filled.length ? `spec; not stated there, filled in: ${filled.join(', ')}${fallback.why ? ` (${fallback.why})` : ''}` : 'spec'
  const model = capabilities as unknown as ModelCapabilities
  // An option without a field is harmless (a warning) only when its one value is known; with no value
  // at all the capability list is empty and validation refuses it.
  const fixed = { resolution: model.resolutions.length, outputFormat: model.outputFormats.length, n: model.maxN }
  const notSent = [...new Set([...stated.notSent, ...(fallback.notSent ?? [])])].filter((option) => fixed[option] > 0)
  if (notSent.length) capabilities.notSent = notSent
  if (spec.typicalSeconds !== undefined) capabilities.typicalSeconds = spec.typicalSeconds
  if (stated.values !== undefined) capabilities.values = stated.values
  return model
}

/** The object a dotted path's last key lives in (`input` for `input.prompt`, the body for `prompt`), created on the way. */
function holderOf(target: Record<string, unknown>, path: string): Record<string, unknown> {
  let node = target
  // Most fields are top-level (`prompt`): no split.
  if (path.includes('.'))
    for (const key of path.split('.').slice(0, -1)) {
      if (!isRecord(node[key])) node[key] = {}
      node = node[key] as Record<string, unknown>
    }
  return node
}

/** Sets a dotted path (`input.aspect_ratio`) in a plain object tree, creating the objects on the way. */
const put = (target: Record<string, unknown>, path: string, value: unknown): void => {
  holderOf(target, path)[path.slice(path.lastIndexOf('.') + 1)] = value
}

/** How the model's spec branch spells an option's value (the meta's spelling otherwise, else as it is). */
const spell = (meta: ClientMeta, model: ModelCapabilities, option: OptionName, value: string) =>
  (model.values?.[option] ?? meta.options[option]?.values)?.[value] ?? value

/** Puts one set option at its field in the model's spec branch (none, or skipped: not placed). */
function place(body: Record<string, unknown>, model: ModelCapabilities, skip: readonly OptionName[], option: OptionName, value: unknown): void {
  if (value === undefined) return
  const field = model.fields?.[option]
  if (field !== undefined && !skip.includes(option)) put(body, field, value)
}

/** No option skipped: one shared list, not one per request. */
const NO_SKIP: readonly OptionName[] = []

/** Places the request's options where the model's spec branch wants them, spelled the spec's way. */
function placeOptions(meta: ClientMeta, request: GenerateRequest, model: ModelCapabilities, skip: readonly OptionName[] = NO_SKIP): Record<string, unknown> {
  const body: Record<string, unknown> = { model: model.id }
  // Placed in this order, one option at a time (no table of values to build and walk, no closure per request).
  place(body, model, skip, 'prompt', request.prompt)
  if (request.aspectRatio !== undefined) place(body, model, skip, 'aspectRatio', spell(meta, model, 'aspectRatio', request.aspectRatio))
  if (request.resolution !== undefined && sends(model, 'resolution')) place(body, model, skip, 'resolution', spell(meta, model, 'resolution', request.resolution))
  if (request.outputFormat !== undefined && sends(model, 'outputFormat'))
    place(body, model, skip, 'outputFormat', spell(meta, model, 'outputFormat', request.outputFormat))
  if (request.images?.length) place(body, model, skip, 'images', request.images)
  if (request.n !== undefined && sends(model, 'n')) place(body, model, skip, 'n', request.n)
  place(body, model, skip, 'callbackUrl', request.callbackUrl)
  return body
}

/**
 * Calls an operation with the task id where the spec puts it (`meta.operations.get.taskId`).
 * The generated option types differ per provider (`path: { task_id }`, `query: { task_id }`); the place
 * and name come from the same spec, so the shape matches by construction.
 */
function callOperation(
  operation: Operation,
  client: Client,
  where: { in: 'path' | 'query'; name: string; parts?: readonly string[] },
  taskId: string,
  signal?: AbortSignal,
  onHeaders?: OnHeaders,
) {
  return operation({ client, [where.in]: taskIdValues(where, taskId), signal, onHeaders })
}

/**
 * The parameter values of a task id. With `parts` (`x-task-id`) the id is those path parameters joined by
 * `/`: the last part takes the rest, and an id with too few parts is refused before any request.
 */
function taskIdValues(where: { name: string; parts?: readonly string[] }, taskId: string): Record<string, string> {
  if (!where.parts) return { [where.name]: taskId }
  const pieces = taskId.split('/')
  const head = where.parts.slice(0, -1)
  const last = pieces.slice(head.length).join('/')
  if (pieces.length < where.parts.length || pieces.some((piece) => piece === '') || !last) {
    throw new InvalidRequestError(`not a task id of this provider: expected ${where.parts.map((part) => `{${part}}`).join('/')}`, { param: 'taskId' })
  }
  return Object.fromEntries([...head.map((name, i) => [name, pieces[i]!]), [where.parts.at(-1)!, last]])
}

/** True when the body has reference images at the model's `images` field. */
function hasImages(body: Record<string, unknown>, model: ModelCapabilities | undefined): boolean {
  const path = model?.fields?.images
  if (!path) return false
  const value = path.split('.').reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), body)
  return Array.isArray(value) ? value.length > 0 : value !== undefined
}

/** The model each submit answer was for (a provider whose answer does not repeat it). */
const submittedModels = new WeakMap<Response, string>()

/** The models a definition offers: `[model id, spec key, fallback]` (its own models on the spec's `*` entry, else the spec's). */
function offeredModels(definition: Pick<ProviderDefinition, 'meta' | 'models' | 'fallbacks'>): [string, string, CapabilityFallback][] {
  const { meta } = definition
  return definition.models
    ? Object.entries(definition.models).map(([modelId, model]) => [modelId, '*', model])
    : Object.keys(meta.models).map((modelId) => [modelId, modelId, definition.fallbacks?.[modelId] ?? {}])
}

/**
 * Everything `defineProvider` refuses in a definition (Error, naming the provider): a definition that does not fit its
 * spec (a missing reader or query operation, an operation of the meta it cannot call, an ambiguous status table, a
 * fallback for no model of the spec or one that restates it, an alias or default model that is not offered, a callback
 * schema stated twice). Only `defineProvider` runs it: the built-in
 * definitions are checked by the test suite instead (test/spec-driven.test.ts), so a page does not carry the checks.
 */
export function checkDefinition<Body extends object>(definition: ProviderDefinition<Body>): void {
  const { meta } = definition
  const fail = (message: string) => new Error(`defineProvider(${meta.id}): ${message}`)
  const synchronous = meta.synchronous === true
  const get = definition.operations?.get ?? meta.operations.get
  if (!synchronous && (!meta.operations.get?.taskId || !get)) throw fail("the spec's getImageTask names no task id parameter")
  if (synchronous && get) throw fail('a synchronous provider has no query operation')
  if (!synchronous && !definition.readSubmit) throw fail('a task API needs readSubmit')
  for (const key of ['create', 'get', 'createWithImages', 'cancel'] as const) if (!definition.operations?.[key]) checkOperationMeta(meta, key)
  checkStatusWords(meta.id, meta.statusWords ?? {})
  for (const key of Object.keys(definition.fallbacks ?? {})) {
    if (definition.models || !Object.hasOwn(meta.models, key)) throw fail(`a fallback for ${key}, which is no model of the spec`)
  }
  const offered = offeredModels(definition)
  for (const [modelId, specKey, fallback] of offered) checkCapabilities(meta, specKey, modelId, fallback)
  const ids = new Set(offered.map(([modelId]) => modelId))
  for (const [alias, target] of Object.entries(meta.modelAliases ?? {})) {
    if (!ids.has(target)) throw fail(`the alias ${alias} names ${target}, which is not offered`)
    ids.add(alias)
  }
  if (!ids.has(meta.defaultModel)) throw fail(`the default model ${meta.defaultModel} is not offered`)
  if (definition.callbackComponent !== undefined && meta.callback?.payloadSchema !== undefined) {
    throw fail(`callbackComponent restates the spec's ${meta.callback.payloadSchema}`)
  }
}

/** The adapter of one provider: meta-derived facts plus the definition's request quirks and readers. The definition is checked first (checkDefinition). */
export function defineProvider<Body extends object>(definition: ProviderDefinition<Body>): ProviderAdapter & { meta: ClientMeta } {
  checkDefinition(definition)
  return defineBuiltInProvider(definition)
}

/**
 * defineProvider without checkDefinition: for the built-in definitions only, which the test suite checks (each
 * provider module exports its `definition`), so that a bundle of every provider carries no definition checks.
 */
export function defineBuiltInProvider<Body extends object>(definition: ProviderDefinition<Body>): ProviderAdapter & { meta: ClientMeta } {
  const { meta } = definition
  const id = meta.id
  const tables = definition.errors ?? {}
  const synchronous = meta.synchronous === true
  // The definition's operations, else the meta's (a generated meta states each one's method and path).
  const given = definition.operations ?? {}
  const create = (given.create as Operation | undefined) ?? operationOf(meta, 'create')!
  const get = given.get ?? operationOf(meta, 'get')
  const createWithImages = given.createWithImages ?? operationOf(meta, 'createWithImages')
  const cancel = given.cancel ?? operationOf(meta, 'cancel')
  const taskIdAt = meta.operations.get?.taskId
  const readSubmit: NonNullable<ProviderDefinition['readSubmit']> =
    definition.readSubmit ??
    ((data, response, kit) => {
      const task = definition.readTask(data, response, kit)
      return task instanceof Error ? task : { taskId: task.taskId, task }
    })

  const models: Record<string, ModelCapabilities> = Object.fromEntries(
    offeredModels(definition).map(([modelId, specKey, fallback]) => [modelId, capabilitiesOf(meta, specKey, modelId, fallback)]),
  )
  // Renamed or preview ids the spec lists as aliases: the same capabilities under the alias.
  for (const [alias, target] of Object.entries(meta.modelAliases ?? {})) {
    const capabilities = models[target]!
    models[alias] = { ...capabilities, id: alias, source: `${capabilities.source ?? 'spec'}; alias of ${target} (x-model-aliases)` }
  }

  function parseError(status: number, body: unknown, headers: Headers | undefined): NanoBananaError {
    const fields = definition.readError(status, body)
    return buildError(id, fields.status ?? status, headers, body, fields, tables)
  }

  const kit: ReaderKit = {
    id,
    status: statusReader(id, meta.statusWords ?? {}),
    error: parseError,
    missingTaskId: (body, response) => missingTaskId(id, body, response),
    notATask: (body, what) => notATask(id, body, what),
  }

  // Read once per provider, not per request: where the model and a query callback go.
  const modelPath = meta.operations.create.modelPath
  const queryField = meta.callback?.in === 'query' ? meta.callback.field : undefined
  const provider = { id, name: meta.name, defaultBaseUrl: meta.defaultBaseUrl ?? undefined, authPrefix: meta.auth.prefix }
  const adapter: ProviderAdapter & { meta: ClientMeta } = {
    id,
    name: meta.name,
    meta,
    envKey: meta.envKey,
    baseUrlEnvKey: meta.baseUrlEnvKey,
    defaultModel: meta.defaultModel,
    models,
    supportsCallback: meta.callback !== undefined,
    // Only the flags that are set: an adapter prints and compares without `undefined` keys.
    ...compact({
      resultTtlSeconds: meta.resultTtlSeconds,
      synchronous: synchronous || undefined,
      repeatForN: meta.operations.create.repeatForN || undefined,
      inlineReferenceImages: definition.inlineReferenceImages || undefined,
      callbackComponent: definition.callbackComponent,
      resolveModel: definition.resolveModel && ((modelId: string) => definition.resolveModel?.(modelId, models)),
    }),
    createClient: (options) => createProviderClient(provider, options),

    toRequestBody(request, model) {
      // The values were checked against the same spec's capability lists before: the placed body is a Body.
      const body = (
        definition.toBody
          ? definition.toBody(request, model, { place: (options) => placeOptions(meta, request, model, options?.skip) as Body })
          : placeOptions(meta, request, model)
      ) as Body & Record<string, unknown>
      // A callback URL that travels in the query (`{$request.query.<name>}`) rides along under that name; submit moves it.
      if (queryField && request.callbackUrl !== undefined) (body as Record<string, unknown>)[queryField] = request.callbackUrl
      if (request.providerOptions) {
        const promptField = model.fields?.prompt ?? 'prompt'
        // Validated fields win: a key the body already has is kept (validateRequest refuses the mapped ones).
        const holder = holderOf(body, promptField)
        for (const [key, value] of Object.entries(request.providerOptions)) if (!Object.hasOwn(holder, key) && key !== '__proto__') holder[key] = value
      }
      return { body, warnings: notSentWarnings(request, model) }
    },

    // Without a model in the path or a query callback the body goes as it is: no async step of its own.
    submit:
      !modelPath && !queryField
        ? (client, body, signal, onHeaders) => create({ client, body, signal, onHeaders })
        : async (client, body, signal, onHeaders) => {
            // `x-model-in-path`: the model id becomes the path parameters; a query callback (`{$request.query.x}`) leaves the body.
            const { model, ...rest } = body as Record<string, unknown> & { model?: unknown }
            const wire: Record<string, unknown> = modelPath ? rest : { model, ...rest }
            const query: Record<string, unknown> = {}
            if (queryField !== undefined && wire[queryField] !== undefined) {
              query[queryField] = wire[queryField]
              delete wire[queryField]
            }
            const pieces = String(model).split('/')
            if (modelPath && (pieces.length !== modelPath.length || pieces.some((piece) => piece === ''))) {
              throw new InvalidRequestError(`${id}: model ${String(model)} is not of the form ${modelPath.map((part) => `{${part}}`).join('/')}`, { param: 'model' })
            }
            const withImages = createWithImages && hasImages(wire, models[String(model)])
            const options = {
              client,
              body: wire,
              ...(modelPath ? { path: Object.fromEntries(modelPath.map((name, i) => [name, pieces[i]])) } : {}),
              ...(Object.keys(query).length ? { query } : {}),
              signal,
              onHeaders,
            }
            const result = await (withImages ? createWithImages(options) : create(options))
            submittedModels.set(result.response, String(model))
            return result
          },
    ...(get && taskIdAt
      ? { query: (client: Client, taskId: string, signal?: AbortSignal, onHeaders?: OnHeaders) => callOperation(get, client, taskIdAt, taskId, signal, onHeaders) }
      : {}),
    ...(cancel && meta.operations.cancel?.taskId
      ? {
          cancel: (client: Client, taskId: string, signal?: AbortSignal, onHeaders?: OnHeaders) =>
            callOperation(cancel, client, meta.operations.cancel!.taskId!, taskId, signal, onHeaders),
        }
      : {}),

    parseSubmit: (data, response) => guard(id, data, () => readSubmit(data, response, kit, { model: submittedModels.get(response) ?? meta.defaultModel })),
    parseTask: (data, response) => guard(id, data, () => definition.readTask(data, response, kit)),
    parseError: (status, body, headers) => guard(id, body, () => parseError(status, body, headers)),
  }
  const readCancel = definition.readCancel
  if (adapter.cancel && readCancel) adapter.parseCancel = (data, response) => guard(id, data, () => readCancel(data, response, kit))
  return adapter
}
