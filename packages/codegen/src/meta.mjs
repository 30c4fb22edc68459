// Reads the provider facts a spec states (specs/CONVENTIONS.md, "Metadata") into one plain object,
// and renders it as packages/<id>/src/generated/meta.gen.ts. Everything the unified client, the
// sandbox, the CLI and the tests know about a provider without its hand-written definition comes from
// here, so a spec edit reaches all of them through `pnpm generate`.
import { parse } from 'yaml'

const OPERATIONS = { create: 'createImageTask', get: 'getImageTask', credits: 'getCredits', cancel: 'cancelImageTask', result: 'getImageTaskResult' }
const NORMALIZED_STATUSES = new Set(['queued', 'running', 'succeeded', 'failed', 'canceled'])
const CONSTRAINTS = ['type', 'enum', 'const', 'default', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minimum', 'maximum', 'pattern', 'format']

function fail(id, message) {
  throw new Error(`specs/${id}.openapi.yaml: ${message}`)
}

/** Follows local `$ref`s (`#/components/...`). */
function deref(doc, node) {
  let current = node
  for (let depth = 0; current && typeof current === 'object' && typeof current.$ref === 'string'; depth++) {
    if (depth > 20) throw new Error(`$ref loop at ${current.$ref}`)
    const path = current.$ref.replace(/^#\//, '').split('/')
    current = path.reduce((value, key) => value?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
  }
  return current
}

/** The component a JSON request body refers to (`CreateImageTaskRequest`), when it is a `$ref`. */
function requestSchemaOf(doc, op) {
  const schema = deref(doc, op.requestBody)?.content?.['application/json']?.schema
  return typeof schema?.$ref === 'string' && schema.$ref.startsWith('#/components/schemas/') ? schema.$ref.split('/').pop() : undefined
}

function operationMeta(doc, operationId, found, withTaskId) {
  const op = { operationId, method: found.method, path: found.path }
  const taskId = withTaskId ? taskIdParameter(doc, found) : undefined
  if (taskId) op.taskId = taskId
  const requestSchema = requestSchemaOf(doc, found.op)
  if (requestSchema) op.requestSchema = requestSchema
  if (found.op['x-unverified']) op.unverified = true
  // An operation on another host than the document's server (e.g. a provider's public signing keys).
  const server = found.op.servers?.[0]?.url
  if (server) op.server = server
  const modelPath = found.op['x-model-in-path']
  if (modelPath !== undefined) op.modelPath = pathParameters(doc, found, modelPath, 'x-model-in-path')
  if (typeof found.op['x-images-operation'] === 'string') {
    if (!findOperation(doc, found.op['x-images-operation'])) throw new Error(`${operationId}: x-images-operation names no operation`)
    op.imagesOperation = found.op['x-images-operation']
  }
  // A synchronous API answers with the result itself: no task to poll (specs/CONVENTIONS.md).
  if (found.op['x-synchronous'] === true) op.synchronous = true
  if (found.op['x-repeat-for-n'] === true) op.repeatForN = true
  return op
}

/** The unified client calls the task operations itself and sends JSON bodies (`Content-Type: application/json`) only. */
function jsonBodyOnly(id, doc, found) {
  const content = deref(doc, found.op.requestBody)?.content
  if (content && !content['application/json'])
    fail(id, `${found.op.operationId}: the unified client sends JSON request bodies; this one is ${Object.keys(content).join(', ')}`)
}

function findOperation(doc, operationId) {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      if (op && typeof op === 'object' && op.operationId === operationId) return { path, method: method.toUpperCase(), op, item }
    }
  }
  return undefined
}

const parametersOf = (doc, found) => [...(found.item.parameters ?? []), ...(found.op.parameters ?? [])].map((p) => deref(doc, p))

/** A list of the operation's required path parameters (`x-model-in-path`, `x-task-id`), checked. */
function pathParameters(doc, found, names, extension) {
  const required = new Set(
    parametersOf(doc, found)
      .filter((p) => p.in === 'path' && p.required)
      .map((p) => p.name),
  )
  if (!Array.isArray(names) || !names.length || !names.every((name) => required.has(name))) {
    throw new Error(`${found.op.operationId}: ${extension} must list required path parameters of the operation`)
  }
  return [...names]
}

/**
 * Where the task id goes in a query: the one required path or query parameter of the operation, or, with
 * `x-task-id: [a, b, c]`, several path parameters whose values joined by `/` are the task id.
 */
function taskIdParameter(doc, found) {
  if (found.op['x-task-id'] !== undefined) {
    const parts = pathParameters(doc, found, found.op['x-task-id'], 'x-task-id')
    return { in: 'path', name: parts.at(-1), parts }
  }
  const params = parametersOf(doc, found)
  const candidates = params.filter((p) => (p.in === 'path' || p.in === 'query') && p.required)
  return candidates.length === 1 ? { in: candidates[0].in, name: candidates[0].name } : undefined
}

function authOf(id, doc) {
  const schemes = doc.components?.securitySchemes ?? {}
  const name = Object.keys(doc.security?.[0] ?? {})[0] ?? Object.keys(schemes)[0]
  const scheme = schemes[name]
  if (!scheme) fail(id, 'no security scheme')
  if (scheme.type === 'http' && String(scheme.scheme).toLowerCase() === 'bearer') return { scheme: name, in: 'header', name: 'authorization', prefix: 'Bearer ' }
  if (scheme.type === 'apiKey') {
    return { scheme: name, in: scheme.in, name: scheme.in === 'header' ? String(scheme.name).toLowerCase() : scheme.name, prefix: scheme['x-auth-prefix'] ?? '' }
  }
  fail(id, `unsupported security scheme ${name} (${scheme.type})`)
}

function baseUrlOf(doc) {
  const server = doc.servers?.[0]
  if (!server) return undefined
  return server.url.replace(/\{([^}]+)\}/g, (_, name) => server.variables?.[name]?.default ?? `{${name}}`)
}

