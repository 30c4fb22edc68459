// Test support: the specs as data (examples, schemas, operations), a fake fetch that records what
// the SDK sends, and a small local HTTP server that answers like a provider.
import { readFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { META } from '@nano-banana/manifest'
import type { ProviderMeta } from '@nano-banana/runtime'
import { parse } from 'yaml'
import { errorClassForStatus, providerIds, providers, type ProviderId, type TaskStatus } from '../src/index.js'
import type { ErrorClass, Fixture, Json, SyncFixture } from './fixture.js'

export type { ErrorClass, Fixture, Json, SyncFixture } from './fixture.js'

/**
 * The task providers (submit, then poll): what the shared lifecycle suites run over. Synchronous providers
 * (`provider.synchronous`: the answer is the result) have their own suite, synchronous.test.ts.
 */
export const ids: readonly ProviderId[] = providerIds.filter((id) => !providers[id].synchronous)
export const syncIds: readonly ProviderId[] = providerIds.filter((id) => providers[id].synchronous)

/** Each synchronous provider's fixture (`test/providers/<id>.ts`, export `syncFixture`). */
export const SYNC_FIXTURES: Readonly<Record<ProviderId, SyncFixture>> = Object.fromEntries(
  await Promise.all(syncIds.map(async (id) => [id, ((await import(`./providers/${id}.ts`)) as { syncFixture: SyncFixture }).syncFixture] as const)),
) as Record<ProviderId, SyncFixture>

/** Each provider's fixture (`test/providers/<id>.ts`): which spec examples form a task's life, and its own tests. */
export const FIXTURES: Readonly<Record<ProviderId, Fixture>> = Object.fromEntries(
  await Promise.all(ids.map(async (id) => [id, ((await import(`./providers/${id}.ts`)) as { fixture: Fixture }).fixture] as const)),
) as Record<ProviderId, Fixture>

const specCache = new Map<ProviderId, Json>()

export function spec(id: ProviderId): Json {
  let doc = specCache.get(id)
  if (!doc) {
    doc = parse(readFileSync(new URL(`../../../specs/${id}.openapi.yaml`, import.meta.url), 'utf8'))
    specCache.set(id, doc)
  }
  return doc
}

/** Follows local `$ref`s (`#/components/...`). */
export function deref(doc: Json, node: Json): Json {
  let current = node
  for (let depth = 0; current && typeof current === 'object' && typeof current.$ref === 'string' && depth < 10; depth++) {
    const path = (current.$ref as string).replace(/^#\//, '').split('/')
    current = path.reduce((value: Json, key) => value?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
  }
  return current
}

export interface Operation {
  path: string
  method: string
  op: Json
}

export function operation(id: ProviderId, operationId: string): Operation {
  const doc = spec(id)
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) {
      if (op?.operationId === operationId) return { path, method, op }
    }
  }
  throw new Error(`${id}: no operation ${operationId}`)
}

export interface Example {
  name: string
  value: Json
}

/** Named examples of a media type object (`content['application/json']`). */
export function examplesOf(doc: Json, content: Json): Example[] {
  // `application/json`, or a JSON subtype such as `application/problem+json`.
  const type = Object.keys(content ?? {}).find((name) => name === 'application/json') ?? Object.keys(content ?? {}).find((name) => /\+json$/.test(name))
  const media = type ? content[type] : undefined
  return Object.entries<Json>(media?.examples ?? {}).map(([name, example]) => ({ name, value: deref(doc, example).value }))
}

export interface ResponseExample extends Example {
  status: number
}

/** Every named example of every response of an operation. */
export function responseExamples(id: ProviderId, operationId: string): ResponseExample[] {
  const doc = spec(id)
  const { op } = operation(id, operationId)
  return Object.entries<Json>(op.responses).flatMap(([status, response]) =>
    examplesOf(doc, deref(doc, response).content).map((example) => ({ ...example, status: Number(status) })),
  )
}

export function successExample(id: ProviderId, operationId: string, name: string): Json {
  const found = responseExamples(id, operationId).find((e) => e.status >= 200 && e.status < 300 && e.name === name)
  if (!found) throw new Error(`${id}: ${operationId} has no 2xx example ${name}`)
  return structuredClone(found.value)
}

/** Callback request bodies documented on createImageTask. */
export function callbackExamples(id: ProviderId): Example[] {
  const doc = spec(id)
  const { op } = operation(id, 'createImageTask')
  return Object.values<Json>(op.callbacks ?? {}).flatMap((callback) =>
    Object.values<Json>(callback).flatMap((item) => examplesOf(doc, item.post?.requestBody?.content)),
  )
}

const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv2020) => Ajv2020 }).default

