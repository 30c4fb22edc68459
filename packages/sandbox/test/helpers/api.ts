import { META } from '@nano-banana/manifest'
import { vi } from 'vitest'
import type { ProviderMeta } from '@nano-banana/runtime'
import { checkImage, once, startTestServer, type RecordedRequest } from '@nano-banana/testkit'
import { PROVIDER_IDS, type ProviderId, type Sandbox, type SandboxEvents } from '../../src/index.js'
import { loadFixture, type Fixture } from './fixture.js'
import { authHeaderOf, findOperation, hasOperation, queryPathOf, statusWordsOf, validateAgainstSpec } from './spec.js'

/** Task providers (create, then query): the shared lifecycle suites. Synchronous ones (`meta.synchronous`): synchronous.test.ts. */
export const PROVIDERS: readonly ProviderId[] = PROVIDER_IDS.filter((id) => !(META[id] as ProviderMeta).synchronous)
export const SYNC_PROVIDERS: readonly ProviderId[] = PROVIDER_IDS.filter((id) => (META[id] as ProviderMeta).synchronous)

type Json = Record<string, any>

/** How a test speaks to one provider: paths, key and words from its spec, request fields from its meta, the rest from its fixture. */
export interface Driver extends Fixture {
  model: string
  createPath: string
  /** The create path for another model (the same as `createPath` unless the path carries the model). */
  createPathFor: (model: string) => string
  queryPath: (id: string) => string
  creditsPath: string | undefined
  /** The HTTP status of an accepted create: the create operation's documented 2xx (Replicate's is 201). */
  createdStatus: number
  /** A valid create body; `extra` adds the aspect ratio / format / n / callback fields in the provider's own names. */
  createBody: (prompt: string, extra?: { aspect?: string; jpeg?: boolean; n?: number; callbackUrl?: string }) => Json
  /** The request fields the default model has, by option. */
  fields: Partial<Record<'prompt' | 'aspectRatio' | 'outputFormat' | 'n' | 'images' | 'callbackUrl', string>>
  words: { queued: string; running: string; done: string; failed: string }
  authHeader: (key: string) => Record<string, string>
  /** The callback payload seen as a query answer. */
  asQueried: (payload: Json) => Json
  /** The part of a query answer a callback carries. */
  callbackPart: (queried: Json) => Json
}

function setAt(body: Json, path: string, value: unknown): void {
  const keys = path.split('.')
  let node = body
  for (const key of keys.slice(0, -1)) node = node[key] ??= {}
  node[keys.at(-1)!] = value
}

/** The request field of a callback URL: the spec's callback expression, else its `callbackUrl` option, else the body's `callback_url`. */
function callbackFieldOf(id: ProviderId): string {
  const meta = META[id] as (typeof META)[ProviderId] & { callback?: { field?: string } }
  return meta.callback?.field ?? (meta.options as Json).callbackUrl?.fields[0] ?? 'callback_url'
}

export function fillModelPath(path: string, names: readonly string[] | undefined, model: string): string {
  if (!names) return path
  const pieces = model.split('/')
  return names.reduce((out, name, i) => out.replace(`{${name}}`, encodeURIComponent(pieces[i] ?? '')), path)
}

/** A callback URL that travels in the query (`{$request.query.<name>}`) leaves the body for the path's query string. */
function withQueryCallback(provider: ProviderId, path: string, body: unknown): { path: string; body: unknown } {
  const callback = (META[provider] as Json).callback
  if (callback?.in !== 'query' || !body || typeof body !== 'object' || !(callback.field in body)) return { path, body }
  const { [callback.field]: url, ...rest } = body as Json
  return { path: `${path}${path.includes('?') ? '&' : '?'}${callback.field}=${encodeURIComponent(String(url))}`, body: rest }
}