/** One flat entry per request field (`input.aspect_ratio`), with the constraints the spec states. */
function fieldsOf(doc, schema, prefix = '', seen = new Set()) {
  const node = deref(doc, schema)
  const out = {}
  if (!node || typeof node !== 'object' || seen.has(node)) return out
  seen.add(node)
  for (const [name, raw] of Object.entries(node.properties ?? {})) {
    const prop = deref(doc, raw)
    const path = prefix + name
    if (prop?.type === 'object' && prop.properties) {
      Object.assign(out, fieldsOf(doc, prop, `${path}.`, seen))
      continue
    }
    const field = {}
    for (const key of CONSTRAINTS) if (prop?.[key] !== undefined) field[key] = prop[key]
    const items = prop?.items ? deref(doc, prop.items) : undefined
    if (items) {
      const itemFacts = {}
      for (const key of CONSTRAINTS) if (items[key] !== undefined) itemFacts[key] = items[key]
      if (Object.keys(itemFacts).length) field.items = itemFacts
    }
    if ((node.required ?? []).includes(name)) field.required = true
    if (prop?.['x-unverified']) field.unverified = true
    out[path] = field
  }
  return out
}

const OPTIONS = ['prompt', 'aspectRatio', 'resolution', 'outputFormat', 'images', 'n', 'callbackUrl']

/** `x-options`: which request fields carry each normalized option (first present field wins per model). */
function optionsOf(id, doc) {
  const raw = doc['x-options']
  if (!raw || typeof raw !== 'object') fail(id, 'no x-options at the document root (normalized option -> request fields)')
  const out = {}
  for (const [option, value] of Object.entries(raw)) {
    if (!OPTIONS.includes(option)) fail(id, `x-options: unknown option ${option}; one of ${OPTIONS.join(', ')}`)
    const entry = Array.isArray(value) ? { fields: value } : value
    if (!Array.isArray(entry?.fields) || !entry.fields.length) fail(id, `x-options.${option} needs a list of fields`)
    out[option] = entry.values ? { fields: entry.fields, values: entry.values } : { fields: entry.fields }
  }
  if (!out.prompt) fail(id, 'x-options needs prompt')
  return out
}

const invert = (values = {}) => Object.fromEntries(Object.entries(values).map(([normalized, wire]) => [wire, normalized]))

/**
 * What a model accepts, as far as its request branch states it. A limit the spec does not state is
 * left out (the definition may supply a marked guess); an option the branch has no field for is
 * `notSent`, with the value it always produces from `x-model-produces` when documented.
 */
