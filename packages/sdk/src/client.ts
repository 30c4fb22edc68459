// The single-provider client: configuration, then one core (submit, poll, wait) that the failover
// client composes too, the shared generate() orchestration, and the one redaction choke point.
import { RedirectRefusedError, ResponseParseError, ResponseTooLargeError, type Client } from '@nano-banana/runtime'
import type { CallResult, ModelCapabilities, ProviderAdapter } from './adapter.js'
import { connectWith, env, secretsOf } from './connect.js'
import {
  AbortError,
  AmbiguousSubmitError,
  ConfigurationError,
  ConnectionError,
  type ErrorDetails,
  InvalidRequestError,
  NanoBananaError,
  NotSentError,
  ResponseFormatError,
  TimeoutError,
  redactorOf,
  redactResult,
  UnsupportedOperationError,
  redactSecrets,
} from './errors.js'
import { inlineGeneratedImage, readReferenceImages } from './inline-images.js'
import { downloadImage } from './download.js'
import { createDurationBook, durationKey, observedSeconds, type DurationStore } from './durations.js'
import type { TaskEvents } from './events.js'
import { createLimiter } from './limit.js'
import { checkClientOptions, checkDownloadOptions, checkWaitOptions } from './options.js'
import { mayRetry } from './policy.js'
import {
  DEFAULT_DOWNLOAD_RETRY,
  DEFAULT_POLL_RETRY,
  DEFAULT_SUBMIT_RETRY,
  classifyNetworkError,
  corsHint,
  createTimeoutMemory,
  withRequestTimeout,
  type RetryPolicy,
} from './retry.js'
import { retrying } from './retrying.js'
import { withTaskId } from './task-id.js'
import type {
  DefaultModelId,
  GeneratedImage,
  GenerateOptions,
  GenerateOptionsFor,
  GenerateRequest,
  GenerateRequestFor,
  GenerateResult,
  ModelId,
  ProviderId,
  Submission,
  SubmitOptions,
  Task,
  WaitOptions,
  Warning,
} from './types.js'
import { validateRequest } from './validate.js'
import { isLoopbackUrl, keptResultUrls, type ResultUrlPolicy } from './result-url.js'
import { DEFAULT_POLLING, waitForTask, type PollingOptions } from './wait.js'

export interface NanoBananaClientOptions {
  /** The provider adapter, e.g. the `<id>` export of `@nano-banana/sdk/providers/<id>`. */
  provider: ProviderAdapter
  /** API key; defaults to the provider's environment variable (`adapter.envKey`, `<ID>_API_KEY`). */
  apiKey?: string
  /** Base URL override (proxy, sandbox); required where the provider publishes no host (or set `adapter.baseUrlEnvKey`). */
  baseUrl?: string
  fetch?: typeof fetch
  /**
   * Extra headers sent with every API request (never with downloads, never across origins). Values of
   * headers named like credentials (`*auth*`, `*key*`, `*token*`, `*secret*`, `*cookie*`, `*session*`,
   * `*signature*`, `*password*`, `*credential*`) are redacted from errors and results like the key.
   */
  headers?: Record<string, string>
  /** How long `generate()`/`wait()` wait for a task, in ms; the task keeps running afterwards (`wait(taskId)` resumes). Default 600000 (10 min). */
  timeoutMs?: number
  /** Timeout of one HTTP request (submit, poll, download attempt), in ms. Default 60000. */
  requestTimeoutMs?: number
  /**
   * Retry knobs per phase; each field defaults separately (see RetryPolicy):
   * - `submit`: `{ maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60000 }`. A submit is
   *   retried only when the provider certainly did not accept the task: the connection was refused or the
   *   host did not resolve, or the provider refused with 429, 503 or a documented maintenance code. Once the request may
   *   have reached the provider (reset after sending, timeout, unreadable 2xx) it is never resent:
   *   AmbiguousSubmitError.
   * - `poll`: `{ maxRetries: Infinity, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60000 }`: every
   *   transient failure (network, timeout, 5xx, 429, unreadable answer) is retried until the wait's deadline.
   * - `download`: `{ maxRetries: 3, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60000 }`.
   */
  retry?: { submit?: Partial<RetryPolicy>; poll?: Partial<RetryPolicy>; download?: Partial<RetryPolicy> }
  /** Poll pacing (see PollingOptions): defaults `{ initialDelayMs: 4200, minDelayMs: 250, maxDelayMs: 30000, elapsedFactor: 0.1, callbackSafetyNetMs: 30000 }`; learned durations, estimates and progress aim polls within these bounds. */
  polling?: Partial<PollingOptions>
  /** At most this many `generate()` calls in flight; the rest queue. Default unlimited. */
  maxConcurrency?: number
  /** Accept http:// and loopback callback URLs (development against the sandbox only). */
  allowInsecureCallbackUrl?: boolean
  /** Largest API answer read, in bytes; a larger 2xx answer is an error and its body is not downloaded. Default 8388608 (8 MiB). */
  maxResponseBytes?: number
  /**
   * Persists the task durations the client learns (per provider + model + resolution, to pace polling),
   * so that a new process starts informed: any `{ get(key), set(key, seconds[]) }`, sync or async (a Map works).
   */
  durationStore?: DurationStore
  /**
   * News of tasks from your callback receiver (`createTaskEvents()`, fed by `createCallbackHandler({ onTask: events.publish })`):
   * a wait for a task submitted with a `callbackUrl` then wakes on the callback and polls only as a slow safety net.
   */
  taskEvents?: TaskEvents
  /**
   * Hosts `download()` may fetch result images from although they are private or internal (an in-house
   * CDN); `['*']` allows every host. Default none: only public http(s) hosts, plus loopback when `baseUrl` is loopback.
   */
  allowResultHosts?: readonly string[]
}

