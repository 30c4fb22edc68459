// Every provider is served under `/<id>` of the sandbox; the list is the generated manifest.
export { PROVIDER_IDS, isProviderId, type ProviderId } from '@nano-banana/manifest'
import type { ProviderId } from '@nano-banana/manifest'

/** Where a fault strikes: the create request, a task query, a result download, or an outgoing callback. */
export type FaultPhase = 'submit' | 'poll' | 'download' | 'callback'

export const FAULT_NAMES = [
  'rate-limit',
  'server-error',
  'bad-gateway',
  'unavailable',
  'reset-before-accept',
  'reset-after-accept',
  'slow',
  'malformed-json',
  'html-error',
  'task-fail',
  'task-stuck',
  'expired-url',
] as const
export type FaultName = (typeof FAULT_NAMES)[number]

export interface FaultRule {
  /** Only requests to this provider consume the rule; any provider when omitted. */
  provider?: ProviderId
  phase: FaultPhase
  fault: FaultName
  /** How many matching requests consume it. Default 1; `Infinity` keeps it forever. */
  count?: number
  /** For `slow`: the delay in ms (else the request's `x-sandbox-delay-ms`, else the `slowMs` option). */
  delayMs?: number
}

/** The sandbox's own coarse view of a task's life; each provider maps it to its own status words. */
export type TaskPhase = 'queued' | 'running' | 'succeeded' | 'failed'

export type ImageFormat = 'png' | 'jpeg'

type Wires = typeof import('./generated/providers.gen.js')['registry']
type LegacyNames = { [K in keyof Wires]: Wires[K] extends { legacyOptions: infer L } ? keyof L & string : never }[keyof Wires]
type LegacyTarget<N extends string> = { [K in keyof Wires]: Wires[K] extends { legacyOptions: infer L } ? (N extends keyof L ? L[N] : never) : never }[keyof Wires]

/** Options a provider's file still accepts under an older name (see its `legacyOptions`); prefer the generic name. */
export type LegacySandboxOptions = { [N in LegacyNames]?: SandboxOptions[LegacyTarget<N> & keyof SandboxOptions] }

export interface SandboxOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number
  /** Interface to bind; default `127.0.0.1`. */
  host?: string
  /** The only key every provider accepts. Default `sk-sandbox` (it also passes the key-prefix rules some providers document). */
  apiKey?: string
  /** How long a task takes from create to its end state. Default 2000. Per request: header `x-sandbox-duration-ms`. */
  taskDurationMs?: number
  /** Providers whose create answer carries a time estimate: put the real duration (rounded up to seconds) there. Default true. */
  estimatedTimeHints?: boolean
  /** Multiplies every callback retry delay (tests use 0.001). Default 1. */
  callbackDelayScale?: number
  /** Timeout of one callback attempt. Default: the spec's documented timeout, else 10000. */
  callbackTimeoutMs?: number
  /** Send callbacks to hosts other than loopback (127.0.0.0/8, localhost, ::1). Default false: such a delivery is logged as not sent. */
  allowExternalCallbacks?: boolean
  /** How many entries the request log and the callback log each keep; the oldest go first. Default 10000. */
  logLimit?: number
  /** Long side of generated images in pixels. Default 256. */
  imageLongSide?: number
  /** Result URLs answer as expired this long after the task ended. Default 24 h. */
  resultTtlMs?: number
  /** Delay of the `slow` fault when the request gives none. Default 3000. */
  slowMs?: number
  /**
   * Providers whose docs report errors in a JSON `code` with HTTP 200 send the same envelope with the HTTP status
   * equal to the code instead (the other behaviour their spec models). Default false.
   */
  httpStatusErrors?: boolean
  /**
   * The webhook signing secret of providers that sign their callbacks, each in its own scheme (a `whsec_`
   * secret is used as Standard Webhooks defines it, as plain text by HMAC schemes). Default `DEFAULT_WEBHOOK_SECRET`.
   */
  webhookSecret?: string
  /** Fault rules queued at start (same as calling `sandbox.faults.add` for each). */
  faults?: FaultRule[]
  /** @deprecated Ignored: request schemas come from the provider packages' generated schemas, not from spec files. */
  specsDir?: string
}