const validators = new Map<string, ValidateFunction>()

/** An ajv (JSON Schema 2020-12) validator for one component schema of a spec. */
export function validator(id: ProviderId, component: string): ValidateFunction {
  const key = `${id}#${component}`
  let validate = validators.get(key)
  if (!validate) {
    const ajv = new Ajv2020({ strict: false, allErrors: true })
    addFormats(ajv)
    ajv.addFormat('binary', true)
    const $id = `urn:spec:${id}`
    ajv.addSchema({ $id, components: spec(id).components })
    validate = ajv.getSchema(`${$id}#/components/schemas/${component}`)
    if (!validate) throw new Error(`${id}: no schema ${component}`)
    validators.set(key, validate)
  }
  return validate
}

/** The request schema branch of one model (the discriminator's mapping, or the single schema). */
export function requestSchemaOf(id: ProviderId, model: string): Json {
  const doc = spec(id)
  const request = doc.components.schemas.CreateImageTaskRequest
  const ref = request.discriminator?.mapping?.[model]
  return ref ? deref(doc, { $ref: ref }) : request
}

/** Properties of the model's generation parameters: the body itself, or its `input` object. */
export function parameterSchemaOf(id: ProviderId, model: string): Json {
  const doc = spec(id)
  const branch = requestSchemaOf(id, model)
  const input = branch.properties?.input
  return input ? deref(doc, input) : branch
}

/** A provider's whole meta (`META` of the manifest): operation ids and option fields, which the client's part leaves out. */
export const metaOf = (id: ProviderId): ProviderMeta => META[id]

/** The last key of a dotted request field (`input.aspect_ratio` -> `aspect_ratio`), as the parameter schema names it. */
const leaf = (path: string) => path.split('.').at(-1)!

/** Where the SDK writes each option, per provider: the spec's own `x-options` (via meta). */
export const WIRE: Record<ProviderId, { aspectRatio: string; resolution?: string; outputFormat?: string; images: string[]; perModelSchema: boolean }> =
  Object.fromEntries(
    ids.map((id) => {
      const { options, models } = metaOf(id)
      const field = (option: 'aspectRatio' | 'resolution' | 'outputFormat') => (options[option]?.fields[0] ? leaf(options[option].fields[0]) : undefined)
      const resolution = field('resolution')
      const outputFormat = field('outputFormat')
      return [
        id,
        {
          aspectRatio: field('aspectRatio')!,
          ...(resolution ? { resolution } : {}),
          ...(outputFormat ? { outputFormat } : {}),
          images: (options.images?.fields ?? []).map(leaf),
          perModelSchema: !Object.hasOwn(models, '*'),
        },
      ]
    }),
  ) as Record<ProviderId, { aspectRatio: string; resolution?: string; outputFormat?: string; images: string[]; perModelSchema: boolean }>

/** The normalized status each documented word must map to. */
export const WORDS: Record<string, TaskStatus> = {
  pending: 'queued',
  queued: 'queued',
  processing: 'running',
  running: 'running',
  completed: 'succeeded',
  success: 'succeeded',
  succeeded: 'succeeded',
  failed: 'failed',
  in_progress: 'running',
  in_queue: 'queued',
  error: 'failed',
  cancelled: 'canceled',
  canceled: 'canceled',
  waiting: 'queued',
  queuing: 'queued',
  starting: 'queued',
  generating: 'running',
  fail: 'failed',
  // Ended before it ran (a deadline passed): terminal, not a cancel the caller asked for.
  aborted: 'failed',
}

export function errorCodeOf(body: Json, id?: ProviderId): unknown {
  const own = id !== undefined ? FIXTURES[id].errorCodeOf?.(body) : undefined
  if (own !== undefined) return own
  return body && typeof body === 'object' ? (body.error && typeof body.error === 'object' ? body.error.code : body.code) : undefined
}

/**
 * A sent body as `CreateImageTaskRequest` states it: where the model id travels in the path
 * (`meta.operations.create.modelPath`), the body has no `model` and the per-model table needs it back.
 */
