// Loading OpenAPI 3.1 specs and walking them: JSON pointers, $ref resolution, operations and examples.
// Deliberately independent of the packages' own spec readers, so a bug there cannot hide drift.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve as resolvePath } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parse } from 'yaml'

// Spec documents are untyped YAML; tests read them with plain property access.
export type Json = any

export type Segments = (string | number)[]

export interface LoadedSpec {
  /** Provider id (`x-provider-id`). */
  id: string
  /** File the spec was read from (undefined for a document passed in memory). */
  path: string | undefined
  /** The parsed OpenAPI document. */
  doc: Json
  /** The `$id` the whole document is registered under in ajv (a file: URL for a file). */
  $id: string
}

export interface MediaContent {
  mediaType: string
  media: Json
  at: Segments
  schemaAt: Segments | undefined
}

export interface NamedExample {
  name: string
  value: unknown
  externalValue?: string
  at: Segments
}

export interface OperationParameter {
  name: string
  in: string
  required: boolean
  param: Json
  at: Segments
}

export interface OperationResponse {
  code: string
  response: Json
  at: Segments
  contents: (MediaContent & { examples: NamedExample[] })[]
  headers: { name: string; required: boolean; header: Json; schemaAt: Segments | undefined }[]
}

export interface Operation {
  operationId: string
  method: string
  path: string
  op: Json
  at: Segments
  parameters: OperationParameter[]
  requestBody: { required: boolean; at: Segments; contents: MediaContent[] } | undefined
  responses: OperationResponse[]
  security: unknown[]
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

const HERE = dirname(fileURLToPath(import.meta.url))

/**
 * The repository root: the nearest folder above this module holding `pnpm-workspace.yaml`. A bundled
 * copy outside any checkout (the published contract tests: `<package>/dist/<bundle>.mjs`) has none:
 * then the folder above the module's, whose `specs/` is the copy shipped with it.
 */
export const REPO_ROOT: string = findUp(HERE, 'pnpm-workspace.yaml') ?? dirname(HERE)

/** The repository's `specs/` folder. */
export const SPECS_DIR: string = join(REPO_ROOT, 'specs')

function findUp(from: string, marker: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, marker))) return dir
    if (dirname(dir) === dir) return undefined
  }
}

const cache = new Map<string, LoadedSpec>()

/**
 * Loads a spec by provider id or by file path, parsed once per path unless `cache: false` (for a file a
 * test rewrites). The `$id` names the whole document for ajv, so two copies of a spec (a mutated one in
 * a temp dir) never share compiled schemas.
 */
export function loadSpec(idOrPath: string, options: { cache?: boolean } = {}): LoadedSpec {
  const path = /[\\/]|\.ya?ml$|\.json$/.test(idOrPath) ? resolvePath(idOrPath) : join(SPECS_DIR, `${idOrPath}.openapi.yaml`)
  const cached = options.cache === false ? undefined : cache.get(path)
  if (cached) return cached
  const text = readFileSync(path, 'utf8')
  const doc = path.endsWith('.json') ? JSON.parse(text) : parse(text)
  const id = doc['x-provider-id'] ?? doc.info?.['x-provider-id'] ?? path
  const spec = { id, path, doc, $id: pathToFileURL(path).href }
  cache.set(path, spec)
  return spec
}

/** Wraps an already parsed document (e.g. one bundled into a package) the way loadSpec does. */
export function specFromDocument(doc: Json, $id?: string): LoadedSpec {
  const id = doc['x-provider-id'] ?? doc.info?.['x-provider-id'] ?? 'spec'
  return { id, path: undefined, doc, $id: $id ?? `urn:nano-banana:spec:${id}` }
}

export type SpecInput = LoadedSpec | Json | string

/** Accepts a LoadedSpec, a parsed document, or a path / provider id. */
export function asSpec(specOrDoc: SpecInput): LoadedSpec {
  if (typeof specOrDoc === 'string') return loadSpec(specOrDoc)
  if (specOrDoc && typeof specOrDoc === 'object' && 'doc' in specOrDoc && '$id' in specOrDoc) return specOrDoc as LoadedSpec
  return specFromDocument(specOrDoc)
}

