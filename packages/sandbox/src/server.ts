import { EventEmitter } from 'node:events'
import { timerDelay } from './timers.js'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CallbackDispatcher } from './callbacks.js'
import { attemptDelaysOf, callbackFieldOf, keyOf, readRequest, routesOf, statusWordsOf, valueAt, withValueAt, type RouteTable } from './derive.js'
import { DELAY_HEADER, FAULT_HEADER, FaultQueue, PROXY_ERROR_PAGE, REFUSING_FAULTS, TASK_FAULTS, parseFaultHeader } from './faults.js'
import { intHeader, jsonAnswer, preflight, readBody, resetConnection, write, type RawAnswer } from './http.js'
import { ImageStore, extension, mimeType, type StoredImage } from './images.js'
import { BoundedLog } from './log.js'
import { PROVIDERS, type ErrorKind, type Operation, type ProviderWire, type Reply, type WireContext } from './providers/index.js'
import { loadSpecs } from './spec.js'
import { TaskStore, type Task, type TaskSnapshot } from './tasks.js'
import { createUploads, type ServedImage, UPLOADS_PREFIX } from './uploads.js'
import {
  PROVIDER_IDS,
  isProviderId,
  resolveOptions,
  type CallbackAttempt,
  type CallbackOutcome,
  type FaultName,
  type FaultRule,
  type ProviderId,
  type RequestLogEntry,
  type LegacySandboxOptions,
  type SandboxEvents,
  type SandboxOptions,
  type TaskPhase,
  type TaskView,
} from './types.js'

export const DURATION_HEADER = 'x-sandbox-duration-ms'

export interface Sandbox {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string
  readonly port: number
  /** The key every provider accepts. */
  readonly apiKey: string
  /** Base URL of one provider: `${url}/${provider}`; append the spec's paths unchanged. */
  baseUrl(provider: ProviderId): string
  baseUrls(): Record<ProviderId, string>
  readonly faults: {
    /** Queue a fault for the next `count` (default 1) matching requests. */
    add(rule: FaultRule): void
    clear(): void
    pending(): FaultRule[]
  }
  /** Tasks accepted (created), per provider or in total. */
  submissions(provider?: ProviderId): number
  /** The newest requests (at most `logLimit`), in arrival order; a fresh copy on each read. */
  readonly requests: readonly RequestLogEntry[]
  /** The newest callback attempts (at most `logLimit`), in order; a fresh copy on each read. */
  readonly callbacks: readonly CallbackAttempt[]
  /** `request`, `task-finished`, `callback-attempt`, `callback-settled`: wait for these instead of sleeping. */
  readonly events: EventEmitter<SandboxEvents>
  /** Resolves when the callback delivery of this task has ended (at once when it already has; never without a callback). */
  callbackOutcome(provider: ProviderId, taskId: string): Promise<CallbackOutcome>
  readonly tasks: {
    list(provider?: ProviderId): TaskView[]
    get(provider: ProviderId, id: string): TaskView | undefined
  }
  /**
   * A fetch for receivers under test: requests for a provider's public URLs on its other servers (the spec's
   * operation-level `servers`, e.g. webhook signing keys) go to the sandbox's stand-in; everything else is sent as is.
   */
  readonly fetch: typeof globalThis.fetch
  /**
   * Serves `bytes` (an image of `contentType`) at an unguessable URL on the sandbox's origin until `stop()` or
   * `close()`: how a program hands a local reference image to the sandbox's providers, which take URLs.
   */
  serveImage(bytes: Uint8Array, contentType: string): ServedImage
  /** Stops the server, its timers, callbacks and open connections. Safe to call twice. */
  close(): Promise<void>
}

const REFUSAL_KINDS: Partial<Record<FaultName, ErrorKind>> = {
  'rate-limit': 'rateLimited',
  'server-error': 'serverError',
  'bad-gateway': 'badGateway',
  unavailable: 'unavailable',
}

/** Answers the spec'd providers would refuse (the sandbox accepts them so a local receiver works). */
const LOOPBACK_HTTP = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/i

/** What the shared server derives once per provider from its generated meta. */
interface Derived {
  wire: ProviderWire
  routes: RouteTable
  words: Record<TaskPhase, string>
  delaysSeconds: readonly number[]
  callbackTimeoutMs: number | undefined
  callbackField: string | undefined
}