/** The sandbox's default webhook signing secret (`whsec_` + base64 of `sandbox-webhook-secret`). */
export const DEFAULT_WEBHOOK_SECRET = 'whsec_c2FuZGJveC13ZWJob29rLXNlY3JldA=='

export type ResolvedOptions = Required<Omit<SandboxOptions, 'faults' | 'specsDir' | 'callbackTimeoutMs'>> & { callbackTimeoutMs: number | undefined }

export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    apiKey: options.apiKey ?? 'sk-sandbox',
    taskDurationMs: options.taskDurationMs ?? 2000,
    estimatedTimeHints: options.estimatedTimeHints ?? true,
    callbackDelayScale: options.callbackDelayScale ?? 1,
    callbackTimeoutMs: options.callbackTimeoutMs,
    allowExternalCallbacks: options.allowExternalCallbacks ?? false,
    logLimit: Math.max(1, Math.floor(options.logLimit ?? 10_000)),
    imageLongSide: options.imageLongSide ?? 256,
    resultTtlMs: options.resultTtlMs ?? 24 * 60 * 60 * 1000,
    slowMs: options.slowMs ?? 3000,
    httpStatusErrors: options.httpStatusErrors ?? false,
    webhookSecret: options.webhookSecret ?? DEFAULT_WEBHOOK_SECRET,
  }
}

/** One answered (or deliberately unanswered) request, for tests. */
export interface RequestLogEntry {
  at: number
  method: string
  /** Path and query as received, e.g. `/<provider>/v1/tasks/<id>`. */
  path: string
  provider: ProviderId | undefined
  phase: FaultPhase | 'credits' | 'cancel' | 'other'
  /** The spec's operationId (`createImageTask`, `getImageTask`, `getCredits`, ...) or `download`. */
  operation: string | undefined
  /** HTTP status sent; 0 when the connection was destroyed without an answer. */
  status: number
  faults: FaultName[]
  taskId?: string
}

/** One callback attempt. */
export interface CallbackAttempt {
  at: number
  provider: ProviderId
  taskId: string
  url: string
  /** 1 for the first attempt. */
  attempt: number
  /** Receiver's HTTP status, or undefined on a connection error/timeout (or when not sent). */
  status?: number
  error?: string
  /** True when the sandbox did not send it: the host is not loopback and `allowExternalCallbacks` is off. */
  blocked?: boolean
  /** True once a 2xx ended the delivery. */
  delivered: boolean
}

/** Public read-only view of a task. */
export interface TaskView {
  id: string
  provider: ProviderId
  model: string
  prompt: string
  phase: TaskPhase
  /** The provider's own status word for that phase. */
  status: string
  progress: number
  createdAt: number
  durationMs: number
  finishedAt: number | undefined
  resultUrls: string[]
  callbackUrl: string | undefined
  width: number
  height: number
  format: ImageFormat
  n: number
  faults: FaultName[]
}

/** How a callback delivery ended: delivered, every attempt of the schedule failed, not sent, or the sandbox closed. */
export interface CallbackOutcome {
  provider: ProviderId
  taskId: string
  url: string
  delivered: boolean
  reason: 'delivered' | 'exhausted' | 'blocked' | 'closed'
  /** Attempts made (0 when blocked). */
  attempts: number
}

/** Events of `sandbox.events` (a Node EventEmitter): wait for these instead of sleeping. */
export interface SandboxEvents {
  /** A request was answered (or its connection dropped on purpose); the log entry is complete. */
  request: [entry: RequestLogEntry]
  /** A task reached its end state. */
  'task-finished': [task: TaskView]
  /** One callback attempt finished (answered, failed, timed out or was not sent). */
  'callback-attempt': [attempt: CallbackAttempt]
  /** A callback delivery ended; no attempt for it follows. */
  'callback-settled': [outcome: CallbackOutcome]
}
