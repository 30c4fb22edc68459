// Loading OpenAPI 3.1 specs and walking them: JSON pointers, $ref resolution, the operation list.
import { readFileSync } from 'node:fs'
import { resolve as resolvePath } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parse } from 'yaml'

/** The repository's `specs/` folder. */
export const SPECS_DIR = fileURLToPath(new URL('../../specs/', import.meta.url))

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

/**
 * Loads a spec by provider id (`evolink`) or by file path. The `$id` (a file: URL) names the whole
 * document for ajv, so two copies of a spec (a mutated one in a temp dir) never share compiled schemas.
 * @param {string} idOrPath
 * @returns {import('./types.js').LoadedSpec}
 */
export function loadSpec(idOrPath) {
  const path = /[\\/]|\.ya?ml$|\.json$/.test(idOrPath) ? resolvePath(idOrPath) : resolvePath(SPECS_DIR, `${idOrPath}.openapi.yaml`)
  const text = readFileSync(path, 'utf8')
  const doc = path.endsWith('.json') ? JSON.parse(text) : parse(text)
  const id = doc['x-provider-id'] ?? doc.info?.['x-provider-id'] ?? path
  return { id, path, doc, $id: pathToFileURL(path).href }
}

/** Wraps an already parsed document (e.g. one bundled into an SDK) the way loadSpec does. */
export function specFromDocument(doc, $id) {
  const id = doc['x-provider-id'] ?? doc.info?.['x-provider-id'] ?? 'spec'
  return { id, path: undefined, doc, $id: $id ?? `urn:nano-banana:spec:${id}` }
}

/** Accepts a LoadedSpec, a parsed document, or a path / provider id. */
export function asSpec(specOrDoc) {
  if (typeof specOrDoc === 'string') return loadSpec(specOrDoc)
  if (specOrDoc && typeof specOrDoc === 'object' && 'doc' in specOrDoc && '$id' in specOrDoc) return specOrDoc
  return specFromDocument(specOrDoc)
}

/** `['paths', '/v1/x', 'post']` -> `/paths/~1v1~1x/post` */
export function toPointer(segments) {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('')
}

/** `/paths/~1v1~1x/post` -> `['paths', '/v1/x', 'post']` */
export function fromPointer(pointer) {
  if (pointer === '' || pointer === '#') return []
  return pointer
    .replace(/^#/, '')
    .split('/')
    .slice(1)
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** The URI fragment form ajv resolves (`#` + URI-encoded pointer). */
export function toFragment(segments) {
  return '#' + segments.map((s) => '/' + encodeURIComponent(String(s).replace(/~/g, '~0').replace(/\//g, '~1'))).join('')
}

export function getAt(doc, segments) {
  let node = doc
  for (const s of segments) {
    if (node === undefined || node === null) return undefined
    node = node[s]
  }
  return node
}

/**
 * Follows local `$ref`s (`#/components/...`) until a node without `$ref`.
 * Returns the node and its location, so callers can point ajv at the real place.
 */
export function deref(doc, node, segments) {
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

/**
 * Every operation under `paths`, with its request bodies and responses resolved to their real
 * locations (a response may be a `$ref` to `#/components/responses/...`).
 * @returns {import('./types.js').Operation[]}
 */
export function listOperations(spec) {
  const { doc } = spec
  const operations = []
  for (const [path, pathItemRaw] of Object.entries(doc.paths ?? {})) {
    const { node: pathItem, segments: pathItemAt } = deref(doc, pathItemRaw, ['paths', path])
    for (const method of HTTP_METHODS) {
      const op = pathItem[method]
      if (!op) continue
      const opAt = [...pathItemAt, method]
      const parameters = []
      for (const [source, list] of [
        [pathItemAt, pathItem.parameters],
        [opAt, op.parameters],
      ]) {
        ;(list ?? []).forEach((raw, i) => {
          const { node, segments } = deref(doc, raw, [...source, 'parameters', i])
          const existing = parameters.findIndex((p) => p.name === node.name && p.in === node.in)
          const entry = { name: node.name, in: node.in, required: !!node.required, param: node, at: segments }
          if (existing >= 0) parameters[existing] = entry
          else parameters.push(entry)
        })
      }
      let requestBody
      if (op.requestBody) {
        const { node, segments } = deref(doc, op.requestBody, [...opAt, 'requestBody'])
        requestBody = {
          required: !!node.required,
          at: segments,
          contents: Object.entries(node.content ?? {}).map(([mediaType, media]) => ({
            mediaType,
            media,
            at: [...segments, 'content', mediaType],
            schemaAt: media.schema ? [...segments, 'content', mediaType, 'schema'] : undefined,
          })),
        }
      }
      const responses = Object.entries(op.responses ?? {}).map(([code, raw]) => {
        const { node, segments } = deref(doc, raw, [...opAt, 'responses', code])
        const contents = Object.entries(node.content ?? {}).map(([mediaType, media]) => ({
          mediaType,
          media,
          at: [...segments, 'content', mediaType],
          schemaAt: media.schema ? [...segments, 'content', mediaType, 'schema'] : undefined,
          examples: namedExamples(doc, media, [...segments, 'content', mediaType]),
        }))
        const headers = Object.entries(node.headers ?? {}).map(([name, rawHeader]) => {
          const { node: header, segments: headerAt } = deref(doc, rawHeader, [...segments, 'headers', name])
          return { name, required: !!header.required, header, schemaAt: header.schema ? [...headerAt, 'schema'] : undefined }
        })
        return { code, response: node, at: segments, contents, headers }
      })
      const security = op.security ?? doc.security ?? []
      operations.push({
        operationId: op.operationId ?? `${method} ${path}`,
        method,
        path,
        op,
        at: opAt,
        parameters,
        requestBody,
        responses,
        security,
      })
    }
  }
  return operations
}

/** Named examples of a media type (`examples: { name: { value } }`), each resolved. */
export function namedExamples(doc, media, mediaAt) {
  return Object.entries(media.examples ?? {}).map(([name, raw]) => {
    const { node, segments } = deref(doc, raw, [...mediaAt, 'examples', name])
    return { name, value: node.value, externalValue: node.externalValue, at: segments }
  })
}

/** The document's first server URL with its variables replaced by their defaults (or `variables`). */
export function serverUrl(spec, variables = {}) {
  const server = spec.doc.servers?.[0]
  if (!server) return undefined
  return server.url.replace(/\{([^}]+)\}/g, (_, name) => variables[name] ?? server.variables?.[name]?.default ?? '')
}

export function isJsonMediaType(mediaType) {
  return /^application\/([\w.+-]+\+)?json\b/.test(mediaType)
}
