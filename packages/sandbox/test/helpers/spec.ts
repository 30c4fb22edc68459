import { META } from '@nano-banana/manifest'
// The tests' own reading of specs/ (through @nano-banana/testkit): deliberately independent of src/ (and of the
// generated meta for the wire facts below: paths, key transport, status words, retry schedule), so a bug there
// cannot hide drift.
import {
  createSpecValidator,
  findOperation as findSpecOperation,
  listOperations,
  loadSpec,
  requestExamples as specRequestExamples,
  resolveRef,
  responseExamples as specResponseExamples,
  toPointer,
  type LoadedSpec,
  type Operation,
} from '@nano-banana/testkit'
import { PROVIDER_IDS, type ProviderId } from '../../src/index.js'

type Json = Record<string, any>

const specs = Object.fromEntries(PROVIDER_IDS.map((id) => [id, loadSpec(id)])) as Record<ProviderId, LoadedSpec>
export const docs = Object.fromEntries(PROVIDER_IDS.map((id) => [id, specs[id].doc])) as Record<ProviderId, Json>

export function findOperation(provider: ProviderId, operationId: string): Operation {
  return findSpecOperation(specs[provider], operationId)
}

export function hasOperation(provider: ProviderId, operationId: string): boolean {
  return listOperations(specs[provider]).some((op) => op.operationId === operationId)
}

/** Operations with a JSON request body, in document order (the create operation and any synchronous endpoint). */
export function submitOperations(provider: ProviderId): Array<{ operationId: string; path: string }> {
  return listOperations(specs[provider])
    .filter((op) => op.requestBody?.contents.some((content) => content.mediaType === 'application/json'))
    .map(({ operationId, path }) => ({ operationId, path }))
}

/** The path of the task query for an id: in the path template or in the query, as the spec's parameter says. */
export function queryPathOf(provider: ProviderId, id: string, operationId = 'getImageTask'): string {
  const { path, parameters } = findOperation(provider, operationId)
  // `x-task-id`: the id is several path parameters joined by `/`.
  const operations = META[provider].operations as Record<string, { operationId: string; taskId?: { parts?: readonly string[] } }>
  const parts = Object.values(operations).find((op) => op.operationId === operationId)?.taskId?.parts
  if (parts) {
    const pieces = id.split('/')
    const values = [...pieces.slice(0, parts.length - 1), pieces.slice(parts.length - 1).join('/')]
    return parts.reduce((out, name, i) => out.replace(`{${name}}`, encodeURIComponent(values[i] ?? '')), path)
  }
  const param = parameters.find((p) => p.required && (p.in === 'path' || p.in === 'query'))
  if (!param) throw new Error(`${provider}: getImageTask has no task id parameter`)
  if (param.in === 'path') return path.replace(`{${param.name}}`, encodeURIComponent(id))
  return `${path}?${param.name}=${encodeURIComponent(id)}`
}

/** The headers that carry a key, from the spec's security scheme. */
export function authHeaderOf(provider: ProviderId, key: string): Record<string, string> {
  const doc = docs[provider]
  const schemes = doc.components.securitySchemes as Record<string, Json>
  const scheme = schemes[Object.keys(doc.security?.[0] ?? {})[0] ?? Object.keys(schemes)[0]!]!
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

function check(provider: ProviderId, at: string | (string | number)[], body: unknown, what: string): void {
  createSpecValidator(specs[provider]).assert(at, body, what)
}

/** Statuses a provider spec does not list for an operation, but which the sandbox's faults send anyway. */
export const undocumentedStatuses: string[] = []

/**
 * Validates a JSON body against the response schema the spec gives for this operation and status. A fault
 * status the spec does not list for the operation (e.g. a gateway's 502) is checked against the provider's
 * `ErrorResponse` component instead, and recorded in `undocumentedStatuses`.
 */
export function validateAgainstSpec(provider: ProviderId, operationId: string, status: number, body: unknown): string {
  const response = findOperation(provider, operationId).responses.find((entry) => entry.code === String(status))
  if (!response) {
    if (status < 400) throw new Error(`${provider} ${operationId}: the spec documents no ${status} response`)
    undocumentedStatuses.push(`${provider} ${operationId} ${status}`)
    check(provider, '#/components/schemas/ErrorResponse', body, `${provider} ${operationId} ${status} (undocumented status)`)
    return '#/components/schemas/ErrorResponse'
  }
  // `application/json`, or a JSON subtype such as `application/problem+json`.
  const json =
    response.contents.find((content) => content.mediaType === 'application/json') ?? response.contents.find((content) => /\+json$/.test(content.mediaType))
  if (!json?.schemaAt) throw new Error(`${provider} ${operationId} ${status}: no JSON body in the spec`)
  check(provider, json.schemaAt, body, `${provider} ${operationId} ${status}`)
  return toPointer(json.schemaAt)
}

/** Validates a callback body against the create operation's `callbacks` request schema. */
export function validateCallbackAgainstSpec(provider: ProviderId, body: unknown): string {
  const { op, at } = findOperation(provider, 'createImageTask')
  const callbacks = op.callbacks?.taskFinished
  if (!callbacks) {
    // A provider that documents no callback: the sandbox sends its query envelope, so hold it to that schema.
    return validateAgainstSpec(provider, 'getImageTask', 200, body)
  }
  const expression = Object.keys(callbacks)[0]!
  const schemaAt = [...at, 'callbacks', 'taskFinished', expression, 'post', 'requestBody', 'content', 'application/json', 'schema']
  check(provider, schemaAt, body, `${provider} callback`)
  return toPointer(schemaAt)
}

/** The named example values the spec gives for an operation's response. */
export function responseExamples(provider: ProviderId, operationId: string, status: number): unknown[] {
  return specResponseExamples(specs[provider], operationId)
    .filter((example) => example.status === status)
    .map((example) => example.value)
}

/** The named example values of an operation's JSON request body. */
export function requestExamples(provider: ProviderId, operationId: string): Record<string, unknown> {
  return specRequestExamples(specs[provider], operationId)
}

/** The callback retry schedule the spec documents, if any. */
export function documentedRetrySchedule(provider: ProviderId): number[] | undefined {
  const callbacks = findOperation(provider, 'createImageTask').op.callbacks?.taskFinished
  if (!callbacks) return undefined
  return resolveRef(docs[provider], Object.values<any>(callbacks)[0])?.post?.['x-retry-schedule-seconds']
}

// Compile the schemas every test uses up front: a first compile inside a test takes tens of milliseconds,
// long enough to hide a short-lived status word from a poll.
for (const provider of PROVIDER_IDS) {
  for (const operationId of ['createImageTask', 'getImageTask'].filter((op) => hasOperation(provider, op))) {
    const ok = findOperation(provider, operationId).responses.find((entry) => entry.code === '200')
    const schemaAt = ok?.contents.find((content) => content.mediaType === 'application/json')?.schemaAt
    if (schemaAt) createSpecValidator(specs[provider]).compile(schemaAt)
  }
}

/** Validates a body against one of the provider's component schemas (for answers to paths the spec lacks). */
export function validateComponent(provider: ProviderId, schema: string, body: unknown): void {
  check(provider, ['components', 'schemas', schema], body, `${provider} ${schema}`)
}