function capabilitiesOf(fields, options, produces = {}, repeatForN = false) {
  const caps = { fields: {}, notSent: [] }
  for (const [option, { fields: candidates, values }] of Object.entries(options)) {
    const path = candidates.find((candidate) => Object.hasOwn(fields, candidate))
    if (path) caps.fields[option] = path
    const field = path ? fields[path] : undefined
    const fromWire = invert(values)
    const enumOf = (f) => (Array.isArray(f?.enum) ? f.enum.map((v) => fromWire[v] ?? v) : undefined)
    switch (option) {
      case 'prompt':
        if (field?.maxLength !== undefined) caps.maxPromptLength = field.maxLength
        break
      case 'aspectRatio':
        if (enumOf(field)) caps.aspectRatios = enumOf(field)
        break
      case 'images':
        if (field?.maxItems !== undefined) caps.maxImages = field.maxItems
        break
      case 'n':
        if (field?.maximum !== undefined) caps.maxN = field.maximum
        break
      case 'resolution':
      case 'outputFormat': {
        const key = option === 'resolution' ? 'resolutions' : 'outputFormats'
        if (field && enumOf(field)) caps[key] = enumOf(field)
        else if (!field && produces[option] !== undefined) caps[key] = [produces[option]]
        else if (!field && option === 'outputFormat') caps[key] = []
        if (!field) caps.notSent.push(option)
        break
      }
    }
  }
  // A produced value of an option the spec maps to no field at all (e.g. a tier carried by the model id).
  for (const [option, value] of Object.entries(produces)) {
    const key = option === 'resolution' ? 'resolutions' : option === 'outputFormat' ? 'outputFormats' : undefined
    if (key && caps[key] === undefined && !options[option]) {
      caps[key] = [value]
      caps.notSent.push(option)
    }
  }
  // A model whose own enum spells a value the normalized way (`jpeg` where `x-options` says `jpg`) sends it so:
  // its spelling map is the document's without those values (an empty map: every value as is).
  for (const [option, { values }] of Object.entries(options)) {
    const wire = fields[caps.fields[option]]?.enum
    if (!values || !Array.isArray(wire)) continue
    const asIs = Object.entries(values).filter(([normalized, spelled]) => wire.includes(normalized) && !wire.includes(spelled))
    if (!asIs.length) continue
    caps.values ??= {}
    caps.values[option] = Object.fromEntries(Object.entries(values).filter(([normalized]) => !asIs.some(([n]) => n === normalized)))
  }
  // `x-repeat-for-n`: n images are n requests, so n needs no field (its limit comes from `x-models`).
  if ((!options.n || !caps.fields.n) && !repeatForN) {
    caps.maxN = 1
    caps.notSent.push('n')
  }
  return caps
}

const LISTED_CAPABILITIES = ['aspectRatios', 'resolutions', 'outputFormats', 'maxImages', 'maxN', 'maxPromptLength']

function modelsOf(id, doc, repeatForN = false) {
  const request = doc.components?.schemas?.CreateImageTaskRequest
  if (!request) fail(id, 'no CreateImageTaskRequest schema')
  const mapping = request.discriminator?.mapping
  // One schema for every model: one entry per value of its `model` enum, or `*` when ids are open.
  const modelEnum = deref(doc, deref(doc, request).properties?.model)?.enum
  const single = '#/components/schemas/CreateImageTaskRequest'
  // `x-models` (one schema, several models or families): per-model values the shared schema cannot state.
  const listed = request['x-models']
  const entries = mapping
    ? Object.entries(mapping)
    : listed
      ? Object.keys(listed).map((model) => [model, single])
      : (modelEnum ?? ['*']).map((model) => [model, single])
  const options = optionsOf(id, doc)
  const models = {}
  for (const [model, ref] of entries) {
    const branch = deref(doc, { $ref: ref })
    if (!branch) fail(id, `discriminator target ${ref} missing`)
    const own = listed?.[model] ?? branch
    const fields = fieldsOf(doc, branch)
    // A model of a shared schema that always produces one value of an option has no use for its field.
    if (listed?.[model]) {
      for (const option of Object.keys(own['x-model-produces'] ?? {})) for (const path of options[option]?.fields ?? []) delete fields[path]
    }
    const capabilities = capabilitiesOf(fields, options, own['x-model-produces'], repeatForN)
    for (const key of LISTED_CAPABILITIES) if (listed?.[model]?.[key] !== undefined) capabilities[key] = listed[model][key]
    const entry = { fields, capabilities }
    if (own['x-model-family']) entry.family = own['x-model-family']
    if (own['x-unverified']) entry.unverified = true
    const typical = own['x-typical-duration-seconds']
    if (typical !== undefined) {
      if (typeof typical !== 'number' || !(typical > 0)) fail(id, `${model}: x-typical-duration-seconds must be a positive number of seconds`)
      entry.typicalSeconds = typical
    }
    models[model] = entry
  }
  return models
}

