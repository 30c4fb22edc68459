// The tests' own reading of specs/: deliberately independent of src/ (and of the generated meta for the wire
// facts below: paths, key transport, status words, retry schedule), so a bug there cannot hide drift.
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { parse } from 'yaml'
import { PROVIDER_IDS, type ProviderId } from '../../src/index.js'

const SPECS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../specs')
const PROVIDERS: readonly ProviderId[] = PROVIDER_IDS
const idOf = (provider: ProviderId): string => `https://tests.nano-banana.invalid/${provider}.json`

type Json = Record<string, any>

const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false })
addFormatsModule.default(ajv)
ajv.addFormat('binary', true)
export const docs = {} as Record<ProviderId, Json>
for (const provider of PROVIDERS) {
  docs[provider] = parse(readFileSync(join(SPECS_DIR, `${provider}.openapi.yaml`), 'utf8')) as Json
  ajv.addSchema({ ...docs[provider], $id: idOf(provider) })
}

const escape = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1')

function resolvePointer(provider: ProviderId, pointer: string): any {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .reduce<any>((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], docs[provider])
}

/** Follows `$ref`s and returns [node, pointer of the node]. */
function follow(provider: ProviderId, node: any, pointer: string): [any, string] {
  while (node && typeof node.$ref === 'string') {
    pointer = node.$ref
    node = resolvePointer(provider, pointer)
  }
  return [node, pointer]
}

export function findOperation(provider: ProviderId, operationId: string): { op: Json; pointer: string; path: string; method: string; item: Json } {
  for (const [path, item] of Object.entries<Json>(docs[provider].paths)) {
    for (const [method, op] of Object.entries<Json>(item)) {
      if (op?.operationId === operationId) return { op, pointer: `#/paths/${escape(path)}/${method}`, path, method, item }
    }
  }
  throw new Error(`${provider}: no operation ${operationId}`)
}

export function hasOperation(provider: ProviderId, operationId: string): boolean {
  return Object.values<Json>(docs[provider].paths).some((item) => Object.values<Json>(item).some((op) => op?.operationId === operationId))
}

/** Operations with a JSON request body, in document order (`createImageTask` and any synchronous endpoint). */
export function submitOperations(provider: ProviderId): Array<{ operationId: string; path: string }> {
  const out: Array<{ operationId: string; path: string }> = []
  for (const [path, item] of Object.entries<Json>(docs[provider].paths)) {
    for (const op of Object.values<Json>(item)) {
      const [body] = follow(provider, op?.requestBody, '')
      if (body?.content?.['application/json']) out.push({ operationId: op.operationId, path })
    }
  }
  return out
}

/** The path of the task query for an id: in the path template or in the query, as the spec's parameter says. */
export function queryPathOf(provider: ProviderId, id: string): string {
  const { op, path, item } = findOperation(provider, 'getImageTask')
  const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((param: Json) => follow(provider, param, '')[0])
  const param = params.find((p: Json) => p.required && (p.in === 'path' || p.in === 'query'))
  if (!param) throw new Error(`${provider}: getImageTask has no task id parameter`)
  if (param.in === 'path') return path.replace(`{${param.name}}`, encodeURIComponent(id))
  return `${path}?${param.name}=${encodeURIComponent(id)}`
}

/** The headers that carry a key, from the spec's security scheme. */
export function authHeaderOf(provider: ProviderId, key: string): Record<string, string> {
  const schemes = docs[provider].components.securitySchemes as Record<string, Json>
  const scheme = schemes[Object.keys(docs[provider].security?.[0] ?? {})[0] ?? Object.keys(schemes)[0]!]!
  if (scheme.type === 'http' && String(scheme.scheme).toLowerCase() === 'bearer') return { authorization: `Bearer ${key}` }
  if (scheme.type === 'apiKey' && scheme.in === 'header') return { [String(scheme.name).toLowerCase()]: `${scheme['x-auth-prefix'] ?? ''}${key}` }
  throw new Error(`${provider}: unsupported security scheme`)
}

/** The status word for each phase: the first word `TaskStatus`'s `x-normalized-status` maps to it. */
export function statusWordsOf(provider: ProviderId): { queued: string; running: string; done: string; failed: string } {
  const map = docs[provider].components.schemas.TaskStatus['x-normalized-status'] as Record<string, string>
  const first = (phase: string): string => {
    const word = Object.keys(map).find((candidate) => map[candidate] === phase)
    if (!word) throw new Error(`${provider}: no status word for ${phase}`)
    return word
  }
  return { queued: first('queued'), running: first('running'), done: first('succeeded'), failed: first('failed') }
}