/**
 * A client of provider `P`: `model` takes `P`'s model ids and the options that model's spec lists
 * (`GenerateRequestFor`). The default, every provider, is the untyped client (an adapter object, a
 * `ProviderId` variable).
 */
export interface NanoBananaClient<P extends ProviderId = ProviderId> {
  readonly provider: ProviderAdapter
  /** Submits a task and returns as soon as the provider accepted it. */
  submit<M extends ModelId<P> = ModelId<P> & DefaultModelId<P>>(request: GenerateRequestFor<P, M>, options?: SubmitOptions): Promise<Submission>
  /** One query of a task, normalized; transient failures are retried for up to `requestTimeoutMs`. */
  getTask(taskId: string, options?: SubmitOptions): Promise<Task>
  /** Waits for a task until it ends: resume here with an id from `onSubmitted` or an error's `taskId`. */
  wait(taskId: string, options?: WaitInternals): Promise<GenerateResult>
  /** Submit, wait, and return the images. */
  generate<M extends ModelId<P> = ModelId<P> & DefaultModelId<P>>(options: GenerateOptionsFor<P, M>): Promise<GenerateResult>
  /** Normalizes a callback body the provider POSTed to your `callbackUrl`. */
  parseCallback(body: unknown): Task
  /**
   * Asks the provider to cancel a task, best effort: `canceled: true` when it accepted the request (a running
   * task may still finish and be charged), false when it answered that the task had already ended.
   * UnsupportedOperationError when the provider's API has no cancel.
   */
  cancel(taskId: string, options?: { signal?: AbortSignal }): Promise<{ canceled: boolean }>
}

/** What `wait()` also takes after a `generate()` submission (generate() fills it in; pass it when you submit() and wait() yourself). */
export type WaitInternals = WaitOptions & {
  estimatedSeconds?: number
  model?: string
  startedAt?: number
  /** The request's resolution: durations are learned per provider + model + resolution. */
  resolution?: string
  /** The task was submitted with a `callbackUrl`: with `taskEvents`, waiting wakes on the callback and polls seldom. */
  callback?: boolean
  n?: number
  /** A synchronous provider's final task (from its submission): `wait()` returns it without polling. */
  task?: Task
}

/** `n` requests to a provider that returns one image per request (`repeatForN`) run at most this many at once. */
const REPEAT_CONCURRENCY = 2

export { env } from './connect.js'

/** The `wait()` options that follow a `generate()` submission: the caller's, plus what the submit learned. */
export function waitOptionsAfterSubmit(
  submission: Submission,
  caller: Pick<GenerateOptions, 'signal' | 'timeoutMs' | 'onProgress' | 'resolution' | 'callbackUrl' | 'n'>,
  startedAt: number,
): WaitInternals & { model: string; startedAt: number } {
  const out: WaitInternals = {}
  // Only what is set: an absent option stays absent.
  for (const key of ['resolution', 'signal', 'timeoutMs', 'onProgress'] as const) if (caller[key] !== undefined) (out as Record<string, unknown>)[key] = caller[key]
  if (caller.callbackUrl) out.callback = true
  // The provider's estimate is untrusted: an odd value is dropped, never an error after the task was paid for.
  if (Number.isFinite(submission.estimatedSeconds) && submission.estimatedSeconds! >= 0) out.estimatedSeconds = submission.estimatedSeconds
  if (submission.task) out.task = submission.task
  if (caller.n !== undefined) out.n = caller.n
  return { ...out, model: submission.model, startedAt }
}