function statusWordsOf(id, doc, synchronous = false) {
  const schema = doc.components?.schemas?.TaskStatus
  // A synchronous answer may have no status word at all: a 2xx with images is the finished result.
  if (synchronous && !schema) return {}
  const map = schema?.['x-normalized-status']
  if (!map || typeof map !== 'object') fail(id, 'TaskStatus needs `x-normalized-status` (word -> queued|running|succeeded|failed|canceled)')
  for (const word of schema.enum ?? []) if (!Object.hasOwn(map, word)) fail(id, `TaskStatus word "${word}" has no x-normalized-status entry`)
  // The client reads status words case-insensitively: two words that differ only in case must mean the same.
  const byWord = new Map()
  for (const [word, status] of Object.entries(map)) {
    if (!NORMALIZED_STATUSES.has(status)) fail(id, `x-normalized-status maps "${word}" to unknown status "${status}"`)
    const key = word.toLowerCase()
    if (byWord.has(key) && byWord.get(key) !== status) fail(id, `x-normalized-status: the words ${key} differ only in case but mean different things`)
    byWord.set(key, status)
  }
  return { ...map }
}

function callbackOf(id, doc, create) {
  const callbacks = Object.values(create.op.callbacks ?? {})
  if (!callbacks.length) return undefined
  const expression = Object.keys(callbacks[0])[0]
  const post = callbacks[0][expression]?.post
  if (!post) fail(id, 'callback without a post operation')
  const schema = post.requestBody?.content?.['application/json']?.schema
  const component = typeof schema?.$ref === 'string' ? schema.$ref.split('/').pop() : undefined
  const query = /^\{\$request\.query\.([^}]+)\}$/.exec(expression)?.[1]
  const field = query ?? /#\/(.+)\}$/.exec(expression)?.[1]?.replace(/\//g, '.')
  const documented = Array.isArray(post['x-retry-schedule-seconds'])
  const out = { field, retryDelaysSeconds: documented ? post['x-retry-schedule-seconds'] : [], retryScheduleDocumented: documented }
  if (query) out.in = 'query'
  if (component) out.payloadSchema = component
  if (post.operationId) out.operationId = post.operationId
  if (post['x-timeout-seconds'] !== undefined) out.timeoutSeconds = post['x-timeout-seconds']
  return out
}

