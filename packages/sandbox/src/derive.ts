// What the sandbox knows about a provider without its hand-written file: everything here is read from the
// provider package's generated meta (specs/CONVENTIONS.md, "Metadata"), so a spec edit reaches the sandbox
// through `pnpm generate && pnpm build`.
import type { OperationMeta, OptionName, ProviderMeta } from '@nano-banana/runtime'
import type { Operation, ProviderWire, Route } from './providers/types.js'
import { formatOf, hasImages, str } from './providers/types.js'
import type { TaskRequest } from './tasks.js'
import type { FaultPhase, TaskPhase } from './types.js'

const PHASES: readonly TaskPhase[] = ['queued', 'running', 'succeeded', 'failed']

/** The inverse of `meta.statusWords`: the first word the spec maps to each phase. */
export function statusWordsOf(meta: ProviderMeta): Record<TaskPhase, string> {
  const words = {} as Record<TaskPhase, string>
  for (const phase of PHASES) {
    const word = Object.keys(meta.statusWords).find((candidate) => meta.statusWords[candidate] === phase)
    // A synchronous answer is never queued or running (and may have no status words at all).
    if (word === undefined && meta.synchronous) {
      words[phase] = phase
      continue
    }
    if (word === undefined) throw new Error(`${meta.id}: the spec maps no status word to ${phase}`)
    words[phase] = word
  }
  return words
}

/**
 * The sandbox's own retry delays for a provider whose spec documents callbacks but no schedule (or no callbacks
 * at all while its requests take a callback URL): three retries, after 5, 30 and 120 seconds.
 */
export const DEFAULT_RETRY_DELAYS_SECONDS: readonly number[] = [5, 30, 120]

/** Delay before each attempt, counted from the previous one: the first delivery is immediate (the one convention). */
export function attemptDelaysOf(meta: ProviderMeta): readonly number[] {
  const callback = meta.callback
  const documented = callback?.retryScheduleDocumented ? callback.retryDelaysSeconds : undefined
  return [0, ...(documented ?? DEFAULT_RETRY_DELAYS_SECONDS)]
}

/** The request field of the callback URL: the spec's callback expression, its `callbackUrl` option, or the wire's fallback. */
export function callbackFieldOf(wire: ProviderWire): string | undefined {
  return wire.meta.callback?.field ?? wire.meta.options.callbackUrl?.fields[0] ?? wire.undocumentedCallbackField
}

export type RoutePhase = FaultPhase | 'credits' | 'cancel'

export interface RouteTable {
  match(method: string, path: string, query: URLSearchParams): (Route & { phase: RoutePhase }) | undefined
  /** The operation's request schema component, for operations with a JSON body. */
  requestSchema(operation: Operation): string | undefined
  /** The create operation's id (other submit operations are synchronous). */
  readonly createOperation: Operation
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Routes from `meta.operations` (and `otherOperations`): method + path template below `/<id>`. */
export function routesOf(meta: ProviderMeta): RouteTable {
  const entries: Array<{ op: OperationMeta; phase: RoutePhase; pattern: RegExp; params: string[] }> = []
  const add = (op: OperationMeta | undefined, phase: RoutePhase): void => {
    if (!op) return
    const params: string[] = []
    const source = op.path
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const param = /^\{([^}]+)\}$/.exec(part)?.[1]
        if (param === undefined) return escapeRegExp(part)
        params.push(param)
        return '([^/]+)'
      })
      .join('')
    entries.push({ op, phase, pattern: new RegExp(`^${source}$`), params })
  }
  add(meta.operations.create, 'submit')
  add(meta.operations.get, 'poll')
  add(meta.operations.result, 'poll')
  add(meta.operations.credits, 'credits')
  add(meta.operations.cancel, 'cancel')
  // Any other operation with a JSON body is a (synchronous) submission; one without is not served.
  for (const op of meta.otherOperations ?? []) if (op.requestSchema) add(op, 'submit')
  return {
    createOperation: meta.operations.create.operationId,
    requestSchema: (operation) => entries.find((entry) => entry.op.operationId === operation)?.op.requestSchema,
    match(method, path, query) {
      for (const { op, phase, pattern, params } of entries) {
        if (op.method !== method) continue
        const found = pattern.exec(path)
        if (!found) continue
        const route: Route & { phase: RoutePhase } = { operation: op.operationId, phase }
        const pathValue = (name: string) => decodeURIComponent(found[params.indexOf(name) + 1] ?? '')
        // Path parameters other than the task id and a model path (`x-model-in-path`) are request facts (a model in the path).
        const claimed = new Set([op.taskId?.name, ...(op.taskId?.parts ?? []), ...(op.modelPath ?? [])])
        for (const name of params) {
          if (claimed.has(name)) continue
          route.params ??= {}
          route.params[name] = pathValue(name)
        }
        if (op.taskId?.parts) {
          // `x-task-id`: the id is the listed path parameters joined by `/`.
          route.taskId = op.taskId.parts.map(pathValue).join('/')
        } else if (op.taskId) {
          const raw = op.taskId.in === 'path' ? found[params.indexOf(op.taskId.name) + 1] : query.get(op.taskId.name)
          route.taskId = raw === undefined || raw === null ? '' : op.taskId.in === 'path' ? decodeURIComponent(raw) : raw
        }
        if (op.modelPath) route.model = op.modelPath.map(pathValue).join('/')
        return route
      }
      return undefined
    },
  }
}