/** One provider's client without the redaction wrapper: what the single and the failover client are made of. */
export interface ClientCore {
  readonly adapter: ProviderAdapter
  /** The secrets this core holds (its API key), for the redaction choke point. */
  readonly secrets: readonly string[]
  submit(request: GenerateRequest, options?: SubmitOptions): Promise<Submission>
  getTask(taskId: string, options?: SubmitOptions): Promise<Task>
  /** `warnings` (the submission's) go into the result as it is built. */
  wait(taskId: string, options?: WaitInternals, warnings?: readonly Warning[]): Promise<GenerateResult>
  parseCallback(body: unknown): Task
  cancel(taskId: string, options?: { signal?: AbortSignal }): Promise<{ canceled: boolean }>
}

/** Retries of a lone `getTask` (a status check answers promptly; a wait keeps polling until its deadline). */
const LONE_GET_RETRIES = 3

/** Task ids go into URLs: a lone surrogate cannot be encoded, and is no id a provider issued. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Throws InvalidRequestError (nothing is sent) unless `taskId` is a non-empty, encodable string. */
export function checkTaskId(provider: ProviderAdapter['id'], taskId: unknown): asserts taskId is string {
  const empty = typeof taskId !== 'string' || taskId === ''
  if (empty || LONE_SURROGATE.test(taskId)) {
    throw new InvalidRequestError(
      `${provider}: ${empty ? 'a task id must be a non-empty string (the id returned by submit())' : 'the task id contains a lone UTF-16 surrogate; it is no id the provider issued'}`,
      { provider, param: 'taskId', code: 'invalid_parameter' },
    )
  }
}

/**
 * The AmbiguousSubmitError of a submit `provider` may have accepted: what happened, what the client therefore
 * did not do (`held`: resend it, or try another provider), and the one safe next step. Here, not in errors.ts: only the engine builds it (errors.ts is loaded up front).
 */
export function ambiguousSubmit(
  provider: Pick<ProviderAdapter, 'id' | 'name'>,
  what: string,
  details: ErrorDetails,
  held = 'and it was not resubmitted',
  tail = '',
): AmbiguousSubmitError {
  return new AmbiguousSubmitError(
    `${provider.id}: ${what}; a task may have been created ${held}, to avoid paying twice. Check your ${provider.name} dashboard before submitting again.${tail}`,
    { provider: provider.id, ...details },
  )
}
/** What an answer that was not read says (unreadable or oversized 2xx, a refused redirect), and what the error keeps of it. */
function notRead(error: ResponseParseError | RedirectRefusedError, unreadableCode?: string): { why: string; details: ErrorDetails } {
  if (!(error instanceof ResponseParseError)) return { why: error.message, details: { status: error.status, code: 'redirect_refused', cause: error } }
  const tooLarge = error instanceof ResponseTooLargeError
  const status = error.response.status
  return {
    why: `its answer (HTTP ${status}) ${tooLarge ? `is larger than ${error.maxBytes} bytes (maxResponseBytes) and was not read` : 'could not be read'}`,
    details: { status, code: tooLarge ? 'answer_too_large' : unreadableCode, body: error.bodyText, cause: error },
  }
}

/** Resolves key and base URL (options, then the provider's environment variables) and builds the runtime client. */
function connect(adapter: ProviderAdapter, options: NanoBananaClientOptions): { apiKey: string; client: Client } {
  return connectWith(adapter, options, (clientOptions) => adapter.createClient(clientOptions))
}