export const asRequest = (id: ProviderId, body: Json, model: string): Json => (providers[id].meta?.operations.create.modelPath ? { model, ...body } : body)

/** The id a callback of this task names (its fixture's `callbackTaskIdOf`, else the task id). */
export const callbackTaskId = (id: ProviderId, taskId: string): string => FIXTURES[id].callbackTaskIdOf?.(taskId) ?? taskId

/** A well-formed task id of the provider (its fixture's, for ids with a structure). */
export const sampleTaskId = (id: ProviderId): string => FIXTURES[id].sampleTaskId ?? 'task-unified-42'

/** The status an error should carry: the provider's own JSON code when its fixture says it reports one, else the HTTP status. */
export function effectiveStatus(id: ProviderId, httpStatus: number, body: Json): number {
  return FIXTURES[id].effectiveStatus?.(httpStatus, body) ?? httpStatus
}

/**
 * The class each documented error must become: the HTTP status (or the provider's JSON code) decides,
 * except where the provider documents a code or status that says more (its fixture).
 */
export function expectedErrorClass(id: ProviderId, httpStatus: number, body: Json): ErrorClass {
  const fixture = FIXTURES[id]
  const override = fixture.errorOverrides?.[String(errorCodeOf(body, id))]
  const status = effectiveStatus(id, httpStatus, body)
  return override ?? fixture.statusClasses?.[status] ?? errorClassForStatus(status)
}

/** Error examples of an operation: non-2xx responses, plus failures inside HTTP 200 bodies (a JSON code envelope). */
export function errorExamples(id: ProviderId, operationId: string): ResponseExample[] {
  return responseExamples(id, operationId).filter(
    (e) =>
      e.status >= 400 ||
      (e.status === 200 && typeof e.value?.code === 'number' && e.value.code !== 200) ||
      (e.status === 200 && typeof e.value?.code === 'string' && e.value.code !== 'success'),
  )
}

export const API_KEY = 'sk-test-key'

/** The header the spec's security scheme puts the key in, and its expected value. */
export function authHeader(id: ProviderId): [string, string] {
  const schemes = spec(id).components.securitySchemes
  const scheme: Json = Object.values(schemes)[0]
  return scheme.type === 'http' ? ['authorization', `Bearer ${API_KEY}`] : [String(scheme.name).toLowerCase(), `${scheme['x-auth-prefix'] ?? ''}${API_KEY}`]
}

export interface Sent {
  url: string
  method: string
  headers: Record<string, string>
  body: Json
}

/** A fetch that records every call and answers with `answer` (default: the spec's create example). */
export function fakeFetch(answer: (sent: Sent) => { status?: number; body?: unknown; headers?: Record<string, string> }) {
  const calls: Sent[] = []
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]))
    const sent: Sent = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    }
    calls.push(sent)
    const reply = answer(sent)
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {})
    return new Response(body, { status: reply.status ?? 200, headers: { 'content-type': 'application/json', ...reply.headers } })
  }
  return { fetch: fetch as typeof globalThis.fetch, calls }
}

export interface ServerRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: Json
}

export interface Reply {
  status?: number
  body?: unknown
  headers?: Record<string, string>
}

export interface LocalServer {
  url: string
  requests: ServerRequest[]
  /** What the next requests get; replaced per test. */
  handle: (request: ServerRequest) => Reply
  close(): Promise<void>
}

/** A provider stand-in on 127.0.0.1 (port 0); `handle` decides each answer. */
export async function startServer(): Promise<LocalServer> {
  const state: LocalServer = {
    url: '',
    requests: [],
    handle: () => ({ status: 500, body: { error: 'no handler' } }),
    close: async () => {},
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let body: Json
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {
        body = text
      }
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body }
      state.requests.push(request)
      let reply: Reply
      try {
        reply = state.handle(request)
      } catch (error) {
        reply = { status: 599, body: { error: String(error) } }
      }
      const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {})
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers })
      res.end(payload)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return state
}

/** A regexp matching an OpenAPI path template (`/v1/tasks/{task_id}`), capturing the parameter. */
export function pathPattern(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '([^/?]+)')
  return new RegExp(`^${escaped}(?:\\?|$)`)
}

export const FAST = { initialDelayMs: 10, minDelayMs: 10, maxDelayMs: 20 }
export const NO_RETRY = { submit: { maxRetries: 0 }, poll: { maxRetries: 0 } }