function driverOf(id: ProviderId, fixture: Fixture): Driver {
  const meta = META[id]
  const model = fixture.model ?? meta.defaultModel
  const models = meta.models as Json
  const caps = (models[model] ?? models['*']).capabilities
  const fields = { ...caps.fields, callbackUrl: callbackFieldOf(id) }
  const spell = (value: string): string => (meta.options as Json).outputFormat?.values?.[value] ?? value
  return {
    ...fixture,
    model,
    fields,
    // `x-model-in-path`: the model's segments fill the path parameters.
    createPath: fillModelPath(findOperation(id, 'createImageTask').path, (meta.operations.create as Json).modelPath, model),
    createPathFor: (other) => fillModelPath(findOperation(id, 'createImageTask').path, (meta.operations.create as Json).modelPath, other),
    queryPath: (taskId) => queryPathOf(id, taskId),
    createdStatus: Number(findOperation(id, 'createImageTask').responses.find((response) => /^2\d\d$/.test(response.code))?.code ?? 200),
    creditsPath: hasOperation(id, 'getCredits') ? findOperation(id, 'getCredits').path : undefined,
    createBody: (prompt, extra = {}) => {
      const body: Json = (meta.operations.create as Json).modelPath ? {} : { model }
      setAt(body, fields.prompt, prompt)
      if (extra.aspect && fields.aspectRatio) setAt(body, fields.aspectRatio, extra.aspect)
      if (fields.outputFormat) setAt(body, fields.outputFormat, spell(extra.jpeg ? 'jpeg' : 'png'))
      if (extra.n && fields.n) setAt(body, fields.n, extra.n)
      if (extra.callbackUrl) setAt(body, fields.callbackUrl, extra.callbackUrl)
      return body
    },
    words: statusWordsOf(id),
    authHeader: (key) => authHeaderOf(id, key),
    asQueried: fixture.asQueried ?? ((payload) => (fixture.callbackPayloadKey ? { [fixture.callbackPayloadKey]: payload } : payload)),
    callbackPart: fixture.callbackPart ?? ((queried) => (fixture.callbackPayloadKey ? queried[fixture.callbackPayloadKey] : queried)),
  }
}

export const DRIVERS = Object.fromEntries(await Promise.all(PROVIDERS.map(async (id) => [id, driverOf(id, await loadFixture(id))] as const))) as Record<
  ProviderId,
  Driver
>

/** Providers whose spec documents callbacks (the rest take a callback URL on the sandbox's own terms). */
export const WITH_DOCUMENTED_CALLBACKS = PROVIDERS.filter((id) => (META[id] as Json).callback !== undefined)
/** Providers whose test model takes an output format. */
export const WITH_FORMAT = PROVIDERS.filter((id) => DRIVERS[id].fields.outputFormat !== undefined)
/** Providers whose create answer carries a time estimate. */
export const WITH_ESTIMATE = PROVIDERS.filter((id) => DRIVERS[id].estimateOf !== undefined)
/** Providers with a credits endpoint. */
export const WITH_CREDITS = PROVIDERS.filter((id) => DRIVERS[id].creditsPath !== undefined)

/** Width and height for an aspect ratio with the given long side (the tests' own arithmetic). */
export function sizeFor(aspect: string, longSide = 256): { width: number; height: number } {
  const [w, h] = aspect === 'auto' ? [1, 1] : (aspect.split(':').map(Number) as [number, number])
  return w >= h ? { width: longSide, height: Math.round((longSide * h) / w) } : { width: Math.round((longSide * w) / h), height: longSide }
}

export interface CallResult {
  status: number
  headers: Headers
  text: string
  /** Parsed JSON, undefined when the body is not JSON. */
  body: any
  ms: number
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT'
  body?: unknown
  /** The key to send; null sends none. Default: the sandbox's key. */
  key?: string | null
  headers?: Record<string, string>
  /** Skip the spec check (only for answers that are deliberately not JSON). */
  raw?: boolean
}

/**
 * One request to a provider operation. Every JSON answer is validated against the spec's response schema for
 * that operation and status before the test sees it.
 */
export async function call(sandbox: Sandbox, provider: ProviderId, operationId: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const started = Date.now()
  const key = options.key === undefined ? sandbox.apiKey : options.key
  const response = await fetch(sandbox.baseUrl(provider) + path, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(key === null ? {} : DRIVERS[provider].authHeader(key)),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  })
  const text = await response.text()
  let body: any
  // `application/json`, or a JSON subtype such as `application/problem+json`.
  if (/^application\/([\w.-]+\+)?json\b/.test(response.headers.get('content-type') ?? '') && !options.raw) {
    body = JSON.parse(text)
    validateAgainstSpec(provider, operationId, response.status, body)
  }
  return { status: response.status, headers: response.headers, text, body, ms: Date.now() - started }
}

export function create(sandbox: Sandbox, provider: ProviderId, body: unknown, headers: Record<string, string> = {}): Promise<CallResult> {
  const sent = withQueryCallback(provider, DRIVERS[provider].createPath, body)
  return call(sandbox, provider, 'createImageTask', sent.path, { body: sent.body, headers })
}