const compiled = new Map<string, ValidateFunction>()
function validatorAt(provider: ProviderId, pointer: string): ValidateFunction {
  const key = provider + pointer
  let fn = compiled.get(key)
  if (!fn) {
    fn = ajv.compile({ $ref: idOf(provider) + pointer })
    compiled.set(key, fn)
  }
  return fn
}

function check(provider: ProviderId, pointer: string, body: unknown, what: string): void {
  const validate = validatorAt(provider, pointer)
  if (!validate(body)) {
    throw new Error(`${what} does not match the spec (${pointer}):\n${ajv.errorsText(validate.errors, { separator: '\n' })}\nbody: ${JSON.stringify(body)}`)
  }
}

/** Statuses a provider spec does not list for an operation, but which the sandbox's faults send anyway. */
export const undocumentedStatuses: string[] = []

/**
 * Validates a JSON body against the response schema the spec gives for this operation and status. A fault
 * status the spec does not list for the operation (e.g. a gateway's 502) is checked against the provider's
 * `ErrorResponse` component instead, and recorded in `undocumentedStatuses`.
 */
export function validateAgainstSpec(provider: ProviderId, operationId: string, status: number, body: unknown): string {
  const { op, pointer } = findOperation(provider, operationId)
  const response = op.responses?.[String(status)]
  if (!response) {
    if (status < 400) throw new Error(`${provider} ${operationId}: the spec documents no ${status} response`)
    undocumentedStatuses.push(`${provider} ${operationId} ${status}`)
    check(provider, '#/components/schemas/ErrorResponse', body, `${provider} ${operationId} ${status} (undocumented status)`)
    return '#/components/schemas/ErrorResponse'
  }
  const [resolved, responsePointer] = follow(provider, response, `${pointer}/responses/${status}`)
  if (!resolved.content?.['application/json']) throw new Error(`${provider} ${operationId} ${status}: no JSON body in the spec`)
  const schemaPointer = `${responsePointer}/content/application~1json/schema`
  check(provider, schemaPointer, body, `${provider} ${operationId} ${status}`)
  return schemaPointer
}

/** Validates a callback body against the create operation's `callbacks` request schema. */
export function validateCallbackAgainstSpec(provider: ProviderId, body: unknown): string {
  const { op, pointer } = findOperation(provider, 'createImageTask')
  const callbacks = op.callbacks?.taskFinished
  if (!callbacks) {
    // A provider that documents no callback: the sandbox sends its query envelope, so hold it to that schema.
    return validateAgainstSpec(provider, 'getImageTask', 200, body)
  }
  const expression = Object.keys(callbacks)[0]!
  const schemaPointer = `${pointer}/callbacks/taskFinished/${escape(expression)}/post/requestBody/content/application~1json/schema`
  check(provider, schemaPointer, body, `${provider} callback`)
  return schemaPointer
}

/** The named example values the spec gives for an operation's response. */
export function responseExamples(provider: ProviderId, operationId: string, status: number): unknown[] {
  const { op } = findOperation(provider, operationId)
  const [response] = follow(provider, op.responses?.[String(status)], '')
  const examples = response?.content?.['application/json']?.examples ?? {}
  return Object.values<any>(examples).map((example) => follow(provider, example, '')[0].value)
}

/** The named example values of an operation's JSON request body. */
export function requestExamples(provider: ProviderId, operationId: string): Record<string, unknown> {
  const { op } = findOperation(provider, operationId)
  const [body] = follow(provider, op.requestBody, '')
  const examples = body?.content?.['application/json']?.examples ?? {}
  return Object.fromEntries(Object.entries<any>(examples).map(([name, example]) => [name, follow(provider, example, '')[0].value]))
}

/** The callback retry schedule the spec documents, if any. */
export function documentedRetrySchedule(provider: ProviderId): number[] | undefined {
  const { op } = findOperation(provider, 'createImageTask')
  const callbacks = op.callbacks?.taskFinished
  if (!callbacks) return undefined
  return Object.values<any>(callbacks)[0]?.post?.['x-retry-schedule-seconds']
}

// Compile the schemas every test uses up front: a first compile inside a test takes tens of milliseconds,
// long enough to hide a short-lived status word from a poll.
for (const provider of PROVIDERS) {
  validatorAt(provider, `${findOperation(provider, 'createImageTask').pointer}/responses/200/content/application~1json/schema`)
  validatorAt(provider, `${findOperation(provider, 'getImageTask').pointer}/responses/200/content/application~1json/schema`)
}

/** Validates a body against one of the provider's component schemas (for answers to paths the spec lacks). */
export function validateComponent(provider: ProviderId, schema: string, body: unknown): void {
  check(provider, `#/components/schemas/${schema}`, body, `${provider} ${schema}`)
}