/** The provider facts of one spec document (already parsed). */
export function buildMeta(doc) {
  const id = doc['x-provider-id']
  if (!id || !/^[a-z][a-z0-9]*$/.test(id)) throw new Error(`spec needs x-provider-id (lowercase letters and digits), got ${JSON.stringify(id)}`)
  const upper = id.toUpperCase()
  const operations = {}
  for (const [key, operationId] of Object.entries(OPERATIONS)) {
    const found = findOperation(doc, operationId)
    if (!found) continue
    operations[key] = operationMeta(doc, operationId, found, key !== 'create' && key !== 'credits')
    if (key !== 'credits') jsonBodyOnly(id, doc, found)
  }
  const imagesOperation = operations.create?.imagesOperation
  if (imagesOperation) jsonBodyOnly(id, doc, findOperation(doc, imagesOperation))
  // Every other operation of the spec (e.g. a synchronous endpoint), so a server of the spec can route it too.
  const known = new Set(Object.values(OPERATIONS))
  const otherOperations = []
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      if (!op || typeof op !== 'object' || typeof op.operationId !== 'string' || known.has(op.operationId)) continue
      otherOperations.push(operationMeta(doc, op.operationId, { path, method: method.toUpperCase(), op, item }, false))
    }
  }
  if (!operations.create) fail(id, 'no createImageTask operation')
  const synchronous = operations.create.synchronous === true
  if (synchronous && operations.get) fail(id, 'a synchronous createImageTask (x-synchronous) has no getImageTask to poll')
  if (!synchronous && !operations.get?.taskId) fail(id, 'getImageTask needs exactly one required path or query parameter (the task id)')
  const envKeys = doc['x-env-api-key'] ? [doc['x-env-api-key']].flat() : [`${upper}_API_KEY`]
  const models = modelsOf(id, doc, operations.create.repeatForN === true)
  const defaultModel = doc['x-default-model']
  if (!defaultModel) fail(id, 'no x-default-model at the document root')
  if (!models['*'] && !Object.hasOwn(models, defaultModel)) fail(id, `x-default-model ${defaultModel} is not a model of CreateImageTaskRequest`)
  const meta = {
    id,
    name: doc['x-provider-name'] ?? doc.info?.title ?? id,
    envKey: envKeys[0],
    envKeys,
    baseUrlEnvKey: `${upper}_BASE_URL`,
    defaultBaseUrl: doc['x-base-url-required'] ? null : (baseUrlOf(doc) ?? null),
    baseUrlRequired: doc['x-base-url-required'] === true,
    auth: authOf(id, doc),
    operations,
    statusWords: statusWordsOf(id, doc, synchronous),
    defaultModel,
    options: optionsOf(id, doc),
    models,
  }
  if (otherOperations.length) meta.otherOperations = otherOperations
  if (synchronous) meta.synchronous = true
  const aliases = doc['x-model-aliases']
  if (aliases !== undefined) {
    if (!aliases || typeof aliases !== 'object') fail(id, 'x-model-aliases must map an alias id to a model id')
    for (const [alias, target] of Object.entries(aliases)) {
      if (!Object.hasOwn(models, target)) fail(id, `x-model-aliases: ${alias} -> ${target}, which is no model of CreateImageTaskRequest`)
      if (Object.hasOwn(models, alias)) fail(id, `x-model-aliases: ${alias} is a model of its own`)
    }
    meta.modelAliases = { ...aliases }
  }
  const dataUrls = doc['x-reference-data-urls']
  if (dataUrls !== undefined && typeof dataUrls !== 'boolean') fail(id, 'x-reference-data-urls must be true or false')
  if (dataUrls === true) meta.referenceDataUrls = true
  if (doc['x-result-url-ttl-seconds'] !== undefined) meta.resultTtlSeconds = doc['x-result-url-ttl-seconds']
  const callback = callbackOf(id, doc, findOperation(doc, OPERATIONS.create))
  if (callback) meta.callback = callback
  return meta
}

export function buildMetaFromYaml(text) {
  return buildMeta(parse(text))
}

const HEADER = '// This file is auto-generated by @nano-banana/codegen from specs/%SPEC%. Do not edit by hand; run `pnpm generate`.\n\n'

/** What the client reads of an operation: its method and path (it calls the runtime itself), where the task id and the model go, and how it answers. */
const CLIENT_OPERATION = ['method', 'path', 'taskId', 'modelPath', 'synchronous', 'repeatForN']
/** What the client and the callbacks entry read of the callback facts: where the callback URL goes, and the schema of a delivery (the sandbox and the docs read the rest). */
const CLIENT_CALLBACK = ['field', 'in', 'payloadSchema']
/** The operations the unified client calls or asks about (the balance query is the provider package's own). */
const CLIENT_OPERATIONS = ['create', 'get', 'cancel', 'result']

const pick = (value, keys) => Object.fromEntries(keys.filter((key) => value[key] !== undefined).map((key) => [key, value[key]]))

/**
 * What the unified client reads at run time (`ClientMeta`): the meta without each model's request field facts
 * (types, enums, limits, `unverified`), the operations outside the task flow (but the create with images), each operation's
 * id and request schema, the auth scheme's name (the client calls the runtime itself, with each operation's method and path and
 * the key where `auth` says: a bundle of the unified client carries none of the generated functions), the option fields (each model's `capabilities.fields` says where its options go; only the spellings stay), the callback facts
 * but where the callback URL goes and a delivery's schema (the retry schedule is read by the sandbox and the docs), `baseUrlRequired`
 * (`defaultBaseUrl` is null then), `envKeys` when it is only `envKey` and a synchronous provider's status words (there is no task to
 * poll: the definition reads its answers' end words itself). A browser bundle of every provider carries this part only.
 */