const escapeSegment = (s: string | number): string => String(s).replace(/~/g, '~0').replace(/\//g, '~1')

/** `['paths', '/v1/x', 'post']` -> `/paths/~1v1~1x/post` */
export function toPointer(segments: Segments): string {
  return segments.map((s) => `/${escapeSegment(s)}`).join('')
}

/** `#/paths/~1v1~1x/post` or `/paths/~1v1~1x/post` -> `['paths', '/v1/x', 'post']` */
export function fromPointer(pointer: string): string[] {
  if (pointer === '' || pointer === '#') return []
  return pointer
    .replace(/^#/, '')
    .split('/')
    .slice(1)
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** The URI fragment form ajv resolves (`#` + URI-encoded pointer). */
export function toFragment(segments: Segments): string {
  return `#${segments.map((s) => `/${encodeURIComponent(escapeSegment(s))}`).join('')}`
}

export function getAt(doc: Json, segments: Segments): Json {
  let node = doc
  for (const s of segments) {
    if (node === undefined || node === null) return undefined
    node = node[s]
  }
  return node
}

/**
 * Follows local `$ref`s (`#/components/...`) until a node without `$ref`. Returns the node and its
 * location, so callers can point ajv at the real place.
 */
export function deref(doc: Json, node: Json, segments: Segments = []): { node: Json; segments: Segments } {
  let seen = 0
  while (node && typeof node === 'object' && typeof node.$ref === 'string') {
    if (!node.$ref.startsWith('#')) throw new Error(`External $ref not supported: ${node.$ref}`)
    segments = fromPointer(node.$ref)
    node = getAt(doc, segments)
    if (node === undefined) throw new Error(`Unresolvable $ref ${toPointer(segments)}`)
    if (++seen > 50) throw new Error(`$ref cycle at ${toPointer(segments)}`)
  }
  return { node, segments }
}

/** `deref` without the location. */
export function resolveRef(doc: Json, node: Json): Json {
  return deref(doc, node).node
}

/** Named examples of a media type (`examples: { name: { value } }`), each resolved. */
export function namedExamples(doc: Json, media: Json, mediaAt: Segments = []): NamedExample[] {
  return Object.entries<Json>(media?.examples ?? {}).map(([name, raw]) => {
    const { node, segments } = deref(doc, raw, [...mediaAt, 'examples', name])
    return { name, value: node.value, externalValue: node.externalValue, at: segments }
  })
}

/**
 * Every operation under `paths`, with its parameters, request bodies and responses resolved to their
 * real locations (a response may be a `$ref` to `#/components/responses/...`).
 */
export function listOperations(specInput: SpecInput): Operation[] {
  const { doc } = asSpec(specInput)
  const operations: Operation[] = []
  for (const [path, pathItemRaw] of Object.entries<Json>(doc.paths ?? {})) {
    const { node: pathItem, segments: pathItemAt } = deref(doc, pathItemRaw, ['paths', path])
    for (const method of HTTP_METHODS) {
      const op = pathItem[method]
      if (!op) continue
      const opAt = [...pathItemAt, method]
      const parameters: OperationParameter[] = []
      for (const [source, list] of [
        [pathItemAt, pathItem.parameters],
        [opAt, op.parameters],
      ] as const) {
        ;((list as Json[] | undefined) ?? []).forEach((raw, i) => {
          const { node, segments } = deref(doc, raw, [...source, 'parameters', i])
          const existing = parameters.findIndex((p) => p.name === node.name && p.in === node.in)
          const entry = { name: node.name, in: node.in, required: !!node.required, param: node, at: segments }
          if (existing >= 0) parameters[existing] = entry
          else parameters.push(entry)
        })
      }
      let requestBody: Operation['requestBody']
      if (op.requestBody) {
        const { node, segments } = deref(doc, op.requestBody, [...opAt, 'requestBody'])
        requestBody = {
          required: !!node.required,
          at: segments,
          contents: Object.entries<Json>(node.content ?? {}).map(([mediaType, media]) => ({
            mediaType,
            media,
            at: [...segments, 'content', mediaType],
            schemaAt: media.schema ? [...segments, 'content', mediaType, 'schema'] : undefined,
          })),
        }
      }
      const responses = Object.entries<Json>(op.responses ?? {}).map(([code, raw]) => {
        const { node, segments } = deref(doc, raw, [...opAt, 'responses', code])
        const contents = Object.entries<Json>(node.content ?? {}).map(([mediaType, media]) => ({
          mediaType,
          media,
          at: [...segments, 'content', mediaType],
          schemaAt: media.schema ? [...segments, 'content', mediaType, 'schema'] : undefined,
          examples: namedExamples(doc, media, [...segments, 'content', mediaType]),
        }))
        const headers = Object.entries<Json>(node.headers ?? {}).map(([name, rawHeader]) => {
          const { node: header, segments: headerAt } = deref(doc, rawHeader, [...segments, 'headers', name])
          return { name, required: !!header.required, header, schemaAt: header.schema ? [...headerAt, 'schema'] : undefined }
        })
        return { code, response: node, at: segments, contents, headers }
      })
      operations.push({
        operationId: op.operationId ?? `${method} ${path}`,
        method,
        path,
        op,
        at: opAt,
        parameters,
        requestBody,
        responses,
        security: op.security ?? doc.security ?? [],
      })
    }
  }
  return operations
}

/** One operation by its operationId; throws when the spec has none. */
export function findOperation(specInput: SpecInput, operationId: string): Operation {
  const spec = asSpec(specInput)
  const found = listOperations(spec).find((op) => op.operationId === operationId)
  if (!found) throw new Error(`${spec.id}: no operation ${operationId}`)
  return found
}

/** The named examples of an operation's JSON request body, by name. */
export function requestExamples(specInput: SpecInput, operationId: string): Record<string, unknown> {
  const body = findOperation(specInput, operationId).requestBody
  const json = body?.contents.find((c) => isJsonMediaType(c.mediaType))
  if (!json) return {}
  const doc = asSpec(specInput).doc
  return Object.fromEntries(namedExamples(doc, json.media, json.at).map((e) => [e.name, e.value]))
}

export interface ResponseExample extends NamedExample {
  status: number
}

/** Every named JSON example of every response of an operation (`status` NaN for `default`). */
export function responseExamples(specInput: SpecInput, operationId: string): ResponseExample[] {
  return findOperation(specInput, operationId).responses.flatMap((response) =>
    response.contents.filter((c) => isJsonMediaType(c.mediaType)).flatMap((c) => c.examples.map((e) => ({ ...e, status: Number(response.code) }))),
  )
}

/** The document's first server URL with its variables replaced by their defaults (or `variables`). */
export function serverUrl(specInput: SpecInput, variables: Record<string, string> = {}): string | undefined {
  const server = asSpec(specInput).doc.servers?.[0]
  if (!server) return undefined
  return server.url.replace(/\{([^}]+)\}/g, (_: string, name: string) => variables[name] ?? server.variables?.[name]?.default ?? '')
}

export function isJsonMediaType(mediaType: string): boolean {
  return /^application\/([\w.+-]+\+)?json\b/.test(mediaType)
}

/** A RegExp matching an OpenAPI path template (`/v1/tasks/{task_id}`), capturing each parameter. */
export function pathPattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '([^/?]+)')
  return new RegExp(`^${escaped}(?:\\?|$)`)
}