export function createClientCore(options: NanoBananaClientOptions): ClientCore {
  const adapter = options.provider
  checkClientOptions(options, adapter.id)
  const { apiKey, client } = connect(adapter, options)
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000
  // Until one of this client's requests times out, its requests give fetch no signal (see withRequestTimeout).
  const timeouts = createTimeoutMemory()
  const submitPolicy: RetryPolicy = { ...DEFAULT_SUBMIT_RETRY, ...options.retry?.submit }
  const pollPolicy: RetryPolicy = { ...DEFAULT_POLL_RETRY, ...options.retry?.poll }
  const downloadPolicy: RetryPolicy = { ...DEFAULT_DOWNLOAD_RETRY, ...options.retry?.download }
  const lonePollPolicy: RetryPolicy = { ...pollPolicy, maxRetries: Math.min(pollPolicy.maxRetries, LONE_GET_RETRIES) }
  const polling = { ...DEFAULT_POLLING, ...options.polling }
  const secrets = secretsOf(apiKey, options.headers)
  const durations = createDurationBook(options.durationStore)
  const events = options.taskEvents

  const abortError = (signal: AbortSignal | undefined, taskId?: string) =>
    new AbortError(`${adapter.id}: aborted${taskId ? ` (task ${taskId} may still run: wait("${taskId}") resumes)` : ''}`, {
      provider: adapter.id,
      taskId,
      cause: signal?.reason,
    })

  /** A request refused on this machine before sending; a NotSentError from a custom fetch passes as it is. */
  const notSent = (error: unknown): NotSentError =>
    error instanceof NotSentError
      ? error
      : new NotSentError(
          `${adapter.id}: the request was refused before it was sent (${error instanceof Error ? error.message : String(error)}); nothing reached the provider`,
          {
            provider: adapter.id,
            code: 'not_sent',
            cause: error,
          },
        )

  /** wait() and cancel() take the id submit() returned; anything else is a mistake in the calling code. */
  const requireTaskId = (taskId: unknown, call: string) => {
    if (typeof taskId !== 'string' || taskId === '') {
      throw new ConfigurationError(`${adapter.id}: ${call}() needs the task id returned by submit()`, { provider: adapter.id, param: 'taskId' })
    }
  }

  /** A poll's or a cancel's network failure (`what` names the call); such a read is never ambiguous. */
  const callFailed = (error: unknown, signal: AbortSignal | undefined, what: string, taskId: string, details?: ErrorDetails): NanoBananaError => {
    const kind = classifyNetworkError(error, signal)
    if (kind === 'aborted') return abortError(signal, taskId)
    if (kind === 'refused-locally') return notSent(error)
    return new ConnectionError(`${adapter.id}: ${what}: ${kind === 'timeout' ? 'request timed out' : 'connection failed'}`, {
      provider: adapter.id,
      ...details,
      cause: error,
    })
  }

  /** Reads an HTTP answer: an error for non-2xx, else the data. */
  const answerOf = (result: CallResult): unknown => {
    if (result.response.ok && result.error === undefined) return result.data
    return adapter.parseError(result.response.status, result.error ?? result.data, result.response.headers)
  }

  /** Why a submit request failed, as the error that says whether a task may exist. */
  function submitFailed(error: unknown, signal: AbortSignal | undefined): NanoBananaError {
    if (error instanceof ResponseParseError || error instanceof RedirectRefusedError) {
      // The provider answered: a 2xx it accepted but that cannot be read, or a redirect (a 303 may even point
      // at the task it created). A task may exist; never resend.
      const { why, details } = notRead(error, 'unreadable_answer')
      return ambiguousSubmit(adapter, error instanceof ResponseParseError ? `the provider accepted the request but ${why}` : why, details)
    }
    const kind = classifyNetworkError(error, signal)
    // The caller gave up; the request may still have reached the provider.
    if (kind === 'aborted') return abortError(signal)
    if (kind === 'refused-locally') return notSent(error)
    if (kind === 'not-sent') {
      // The connection was never made, so the provider cannot have a task (the policy resends it).
      return new ConnectionError(
        `${adapter.id}: cannot connect to the provider (${(error as { cause?: { code?: string } }).cause?.code ?? 'network error'}); nothing was submitted`,
        { provider: adapter.id, cause: error },
      )
    }
    return ambiguousSubmit(
      adapter,
      `the connection failed after the request may have reached the provider (${kind === 'timeout' ? `no answer within ${requestTimeoutMs} ms` : 'connection lost'})`,
      { code: kind === 'timeout' ? 'timeout' : 'connection_lost', cause: error },
      undefined,
      corsHint(error),
    )
  }

  /** A create answer read into the submission (`model` and `warnings` are the request's), or the error it says. */
  function submissionOf(result: CallResult, model: string, warnings: Warning[]): Submission {
    const answer = answerOf(result)
    const parsed = answer instanceof NanoBananaError ? answer : adapter.parseSubmit(answer, result.response)
    if (parsed instanceof NanoBananaError) throw parsed
    // Built once, field by field (no spread copies); absent fields stay absent, in the same key order.
    const submission = { taskId: parsed.taskId, provider: adapter.id, model, warnings } as Submission
    if ('estimatedSeconds' in parsed && parsed.estimatedSeconds !== undefined) submission.estimatedSeconds = parsed.estimatedSeconds
    if (parsed.task) submission.task = parsed.task
    submission.raw = answer
    return submission
  }

  /** One submit attempt; not async: its answer is read in the request's own continuation. */
  function submitOnce(body: Record<string, unknown>, signal: AbortSignal | undefined, model: string, warnings: Warning[]): Promise<Submission> {
    return withRequestTimeout((s, h) => adapter.submit(client, body, s, h), signal, requestTimeoutMs, timeouts).then(
      (result) => submissionOf(result, model, warnings),
      (error: unknown) => {
        throw submitFailed(error, signal)
      },
    )
  }

  const submitWithRetries = (body: Record<string, unknown>, signal: AbortSignal | undefined, model: string, warnings: Warning[]) =>
    retrying(() => submitOnce(body, signal, model, warnings), { phase: 'submit', policy: submitPolicy, signal, onAbort: () => abortError(signal) })

  /**
   * `n` images from a provider that returns one per request: `n` requests (each one paid), at most
   * REPEAT_CONCURRENCY at once. After the first failure no further request starts; the error then
   * carries the images already paid for (`error.partial`) and their ids (`error.taskId`).
   */
  async function submitRepeated(body: Record<string, unknown>, n: number, model: string, warnings: Warning[], signal: AbortSignal | undefined): Promise<Submission> {
    const limit = createLimiter(REPEAT_CONCURRENCY)
    const done: Submission[] = []
    const failures: unknown[] = []
    await Promise.all(
      Array.from({ length: n }, () =>
        limit(async () => {
          if (failures.length) return
          try {
            done.push(await submitWithRetries(body, signal, model, []))
          } catch (error) {
            failures.push(error)
          }
        }),
      ),
    )
    const tasks = done.map((parsed) => parsed.task).filter((task): task is Task => task !== undefined)
    const merged: Task | undefined = tasks.length
      ? {
          taskId: tasks.map((task) => task.taskId).join(','),
          provider: adapter.id,
          model,
          status: 'succeeded',
          urls: tasks.flatMap((task) => task.urls),
          inlineImages: tasks.flatMap((task) => task.inlineImages ?? []),
          raw: tasks.map((task) => task.raw),
        }
      : undefined
    if (failures.length) {
      // A lost request may have been billed: that outweighs a refusal of another one.
      const error = failures.find((e) => e instanceof AmbiguousSubmitError) ?? failures[0]
      if (merged && error instanceof NanoBananaError) {
        error.taskId = merged.taskId
        error.partial = toResult(merged, model, [], n)
      }
      throw error
    }
    return { taskId: merged!.taskId, provider: adapter.id, model, warnings, task: merged!, raw: merged!.raw }
  }

  /**
   * Not async: a request that needs no reference images read goes to the retry loop without a frame of
   * its own; whatever the request fails (validation) rejects, as from an async function, before anything is sent.
   */
  function submit(request: GenerateRequest, submitOptions?: SubmitOptions): Promise<Submission> {
    try {
      const { model } = validateRequest(adapter, request, options)
      // A provider that takes bytes only: read the reference URLs before anything is sent.
      if (adapter.inlineReferenceImages && request.images?.length) return submitWithImages(request, model, submitOptions?.signal)
      return send(request, model, submitOptions?.signal)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  async function submitWithImages(request: GenerateRequest, model: ModelCapabilities, signal: AbortSignal | undefined): Promise<Submission> {
    const images = await readReferenceImages(
      request.images!,
      // The caller's URLs are read like result URLs: public hosts only (loopback when the client itself talks to one).
      readContext(),
      signal ? { signal } : {},
    )
    return send({ ...request, images }, model, signal)
  }

  /** Builds the body of a validated request and submits it (`n` requests for a provider that returns one image per request). */
  function send(request: GenerateRequest, model: ModelCapabilities, signal: AbortSignal | undefined): Promise<Submission> {
    const repeat = adapter.repeatForN && request.n !== undefined && request.n > 1 ? request.n : 1
    // Copied only when something changes: every definition reads the request and never writes it.
    let input: GenerateRequest = request
    if (repeat > 1) {
      const { n: _n, ...single } = request
      input = single
    }
    const { body, warnings } = adapter.toRequestBody(input, model)
    return repeat > 1 ? submitRepeated(body, repeat, model.id, warnings, signal) : submitWithRetries(body, signal, model.id, warnings)
  }

  /** A synchronous provider's answer was the result: there is no task to ask about (nothing is kept in memory). */
  const noTaskToQuery = (taskId: string) =>
    new UnsupportedOperationError(
      `${adapter.id}: ${adapter.name} answers synchronously; ${taskId} is the id of an answer, not of a task that can be queried. The result is what generate() or submit() returned.`,
      { provider: adapter.id, taskId, code: 'synchronous_provider' },
    )

  /** What a failed poll request says (the caller adds the task id). */
  function pollFailed(error: unknown, signal: AbortSignal | undefined, taskId: string): NanoBananaError {
    // Refused before sending (a task id of the wrong form): not a network failure.
    if (error instanceof NanoBananaError) return error
    if (error instanceof ResponseParseError || error instanceof RedirectRefusedError) {
      const { why, details } = notRead(error)
      return new ResponseFormatError(`${adapter.id}: task ${taskId}: ${why}`, { provider: adapter.id, ...details })
    }
    return callFailed(error, signal, `task ${taskId}`, taskId)
  }

  /** A query answer read into the task (or the error it says), which carries the task id. */
  function taskOf(result: CallResult, taskId: string): Task {
    const answer = answerOf(result)
    const task = answer instanceof NanoBananaError ? answer : adapter.parseTask(answer, result.response)
    if (task instanceof NanoBananaError) throw withTaskId(task, adapter.id, taskId)
    return task
  }

  /** One poll; not async: its answer is read in the request's own continuation. */
  function getTaskOnce(taskId: string, signal: AbortSignal | undefined, timeoutMs: number): Promise<Task> {
    // getTask() checked that the provider has a query operation.
    const query = adapter.query!
    return withRequestTimeout((s, h) => query(client, taskId, s, h), signal, timeoutMs, timeouts).then(
      (result) => taskOf(result, taskId),
      (error: unknown) => {
        throw withTaskId(pollFailed(error, signal, taskId), adapter.id, taskId)
      },
    )
  }

  /**
   * A lone `getTask`: at most LONE_GET_RETRIES retries within `requestTimeoutMs`. No async frame of its own:
   * every error it rejects with already carries the task id (getTaskOnce and onAbort add it).
   */
  function getLoneTask(taskId: string, signal: AbortSignal | undefined): Promise<Task> {
    try {
      if (!adapter.query) throw noTaskToQuery(taskId)
      checkTaskId(adapter.id, taskId)
    } catch (error) {
      return Promise.reject(error)
    }
    return retrying(() => getTaskOnce(taskId, signal, requestTimeoutMs), {
      phase: 'poll',
      policy: lonePollPolicy,
      signal,
      deadline: Date.now() + requestTimeoutMs,
      onAbort: () => abortError(signal, taskId),
    })
  }

  /**
   * A poll is read-only, so any transient failure is retried with backoff, within `retry.poll.maxRetries`:
   * inside a wait until its deadline (then TimeoutError, the last failure as its cause; no attempt runs
   * past the deadline), for a lone `getTask` (getLoneTask) at most LONE_GET_RETRIES times within `requestTimeoutMs`.
   */
  async function getTask(taskId: string, signal: AbortSignal | undefined, deadline: number, waitTimeoutMs: number): Promise<Task> {
    if (!adapter.query) throw noTaskToQuery(taskId)
    checkTaskId(adapter.id, taskId)
    const policy = pollPolicy
    let attempts = 0
    // The last poll may be cut short by the deadline itself: the failure worth reporting is then the one before it.
    let lastBeforeDeadline: unknown
    try {
      return await retrying(
        (n) => {
          attempts = n + 1
          return getTaskOnce(taskId, signal, Math.max(1, Math.min(requestTimeoutMs, deadline - Date.now()))).catch((error: unknown) => {
            if (Date.now() < deadline) lastBeforeDeadline = error
            throw error
          })
        },
        { phase: 'poll', policy, signal, deadline, onAbort: () => abortError(signal, taskId) },
      )
    } catch (error) {
      // Retries left and the failure transient: the deadline ended it. A wait says so, with the task id.
      if (mayRetry(error, 'poll') && attempts <= policy.maxRetries) {
        const cause = Date.now() >= deadline && lastBeforeDeadline !== undefined ? lastBeforeDeadline : error
        throw new TimeoutError(
          `${adapter.id}: task ${taskId} did not finish within ${waitTimeoutMs} ms (its last polls failed: ${(cause as Error).message}); resume with wait("${taskId}")`,
          { provider: adapter.id, taskId, cause },
        )
      }
      throw withTaskId(error, adapter.id, taskId)
    }
  }

  const ttlMs = adapter.resultTtlSeconds !== undefined ? adapter.resultTtlSeconds * 1000 : undefined

  const urlPolicy: ResultUrlPolicy = {
    allowLoopback: isLoopbackUrl(options.baseUrl ?? env(adapter.baseUrlEnvKey)),
    ...(options.allowResultHosts ? { allowHosts: [...options.allowResultHosts] } : {}),
  }

  /** How reference and result images are read: this client's fetch, download retries, timeout and URL policy. */
  const readContext = () => ({ provider: adapter.id, fetch: options.fetch ?? globalThis.fetch, retry: downloadPolicy, timeoutMs: requestTimeoutMs, urlPolicy })

  function toResult(task: Task, model: string, warnings: readonly Warning[], n?: number): GenerateResult {
    const finishedAt = Date.now()
    // What the images' closures hold: the id, not the task, and no download context until a download starts
    // (a held result is the caller's memory: ~250 B less each, a context object and its own hidden class).
    const taskId = task.taskId
    const kept = keptResultUrls(task, adapter, model, n)
    const inline = kept.inlineImages.map((image) => inlineGeneratedImage(image, { provider: adapter.id, taskId }))
    if (kept.urls.length === 0 && inline.length === 0) {
      throw new ResponseFormatError(`${adapter.id}: task ${task.taskId} succeeded without a usable result URL`, { provider: adapter.id, body: task.raw })
    }
    const images = kept.urls.map((url): GeneratedImage => {
      const expiresAt = ttlMs !== undefined ? new Date(finishedAt + ttlMs) : undefined
      return {
        url,
        ...(expiresAt ? { expiresAt } : {}),
        download: (downloadOptions) =>
          redacting(
            Promise.resolve()
              .then(() => checkDownloadOptions(downloadOptions, adapter.id))
              .then(() => downloadImage(url, expiresAt, { ...readContext(), taskId }, downloadOptions)),
            secrets,
          ),
      }
    })
    return {
      taskId: task.taskId,
      provider: adapter.id,
      model: task.model ?? model,
      images: [...images, ...inline],
      ...(task.usage ? { usage: task.usage } : {}),
      warnings: [...warnings, ...kept.warnings],
      raw: task.raw,
    }
  }

  async function wait(taskId: string, waitOptions: WaitInternals = {}, warnings: readonly Warning[] = []): Promise<GenerateResult> {
    requireTaskId(taskId, 'wait')
    // A synchronous provider's submission carried the final task: nothing to wait for.
    if (waitOptions.task) return toResult(waitOptions.task, waitOptions.model ?? waitOptions.task.model ?? adapter.defaultModel, warnings, waitOptions.n)
    if (!adapter.query) throw noTaskToQuery(taskId)
    checkTaskId(adapter.id, taskId)
    checkWaitOptions(waitOptions, adapter.id)
    const timeoutMs = waitOptions.timeoutMs ?? options.timeoutMs ?? 600_000
    const deadline = Date.now() + timeoutMs
    const model = waitOptions.model ?? adapter.defaultModel
    const key = durationKey(adapter.id, model, waitOptions.resolution)
    await durations.load(key)
    const prior = (adapter.models[model] ?? adapter.resolveModel?.(model))?.typicalSeconds
    const expected = durations.expect(key, prior)
    const startedAt = waitOptions.startedAt
    try {
      const task = await waitForTask({
        provider: adapter.id,
        taskId,
        poll: (signal) => getTask(taskId, signal, deadline, timeoutMs),
        signal: waitOptions.signal,
        timeoutMs,
        deadline,
        onProgress: waitOptions.onProgress,
        polling,
        estimatedSeconds: waitOptions.estimatedSeconds,
        expected,
        startedAt,
        wake: events && waitOptions.callback ? (listener) => events.subscribe(adapter.id, taskId, listener) : undefined,
        // Only a wait that saw the task from its submission measured its whole duration.
        onSucceeded:
          startedAt !== undefined ? (done, pendingMs, doneMs) => durations.record(key, observedSeconds(pendingMs, doneMs, done.durationSeconds)) : undefined,
      })
      // toResult refuses a task that succeeded without a usable result.
      return toResult(task, waitOptions.model ?? task.model ?? adapter.defaultModel, warnings, waitOptions.n)
    } catch (error) {
      throw withTaskId(error, adapter.id, taskId)
    }
  }

  function parseCallback(body: unknown): Task {
    const task = adapter.parseTask(body)
    if (task instanceof NanoBananaError) throw task
    return task
  }

  async function cancel(taskId: string, cancelOptions: { signal?: AbortSignal } = {}): Promise<{ canceled: boolean }> {
    if (!adapter.cancel) {
      throw new UnsupportedOperationError(`${adapter.name} has no cancel operation`, { provider: adapter.id, taskId })
    }
    requireTaskId(taskId, 'cancel')
    const signal = cancelOptions.signal
    let result: CallResult
    try {
      result = await withRequestTimeout((s, h) => adapter.cancel!(client, taskId, s, h), signal, requestTimeoutMs, timeouts)
    } catch (error) {
      if (error instanceof NanoBananaError) throw error
      if (error instanceof ResponseParseError) return { canceled: error.response.ok }
      throw callFailed(error, signal, `cancel ${taskId}`, taskId, { taskId })
    }
    if (result.response.ok && result.error === undefined) {
      // An answer that carries the task (Replicate's prediction) says whether it had already ended.
      const canceled = adapter.parseCancel ? adapter.parseCancel(result.data, result.response) : true
      if (canceled instanceof NanoBananaError) throw withTaskId(canceled, adapter.id, taskId)
      return { canceled }
    }
    const error = adapter.parseError(result.response.status, result.error ?? result.data, result.response.headers)
    // "Already ended" is a documented answer of a best-effort cancel, not a failure; an unknown task is.
    if (result.response.status === 400 || result.response.status === 409) return { canceled: false }
    throw withTaskId(error, adapter.id, taskId)
  }

  return {
    adapter,
    secrets,
    submit, // Only the caller's signal: a deadline is the wait's own.
    getTask: (taskId, o) => getLoneTask(taskId, o?.signal),
    wait,
    parseCallback,
    cancel,
  }
}

/** An accepted submission and how to wait for it; what `runGenerate` needs of a client. */
export interface GenerateSteps<S extends Submission, R> {
  submit(request: GenerateRequest, options: SubmitOptions): Promise<S>
  /** Waits for the accepted task; `waitOptions` carry what the submit learned. */
  finish(submission: S, waitOptions: WaitInternals & { model: string; startedAt: number }): Promise<R>
  /** The error that ends the call once a task exists: it carries the task id (and whatever else the client adds). */
  accepted(error: unknown, submission: S): unknown
}

/** generate(): submit, tell the caller the id, wait. Shared by the single and the failover client. */
export async function runGenerate<S extends Submission, R>(
  generateOptions: Omit<GenerateOptions, 'onSubmitted'> & { onSubmitted?: ((submission: S) => void) | undefined },
  steps: GenerateSteps<S, R>,
): Promise<R> {
  const { signal, timeoutMs, onProgress, onSubmitted, ...request } = generateOptions
  // Checked before the submit: a task must not be paid for and then dropped by a wait that cannot run.
  checkWaitOptions({ timeoutMs })
  const startedAt = Date.now()
  const submission = await steps.submit(request, signal ? { signal } : {})
  // From here on a task exists: every error carries its id, so that `wait(taskId)` can resume.
  try {
    onSubmitted?.(submission)
    return await steps.finish(
      submission,
      waitOptionsAfterSubmit(
        submission,
        { signal, timeoutMs, onProgress, resolution: request.resolution, callbackUrl: request.callbackUrl, n: request.n },
        startedAt,
      ),
    )
  } catch (error) {
    throw steps.accepted(error, submission)
  }
}

function redacting<T>(promise: Promise<T>, secrets: readonly (string | undefined)[]): Promise<T> {
  return promise.then(
    (value) => redactResult(value, secrets),
    (error: unknown) => {
      throw redactSecrets(error, secrets)
    },
  )
}

/**
 * The one choke point of every public method: the API keys are removed from anything thrown (or
 * rejected). Non-function members are passed through as they are.
 */
export function withRedaction<T extends object>(api: T, secrets: readonly (string | undefined)[]): T {
  const out: Record<string, unknown> = {}
  // Built once per client, not per call: what a settled call goes through (the secrets listed once).
  const redact = redactorOf(secrets)
  const clean = redact.result
  const scrub = (error: unknown) => {
    throw redact.error(error)
  }
  for (const [key, value] of Object.entries(api)) {
    out[key] =
      typeof value === 'function'
        ? (...args: unknown[]) => {
            let result: unknown
            try {
              result = (value as (...a: unknown[]) => unknown)(...args)
            } catch (error) {
              throw redact.error(error)
            }
            return result instanceof Promise ? result.then(clean, scrub) : clean(result)
          }
        : value
  }
  return out as T
}

export function createNanoBananaClient(options: NanoBananaClientOptions): NanoBananaClient {
  const core = createClientCore(options)
  const limit = createLimiter(options.maxConcurrency ?? 0)
  const client: NanoBananaClient = {
    provider: core.adapter,
    submit: core.submit,
    getTask: core.getTask,
    // Not core.wait itself: its third parameter (the submission's warnings) is not the caller's.
    wait: (taskId, o) => core.wait(taskId, o),
    generate: (generateOptions) =>
      limit(() =>
        runGenerate(generateOptions, {
          submit: core.submit,
          finish: (submission, waitOptions) => core.wait(submission.taskId, waitOptions, submission.warnings),
          accepted: (error, submission) => withTaskId(error, core.adapter.id, submission.taskId),
        }),
      ),
    parseCallback: core.parseCallback,
    cancel: core.cancel,
  }
  return withRedaction(client, core.secrets)
}