export function clientMetaOf(meta) {
  // Filtered in place, so that the keys the client keeps stay in the whole meta's order.
  const unread = (key) => (key === 'envKeys' && meta.envKeys.length === 1) || (key === 'statusWords' && meta.synchronous)
  const kept = Object.fromEntries(Object.entries(meta).filter(([key]) => !unread(key)))
  const { otherOperations: others, models, auth, operations, options, callback, baseUrlRequired: _required, ...rest } = kept
  const called = Object.fromEntries(CLIENT_OPERATIONS.filter((key) => operations[key]).map((key) => [key, operations[key]]))
  // `x-images-operation`: the operation a create with reference images is sent to (one of `otherOperations`).
  const images = operations.create.imagesOperation
  if (images) called.createWithImages = others?.find((op) => op.operationId === images)
  for (const [key, op] of Object.entries(called)) {
    // The unified client sends to the document's server only: an operation of its own host would need its own base URL.
    if (!op || op.server)
      throw new Error(`specs/${meta.id}.openapi.yaml: ${key}: the unified client cannot call ${op ? `an operation on its own server (${op.server})` : images}`)
  }
  return {
    ...rest,
    // Where the key goes (`Authorization: Bearer <key>` for a bearer scheme, the apiKey scheme's header or query parameter).
    auth: { prefix: auth.prefix, in: auth.in, name: auth.name },
    operations: Object.fromEntries(Object.entries(called).map(([key, op]) => [key, pick(op, CLIENT_OPERATION)])),
    options: Object.fromEntries(Object.entries(options).flatMap(([option, { values }]) => (values ? [[option, { values }]] : []))),
    ...(callback ? { callback: pick(callback, CLIENT_CALLBACK) } : {}),
    models: Object.fromEntries(Object.entries(models).map(([id, { fields: _fields, unverified: _unverified, ...model }]) => [id, model])),
  }
}

/**
 * What a provider package's client factory reads (the runtime's `ProviderDescription`): its own `const`, so a
 * bundle of that client alone carries these four facts and none of `clientMeta`'s model tables.
 */
export function providerOf(meta) {
  return { id: meta.id, name: meta.name, defaultBaseUrl: meta.defaultBaseUrl ?? undefined, authPrefix: meta.auth.prefix }
}

/** The runtime's `CONNECT_KEYS` (`ConnectMeta`): what a client checks before a lazy provider's adapter loads (codegen runs before the runtime is built; the sdk's shell tests check the generated lazy metas against that list). */
const CONNECT = ['id', 'name', 'envKey', 'envKeys', 'baseUrlEnvKey', 'defaultBaseUrl', 'defaultModel']

/** `clientMeta`'s construction facts (`envKeys` only where `clientMeta` has it): the up-front part of the sdk's `lazy/<id>`. */
export function connectMetaOf(meta) {
  const client = clientMetaOf(meta)
  return Object.fromEntries(CONNECT.filter((key) => Object.hasOwn(client, key)).map((key) => [key, client[key]]))
}

/** Shortest JSON text of a list or object worth naming once: a reference (`l3`) is two or three characters. */
const HOIST_MIN_LENGTH = 12

/**
 * Renders values as TypeScript literals where every list or object that occurs more than once (a model
 * table's aspect ratios, a `notSent` list, the same field map) is one `const` the literals refer to, so a
 * bundle carries it once. The shapes stay what `ClientMeta` / `ProviderMeta` say: readers see plain objects.
 */
function literalWriter(roots) {
  const counts = new Map()
  const count = (value) => {
    if (!value || typeof value !== 'object') return
    const key = JSON.stringify(value)
    counts.set(key, (counts.get(key) ?? 0) + 1)
    for (const child of Object.values(value)) count(child)
  }
  for (const root of roots) for (const child of Object.values(root)) count(child)
  const worth = (key) => counts.get(key) > 1 && key.length >= HOIST_MIN_LENGTH
  // References as written: a repeat inside a named value is that value's one copy, not a reference of its own.
  const references = new Map()
  const visit = (value) => {
    if (!value || typeof value !== 'object') return
    const key = JSON.stringify(value)
    if (worth(key)) {
      references.set(key, (references.get(key) ?? 0) + 1)
      if (references.get(key) > 1) return
    }
    for (const child of Object.values(value)) visit(child)
  }
  for (const root of roots) for (const child of Object.values(root)) visit(child)
  const names = new Map()
  const consts = []
  const write = (value, indent = '', top = false) => {
    if (!value || typeof value !== 'object') return JSON.stringify(value)
    const key = JSON.stringify(value)
    if (!top && references.get(key) > 1) {
      if (!names.has(key)) {
        const text = write(value, '', true)
        names.set(key, `l${names.size}`)
        consts.push(`const ${names.get(key)} = ${text} as const\n`)
      }
      return names.get(key)
    }
    return block(value, indent, (child, inner) => write(child, inner))
  }
  return { write, consts }
}