/**
 * Where the query answer carries only the status (`meta.operations.result`), an ended task's output is read
 * from the result operation; the answer then carries it as `result` (the output or the error body).
 */
export async function withResult(sandbox: Sandbox, provider: ProviderId, id: string, answer: CallResult): Promise<CallResult> {
  const result = (META[provider].operations as Json).result
  if (!result) return answer
  const read = await call(sandbox, provider, result.operationId, queryPathOf(provider, id, result.operationId))
  return { ...answer, body: { ...answer.body, result: read.body, resultStatus: read.status } }
}

export function query(sandbox: Sandbox, provider: ProviderId, id: string, headers: Record<string, string> = {}): Promise<CallResult> {
  return call(sandbox, provider, 'getImageTask', DRIVERS[provider].queryPath(id), { headers })
}

/** One query of an ended task, with its result where the spec has a result operation. */
export async function queryEnded(sandbox: Sandbox, provider: ProviderId, id: string): Promise<CallResult> {
  return withResult(sandbox, provider, id, await query(sandbox, provider, id))
}

/** Polls until the task leaves the in-progress words; returns every answer seen. */
export async function pollToEnd(sandbox: Sandbox, provider: ProviderId, id: string, everyMs = 15, timeoutMs = 5000): Promise<CallResult[]> {
  const driver = DRIVERS[provider]
  const seen: CallResult[] = []
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const answer = await query(sandbox, provider, id)
    const status = driver.statusOf(answer.body)
    if (status === driver.words.done || status === driver.words.failed) {
      seen.push(await withResult(sandbox, provider, id, answer))
      return seen
    }
    seen.push(answer)
    if (Date.now() > deadline) throw new Error(`${provider} task ${id} still ${status} after ${timeoutMs} ms`)
    await sleep(everyMs)
  }
}

/**
 * Queries the task at every `step` (a fraction of its duration) of a clock the caller fakes
 * (`vi.useFakeTimers({ toFake: ['Date'] })`, set to `createdAt`), until it leaves the in-progress
 * words; returns every answer seen, the last with its result.
 */
export async function stepToEnd(sandbox: Sandbox, provider: ProviderId, id: string, createdAt: number, durationMs: number, step = 0.01): Promise<CallResult[]> {
  const driver = DRIVERS[provider]
  const seen: CallResult[] = []
  for (let at = 0; ; at += step) {
    vi.setSystemTime(createdAt + Math.round(at * durationMs))
    const answer = await query(sandbox, provider, id)
    const status = driver.statusOf(answer.body)
    if (status === driver.words.done || status === driver.words.failed) {
      seen.push(await withResult(sandbox, provider, id, answer))
      return seen
    }
    seen.push(answer)
    if (at > 2) throw new Error(`${provider} task ${id} still ${status} at twice its duration`)
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The next event of this name that matches, e.g. `nextEvent(sandbox, 'callback-settled', (o) => o.taskId === id)`. */
export function nextEvent<E extends keyof SandboxEvents>(
  sandbox: Sandbox,
  name: E,
  match: (value: SandboxEvents[E][0]) => boolean = () => true,
): Promise<SandboxEvents[E][0]> {
  return once<SandboxEvents[E][0]>(sandbox.events, name, { filter: match, what: `sandbox event ${name}` })
}

/** Waits until the clock has passed a moment (a deadline the sandbox computes from the same clock). */
export async function untilPast(moment: number): Promise<void> {
  while (Date.now() <= moment) await sleep(Math.max(1, moment - Date.now() + 1))
}

/** Decodes a PNG or JPEG header and proves the file is whole (throws on a truncated one). */
export function decodeImage(bytes: Buffer): { kind: 'png' | 'jpeg'; width: number; height: number } {
  const { format, width, height } = checkImage(bytes)
  return { kind: format, width, height }
}

export interface Receiver {
  url: string
  hits: RecordedRequest[]
  close: () => Promise<void>
}

/**
 * A callback receiver on 127.0.0.1 that answers `statuses` in turn (then 200); a status of 0 drops the
 * connection without an answer (a connection error for the sender).
 */
export async function startReceiver(statuses: number[] = []): Promise<Receiver> {
  let answered = 0
  const server = await startTestServer({
    handle: () => {
      const status = statuses[answered++] ?? 200
      return status === 0 ? { destroy: true } : { status, body: {} }
    },
  })
  return { url: `${server.url}/hooks/nano-banana`, hits: server.requests, close: () => server.close() }
}