const DERIVED = new Map<ProviderId, Derived>()
function derived(id: ProviderId): Derived {
  let entry = DERIVED.get(id)
  if (!entry) {
    const wire = PROVIDERS[id]
    const timeout = wire.meta.callback?.timeoutSeconds
    entry = {
      wire,
      routes: routesOf(wire.meta),
      words: statusWordsOf(wire.meta),
      delaysSeconds: attemptDelaysOf(wire.meta),
      callbackTimeoutMs: timeout === undefined ? undefined : timeout * 1000,
      callbackField: callbackFieldOf(wire),
    }
    DERIVED.set(id, entry)
  }
  return entry
}

/** Options under an older, provider-named spelling (declared by that provider's file) -> their generic name. */
function withLegacyOptions(options: SandboxOptions): SandboxOptions {
  const out: Record<string, unknown> = { ...options }
  for (const id of PROVIDER_IDS) {
    for (const [legacy, generic] of Object.entries(PROVIDERS[id].legacyOptions ?? {})) {
      if (out[legacy] !== undefined && out[generic] === undefined) out[generic] = out[legacy]
    }
  }
  return out as SandboxOptions
}

/** Starts the sandbox: one HTTP server on 127.0.0.1 serving every provider under `/<provider>`. */
export async function startSandbox(options: SandboxOptions & LegacySandboxOptions = {}): Promise<Sandbox> {
  const opts = resolveOptions(withLegacyOptions(options))
  const specs = loadSpecs(PROVIDER_IDS.map((id) => PROVIDERS[id]))
  for (const id of PROVIDER_IDS) {
    const { routes, wire } = derived(id)
    const names = [wire.meta.operations.create, ...(wire.meta.otherOperations ?? [])].map((op) => routes.requestSchema(op.operationId))
    specs.warm(
      id,
      names.filter((name): name is string => name !== undefined),
    )
  }
  const queue = new FaultQueue()
  for (const rule of options.faults ?? []) queue.add(rule)
  const requestLog = new BoundedLog<RequestLogEntry>(opts.logLimit)
  const callbackLog = new BoundedLog<CallbackAttempt>(opts.logLimit)
  const events = new EventEmitter<SandboxEvents>()
  // Tests may wait on many tasks at once (`callbackOutcome`); that is not a leak.
  events.setMaxListeners(0)
  const outcomes = new Map<string, CallbackOutcome>()
  const images = new ImageStore()
  const dispatcher = new CallbackDispatcher({
    scale: opts.callbackDelayScale,
    slowMs: opts.slowMs,
    allowExternal: opts.allowExternalCallbacks,
    faults: queue,
    log: callbackLog,
    onAttempt: (attempt) => events.emit('callback-attempt', attempt),
    onSettled: (outcome) => {
      outcomes.set(`${outcome.provider}\u0000${outcome.taskId}`, outcome)
      events.emit('callback-settled', outcome)
    },
  })
  let url = ''
  let closed = false
  const uploads = createUploads()
  const sleepers = new Set<() => void>()

  const fileUrl = (image: StoredImage): string => `${url}/files/${image.token}.${extension(image.format)}`
  const contexts = new Map<ProviderId, WireContext>()
  const ctxOf = (id: ProviderId): WireContext => {
    let ctx = contexts.get(id)
    if (!ctx) {
      const words = derived(id).words
      ctx = { options: opts, fileUrl, word: (phase) => words[phase], baseUrl: `${url}/${id}`, bytes: (image) => images.render(image) }
      contexts.set(id, ctx)
    }
    return ctx
  }

  const tasks = new TaskStore({
    images,
    imageLongSide: opts.imageLongSide,
    resultTtlMs: opts.resultTtlMs,
    onFinish(task) {
      if (closed) return
      events.emit('task-finished', view(task))
      if (!task.callbackUrl) return
      const { wire, delaysSeconds, callbackTimeoutMs } = derived(task.provider)
      const snapshot = tasks.snapshot(task)
      dispatcher.send({
        provider: task.provider,
        taskId: task.id,
        url: task.callbackUrl,
        payload: wire.callback.payload(task, snapshot, ctxOf(task.provider)),
        headers: (now, body) => wire.callback.headers?.(task, now, body, opts.webhookSecret) ?? {},
        delaysSeconds,
        timeoutMs: opts.callbackTimeoutMs ?? callbackTimeoutMs ?? 10_000,
      })
    },
  })

  /** A delay that ends early when the sandbox closes. */
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        sleepers.delete(done)
        resolve()
      }
      // A delay past the timer limit would fire at once: it is clamped (the callers re-check their condition).
      const timer = setTimeout(done, timerDelay(ms))
      sleepers.add(done)
    })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = new URL(req.url ?? '/', 'http://sandbox.invalid')
    const method = req.method ?? 'GET'
    const [, first = '', ...rest] = target.pathname.split('/')
    const entry: RequestLogEntry = {
      at: Date.now(),
      method,
      path: `${target.pathname}${target.search}`,
      provider: undefined,
      phase: 'other',
      operation: undefined,
      status: 0,
      faults: [],
    }
    requestLog.push(entry)
    const header = parseFaultHeader(req.headers[FAULT_HEADER])
    if (header.unknown.length > 0) {
      return finish(req, res, entry, jsonAnswer(400, { error: { code: 'unknown_sandbox_fault', message: `unknown fault(s): ${header.unknown.join(', ')}` } }))
    }

    if (first === 'files' && (method === 'GET' || method === 'HEAD')) return download(req, res, entry, rest.join('/'), header.faults)
    if (first === UPLOADS_PREFIX && (method === 'GET' || method === 'HEAD')) {
      const answer = uploads.answer(rest.join('/'))
      return finish(req, res, entry, answer ?? jsonAnswer(404, { error: { code: 'not_found', message: 'No such file' } }))
    }
    if (!isProviderId(first)) {
      if (target.pathname === '/')
        return finish(
          req,
          res,
          entry,
          jsonAnswer(200, {
            name: '@nano-banana/sandbox',
            providers: sandbox.baseUrls(),
            submissions: Object.fromEntries(PROVIDER_IDS.map((p) => [p, sandbox.submissions(p)])),
          }),
        )
      const message = `no provider at /${first}; known: ${PROVIDER_IDS.join(', ')}`
      return finish(req, res, entry, jsonAnswer(404, { error: { code: 'not_found', message } }))
    }

    const { wire, routes } = derived(first)
    const ctx = ctxOf(first)
    entry.provider = wire.id
    const open = method === 'GET' ? publicOperation(wire, `/${rest.join('/')}`) : undefined
    if (open) return finish(req, res, entry, toAnswer(open(ctx)))
    const route = routes.match(method, `/${rest.join('/')}`, target.searchParams)
    if (!route) return finish(req, res, entry, toAnswer(wire.error('routeNotFound', undefined, ctx)))
    entry.operation = route.operation
    entry.phase = route.phase

    const faults = [...header.faults]
    let ruleDelay: number | undefined
    if (entry.phase === 'submit' || entry.phase === 'poll') {
      const rule = queue.take(wire.id, entry.phase)
      if (rule) {
        faults.push(rule.fault)
        ruleDelay = rule.delayMs
      }
    }
    entry.faults = faults
    const delayMs = faults.includes('slow') ? (intHeader(req, DELAY_HEADER) ?? ruleDelay ?? opts.slowMs) : 0
    const modifiers = { delayMs, truncate: faults.includes('malformed-json'), resetAfter: faults.includes('reset-after-accept') }

    const refusal = faults.find((fault) => REFUSING_FAULTS.has(fault))
    if (refusal === 'reset-before-accept') return reset(req, entry)
    if (refusal) {
      // Read the body so the client is not cut off mid-upload: this is an answer, not a reset.
      await readBody(req).catch(() => undefined)
      const answer =
        refusal === 'html-error'
          ? { status: 502, headers: { 'content-type': 'text/html' }, body: PROXY_ERROR_PAGE }
          : toAnswer(wire.error(REFUSAL_KINDS[refusal]!, route.operation, ctx), refusal === 'rate-limit' ? { 'retry-after': '1' } : {})
      return finish(req, res, entry, answer, { ...modifiers, truncate: false })
    }

    const key = keyOf(wire.meta, req.headers)
    if (key !== opts.apiKey || (wire.acceptsKey !== undefined && !wire.acceptsKey(key))) {
      await readBody(req).catch(() => undefined)
      return finish(req, res, entry, toAnswer(wire.error('unauthorized', route.operation, ctx)), modifiers)
    }

    const taskFaults = faults.filter((fault) => TASK_FAULTS.has(fault))
    let reply: Reply
    if (route.phase === 'credits') {
      reply = wire.credits?.(ctx) ?? wire.error('routeNotFound', route.operation, ctx)
    } else if (route.phase === 'poll' || route.phase === 'cancel') {
      reply = query(wire, route.taskId ?? '', taskFaults, entry, route.operation, route.phase)
    } else {
      reply = await submit(req, wire, route.operation, taskFaults, entry, { model: route.model, query: target.searchParams, params: route.params ?? {} })
    }
    return finish(req, res, entry, toAnswer(reply), modifiers)
  }

  function query(
    wire: ProviderWire,
    taskId: string,
    taskFaults: FaultName[],
    entry: RequestLogEntry,
    operation = wire.meta.operations.get?.operationId ?? '',
    phase: 'poll' | 'cancel' = 'poll',
  ): Reply {
    const ctx = ctxOf(wire.id)
    const early = wire.checkTaskId?.(taskId, ctx)
    if (early) return early
    const task = tasks.get(wire.id, taskId)
    if (!task) return wire.error('taskNotFound', operation, ctx, { taskId })
    entry.taskId = task.id
    for (const fault of taskFaults) tasks.applyFault(task, fault)
    if (phase === 'cancel') {
      const end = (): TaskSnapshot => {
        tasks.cancel(task)
        return tasks.snapshot(task)
      }
      return wire.cancel?.(task, tasks.snapshot(task), ctx, end) ?? wire.error('routeNotFound', operation, ctx)
    }
    return wire.query(task, tasks.snapshot(task), ctx, operation)
  }

  async function submit(
    req: IncomingMessage,
    wire: ProviderWire,
    operation: Operation,
    taskFaults: FaultName[],
    entry: RequestLogEntry,
    from: { model?: string | undefined; query: URLSearchParams; params?: Record<string, string> } = { query: new URLSearchParams() },
  ): Promise<Reply> {
    const ctx = ctxOf(wire.id)
    const { routes, callbackField } = derived(wire.id)
    let body: unknown
    try {
      body = JSON.parse((await readBody(req)).toString('utf8'))
    } catch {
      return wire.error('invalid', operation, ctx, { issue: { path: '', field: undefined, keyword: 'type', message: 'body must be valid JSON' } })
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return wire.error('invalid', operation, ctx, { issue: { path: '', field: undefined, keyword: 'type', message: 'body must be a JSON object' } })
    }
    // `x-model-in-path`: the model is the path's, and the body has none of its own.
    const record = (from.model !== undefined ? { ...body, model: from.model } : body) as Record<string, unknown>
    if (from.model !== undefined && !Object.hasOwn(wire.meta.models, from.model)) {
      return wire.error('modelNotFound', operation, ctx, { model: from.model })
    }
    const schema = routes.requestSchema(operation)
    if (!schema) return wire.error('routeNotFound', operation, ctx)
    const check = specs.checkRequest(wire.id, schema, forValidation(from.model !== undefined ? (body as Record<string, unknown>) : record, callbackField))
    if (!check.ok) {
      const reply = wire.error(check.issue.keyword === 'model' ? 'modelNotFound' : 'invalid', operation, ctx, { issue: check.issue, model: String(record.model) })
      return { ...reply, headers: { ...reply.headers, 'x-sandbox-violation': check.issue.message.replace(/[^\x20-\x7e]/g, '?') } }
    }
    // A path parameter (a model in the path) is part of the request as much as the body is.
    const withParams = { ...from.params, ...record }
    const unknownModel = wire.checkModel?.(String(withParams.model), operation, ctx)
    if (unknownModel) return unknownModel
    const durationMs = intHeader(req, DURATION_HEADER) ?? opts.taskDurationMs
    const now = Date.now()
    const request = readRequest(wire, withParams, operation)
    // A callback URL that travels in the query (`{$request.query.<name>}`).
    if (wire.meta.callback?.in === 'query' && wire.meta.callback.field) request.callbackUrl = from.query.get(wire.meta.callback.field) ?? undefined
    const id = wire.newTaskId(now, request)
    const task = tasks.create(wire.id, id, request, durationMs, taskFaults, now)
    entry.taskId = task.id
    if ((operation === routes.createOperation && !wire.meta.synchronous) || !wire.syncResult) return wire.created(task, ctx)
    // Synchronous endpoints hold the request open until the images exist.
    for (;;) {
      if (closed || task.outcome) break
      tasks.snapshot(task)
      if (task.outcome) break
      await sleep(Math.max(5, task.createdAt + task.durationMs - Date.now()))
      if (task.stuck) await sleep(1000)
    }
    return wire.syncResult(task, ctx, operation)
  }

  async function download(req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry, file: string, headerFaults: FaultName[]): Promise<void> {
    entry.phase = 'download'
    entry.operation = 'download'
    const [token = '', ext = ''] = file.split('.')
    const image = images.get(token)
    if (!image || ext !== extension(image.format)) {
      return finish(req, res, entry, jsonAnswer(404, { error: { code: 'not_found', message: 'No such file' } }))
    }
    entry.provider = image.provider as ProviderId
    entry.taskId = image.taskId
    const faults = [...headerFaults]
    const rule = queue.take(entry.provider, 'download')
    if (rule) faults.push(rule.fault)
    entry.faults = faults
    const delayMs = faults.includes('slow') ? (intHeader(req, DELAY_HEADER) ?? rule?.delayMs ?? opts.slowMs) : 0
    if (faults.includes('reset-before-accept') || faults.includes('reset-after-accept')) return reset(req, entry)
    const refusal = faults.find((fault) => REFUSING_FAULTS.has(fault))
    let answer: RawAnswer
    if (refusal === 'html-error') {
      answer = { status: 502, headers: { 'content-type': 'text/html' }, body: PROXY_ERROR_PAGE }
    } else if (refusal) {
      const status = { 'rate-limit': 429, 'server-error': 500, 'bad-gateway': 502, unavailable: 503 }[refusal as 'rate-limit'] ?? 500
      answer = jsonAnswer(status, { error: { code: refusal, message: `sandbox fault: ${refusal}` } }, refusal === 'rate-limit' ? { 'retry-after': '1' } : {})
    } else if (image.forceExpired || faults.includes('expired-url') || Date.now() >= image.expiresAt) {
      answer = jsonAnswer(404, { error: { code: 'url_expired', message: 'This result URL has expired' } })
    } else {
      let bytes = images.render(image)
      // A body cut in half: the download "succeeds" but the image does not decode.
      if (faults.includes('malformed-json')) bytes = bytes.subarray(0, Math.floor(bytes.length / 2))
      const maxAge = Math.max(0, Math.floor((image.expiresAt - Date.now()) / 1000))
      answer = { status: 200, headers: { 'content-type': mimeType(image.format), 'cache-control': `private, max-age=${maxAge}` }, body: bytes }
    }
    return finish(req, res, entry, answer, { delayMs, truncate: false, resetAfter: false })
  }

  function reset(req: IncomingMessage, entry: RequestLogEntry): void {
    entry.status = 0
    resetConnection(req)
    events.emit('request', entry)
  }

  async function finish(
    req: IncomingMessage,
    res: ServerResponse,
    entry: RequestLogEntry,
    answer: RawAnswer,
    modifiers: { delayMs: number; truncate: boolean; resetAfter: boolean } = { delayMs: 0, truncate: false, resetAfter: false },
  ): Promise<void> {
    if (modifiers.resetAfter) return reset(req, entry)
    if (modifiers.delayMs > 0) await sleep(modifiers.delayMs)
    if (closed || res.destroyed) return
    if (modifiers.truncate && typeof answer.body === 'string') {
      answer = { ...answer, body: answer.body.slice(0, Math.max(1, Math.floor(answer.body.length / 2))) }
    }
    entry.status = answer.status
    write(res, answer, req.method === 'HEAD')
    events.emit('request', entry)
  }

  const server = createServer((req, res) => {
    // A browser's CORS preflight, not a provider call: answered before the log and the fault queue.
    if (req.method === 'OPTIONS') return preflight(req, res, [FAULT_HEADER, DELAY_HEADER, DURATION_HEADER])
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return
      write(res, jsonAnswer(500, { error: { code: 'sandbox_error', message: error instanceof Error ? error.message : String(error) } }))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  url = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`

  let closing: Promise<void> | undefined
  const view = (task: Task): TaskView => {
    const snapshot = tasks.snapshot(task)
    return {
      id: task.id,
      provider: task.provider,
      model: task.model,
      prompt: task.prompt,
      phase: snapshot.phase,
      status: derived(task.provider).words[snapshot.phase],
      progress: snapshot.progress,
      createdAt: task.createdAt,
      durationMs: task.durationMs,
      finishedAt: task.finishedAt,
      resultUrls: task.images.map(fileUrl),
      callbackUrl: task.callbackUrl,
      width: task.width,
      height: task.height,
      format: task.format,
      n: task.n,
      faults: [...task.faults],
    }
  }

  const standIns = PROVIDER_IDS.flatMap((id) =>
    (PROVIDERS[id].meta.otherOperations ?? [])
      .filter((op) => op.server !== undefined && PROVIDERS[id].publicRoutes?.[op.operationId])
      .map((op) => ({ real: `${op.server!.replace(/\/$/, '')}${op.path}`, local: `${url}/${id}${op.path}` })),
  )
  const standInFetch: typeof globalThis.fetch = (input, init) => {
    const target = input instanceof Request ? input.url : String(input)
    const standIn = standIns.find((entry) => target === entry.real)
    return globalThis.fetch(standIn ? standIn.local : input, init)
  }

  const sandbox: Sandbox = {
    url,
    port,
    fetch: standInFetch,
    apiKey: opts.apiKey,
    baseUrl: (provider) => `${url}/${provider}`,
    baseUrls: () => Object.fromEntries(PROVIDER_IDS.map((id) => [id, `${url}/${id}`])) as Record<ProviderId, string>,
    faults: {
      add: (rule) => queue.add(rule),
      clear: () => queue.clear(),
      pending: () => queue.pending(),
    },
    submissions: (provider) => tasks.submissions(provider),
    get requests() {
      return requestLog.toArray()
    },
    get callbacks() {
      return callbackLog.toArray()
    },
    events,
    callbackOutcome(provider, taskId) {
      const known = outcomes.get(`${provider}\u0000${taskId}`)
      if (known) return Promise.resolve(known)
      return new Promise((resolve) => {
        const listener = (outcome: CallbackOutcome): void => {
          if (outcome.provider !== provider || outcome.taskId !== taskId) return
          events.off('callback-settled', listener)
          resolve(outcome)
        }
        events.on('callback-settled', listener)
      })
    },
    tasks: {
      list: (provider) => tasks.list(provider).map(view),
      get: (provider, id) => {
        const task = tasks.get(provider, id)
        return task ? view(task) : undefined
      },
    },
    serveImage: (bytes, contentType) => uploads.add(url, bytes, contentType),
    close() {
      closing ??= (async () => {
        closed = true
        uploads.clear()
        tasks.clear()
        for (const wake of [...sleepers]) wake()
        await dispatcher.close()
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeAllConnections()
        await stopped
        images.clear()
      })()
      return closing
    },
  }
  return sandbox
}

/** The public GET operation of a provider's other server at this path, when its renderer answers it. */
function publicOperation(wire: ProviderWire, path: string): ((ctx: WireContext) => Reply) | undefined {
  const op = (wire.meta.otherOperations ?? []).find((candidate) => candidate.server !== undefined && candidate.method === 'GET' && candidate.path === path)
  return op ? wire.publicRoutes?.[op.operationId] : undefined
}

function toAnswer(reply: Reply, extra: Record<string, string> = {}): RawAnswer {
  return jsonAnswer(reply.status, reply.body, { ...reply.headers, ...extra })
}

/** The body as the spec check sees it: a loopback http callback counts as https (see LOOPBACK_HTTP). */
function forValidation(body: Record<string, unknown>, callbackField: string | undefined): Record<string, unknown> {
  if (!callbackField) return body
  const callback = valueAt(body, callbackField)
  if (typeof callback === 'string' && LOOPBACK_HTTP.test(callback)) return withValueAt(body, callbackField, callback.replace(/^http:/i, 'https:'))
  return body
}