/** The key a request carries, where `meta.auth` says (header name, then the prefix before the key). */
export function keyOf(meta: ProviderMeta, headers: Record<string, string | string[] | undefined>): string | undefined {
  const raw = headers[meta.auth.name.toLowerCase()]
  const value = Array.isArray(raw) ? raw[0] : raw
  if (value === undefined) return undefined
  const prefix = meta.auth.prefix.trim()
  if (!prefix) return value
  return new RegExp(`^${escapeRegExp(prefix)}\\s+(.+)$`, 'i').exec(value)?.[1]?.trim()
}

const at = (body: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), body)

/**
 * What to generate, from a body that passed the spec's request schema: each option is read from the field the
 * model's capabilities name (or the option's first candidate present, for operations outside the model table).
 */
export function readRequest(wire: ProviderWire, body: Record<string, unknown>, operation: Operation): TaskRequest {
  const meta = wire.meta
  const model = String(body.model)
  const entry = meta.models[model] ?? meta.models['*']
  const caps = entry?.capabilities
  const candidates = (option: OptionName): string[] => {
    const own = caps?.fields[option]
    return [...(own ? [own] : []), ...(meta.options[option]?.fields ?? [])]
  }
  const value = (option: OptionName): unknown => {
    for (const path of candidates(option)) {
      const found = at(body, path)
      if (found !== undefined) return found
    }
    return undefined
  }
  // Without a format in the body: the field's default, else the one format the model is documented to produce.
  const formatPath = caps?.fields.outputFormat
  const formatDefault = formatPath ? entry?.fields[formatPath]?.default : undefined
  const onlyFormat = caps?.outputFormats?.length === 1 ? caps.outputFormats[0] : undefined
  const format = formatOf(value('outputFormat') ?? formatDefault, formatOf(onlyFormat))
  const n = value('n')
  const seedPath = Object.keys(entry?.fields ?? {}).find((path) => path === 'seed' || path.endsWith('.seed')) ?? 'seed'
  const seed = at(body, seedPath)
  const callbackField = callbackFieldOf(wire)
  const request: TaskRequest = {
    model,
    prompt: String(value('prompt')),
    seed: seed === undefined || seed === null ? '' : String(seed),
    aspectRatio: str(value('aspectRatio')),
    format,
    n: typeof n === 'number' && n >= 1 ? Math.floor(n) : 1,
    callbackUrl: callbackField ? str(at(body, callbackField)) : undefined,
    taskType: hasImages(...candidates('images').map((path) => at(body, path))) ? 'image2image' : 'text2image',
    body,
  }
  return wire.refineRequest?.(request, body, operation) ?? request
}

/** A copy of the body with a value at a dotted path replaced (for the loopback-callback relaxation). */
export function withValueAt(body: Record<string, unknown>, path: string, next: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.')
  if (!head) return body
  if (rest.length === 0) return { ...body, [head]: next }
  const child = body[head]
  if (!child || typeof child !== 'object' || Array.isArray(child)) return body
  return { ...body, [head]: withValueAt(child as Record<string, unknown>, rest.join('.'), next) }
}

export { at as valueAt }