/** A list or object across lines, each entry rendered by `entry`. */
function block(value, indent, entry) {
  const inner = `${indent}  `
  const items = Array.isArray(value) ? value.map((v) => entry(v, inner)) : Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${entry(v, inner)}`)
  if (!items.length) return Array.isArray(value) ? '[]' : '{}'
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}']
  return `${open}\n${items.map((item) => inner + item).join(',\n')}\n${indent}${close}`
}

/**
 * The TypeScript module of one provider's meta: `clientMeta`, checked against ClientMeta, and `meta`, built
 * from it by spreads (plus what only the whole meta has) and checked against ProviderMeta, both with literal
 * `as const` types. `meta` is a call marked pure, so a bundle that reads only `clientMeta` drops it.
 */
export function renderMeta(meta, specName) {
  const client = clientMetaOf(meta)
  // What only the whole meta has: written in full (the client's part of each is spread into it only for models).
  const extra = {
    ...(meta.envKeys.length > 1 ? {} : { envKeys: meta.envKeys }),
    baseUrlRequired: meta.baseUrlRequired,
    ...(meta.synchronous ? { statusWords: meta.statusWords } : {}),
    auth: meta.auth,
    operations: meta.operations,
    options: meta.options,
    ...(meta.callback ? { callback: meta.callback } : {}),
    models: Object.fromEntries(Object.entries(meta.models).map(([model, { fields, unverified }]) => [model, unverified ? { fields, unverified } : { fields }])),
    ...(meta.otherOperations ? { otherOperations: meta.otherOperations } : {}),
  }
  // The values written one by one (each model's facts are written beside a spread, not as one object).
  const written = [
    ...Object.entries(extra).filter(([key]) => key !== 'models'),
    ...Object.entries(extra.models).flatMap(([model, own]) => Object.entries(own).map(([key, value]) => [`${model} ${key}`, value])),
  ]
  const { write, consts } = literalWriter([client, Object.fromEntries(written)])
  const clientText = write(client, '', true)
  // Each model of the whole meta: the client's entry spread, plus its request field facts.
  const models = Object.entries(extra.models)
    .map(([model, own]) => {
      const facts = Object.entries(own).map(([key, value]) => `,\n        ${JSON.stringify(key)}: ${write(value, '        ')}`)
      return `      ${JSON.stringify(model)}: {\n        ...clientMeta.models[${JSON.stringify(model)}]${facts.join('')}\n      }`
    })
    .join(',\n')
  const whole = Object.keys(extra)
    .filter((key) => key !== 'models')
    .map((key) => `\n    ${JSON.stringify(key)}: ${write(extra[key], '    ')},`)
    .join('')
  return (
    HEADER.replace('%SPEC%', specName) +
    "import type { ClientMeta, ProviderDescription, ProviderMeta } from '@nano-banana/runtime'\n\n" +
    consts.join('') +
    (consts.length ? '\n' : '') +
    "/** What the package's client factory reads (`ProviderDescription`): a bundle of the client alone carries no more of the meta. */\n" +
    `export const provider = {${Object.entries(providerOf(meta))
      .map(([key, value]) => ` ${JSON.stringify(key)}: ${value === undefined ? 'undefined' : JSON.stringify(value)}`)
      .join(',')} } as const satisfies ProviderDescription\n\n` +
    '/** What the unified client reads at run time (`ClientMeta`): `meta` without what only the sandbox, the tools, the docs and the generated functions read. */\n' +
    `export const clientMeta = ${clientText} as const satisfies ClientMeta\n\n` +
    `export const meta = /* @__PURE__ */ (() =>\n  ({\n    ...clientMeta,\n    models: {\n${models}\n    },${whole}\n  }) as const)() satisfies ProviderMeta\n\n` +
    'export type Meta = typeof meta\n'
  )
}
