import { ResponseParseError, type Client } from '@nano-banana/runtime'
import type { CallResult, ProviderAdapter } from './adapter.js'
import {
  AbortError,
  AmbiguousSubmitError,
  ConfigurationError,
  ConnectionError,
  NanoBananaError,
  RateLimitError,
  ResponseFormatError,
  ServerError,
  UpstreamError,
  redactSecrets,
} from './errors.js'
import { createLimiter } from './limit.js'
import {
  DEFAULT_DOWNLOAD_RETRY,
  DEFAULT_POLL_RETRY,
  DEFAULT_SUBMIT_RETRY,
  classifyNetworkError,
  corsHint,
  withRequestTimeout,
  retryDelay,
  sleep,
  type RetryPolicy,
} from './retry.js'
import type { GeneratedImage, GenerateOptions, GenerateRequest, GenerateResult, Submission, SubmitOptions, Task, WaitOptions } from './types.js'
import { validateRequest } from './validate.js'
import { DEFAULT_POLLING, waitForTask, type PollingOptions } from './wait.js'

export interface NanoBananaClientOptions {
  /** The provider adapter, e.g. `evolink` from `@nano-banana/sdk/providers/evolink`. */
  provider: ProviderAdapter
  /** API key; defaults to the provider's environment variable (e.g. `EVOLINK_API_KEY`). */
  apiKey?: string
  /** Base URL override (proxy, sandbox); required for UniAll (or `UNIALL_BASE_URL`). */
  baseUrl?: string
  fetch?: typeof fetch
  headers?: Record<string, string>
  /** How long `generate()`/`wait()` wait for a task, in ms; the task keeps running afterwards (`wait(taskId)` resumes). Default 600000 (10 min). */
  timeoutMs?: number
  /** Timeout of one HTTP request (submit, poll, download attempt), in ms. Default 60000. */
  requestTimeoutMs?: number
  /**
   * Retry knobs per phase; each field defaults separately (see RetryPolicy):
   * - `submit`: `{ maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60000 }`. A submit is
   *   retried only when the provider certainly did not accept the task: the connection was refused or the
   *   host did not resolve, or the provider refused with 429, 455 (maintenance) or 503. Once the request may
   *   have reached the provider (reset after sending, timeout, unreadable 2xx) it is never resent:
   *   AmbiguousSubmitError.
   * - `poll`: `{ maxRetries: Infinity, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60000 }`: every
   *   transient failure (network, timeout, 5xx, 429, unreadable answer) is retried until the wait's deadline.
   * - `download`: `{ maxRetries: 3, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60000 }`.
   */
  retry?: { submit?: Partial<RetryPolicy>; poll?: Partial<RetryPolicy>; download?: Partial<RetryPolicy> }
  /** Poll pacing (see PollingOptions): defaults `{ initialDelayMs: 1000, minDelayMs: 500, maxDelayMs: 10000, elapsedFactor: 0.15 }`. */
  polling?: Partial<PollingOptions>
  /** At most this many `generate()` calls in flight; the rest queue. Default unlimited. */
  maxConcurrency?: number
  /** Accept http:// and loopback callback URLs (development against the sandbox only). */
  allowInsecureCallbackUrl?: boolean
}

export interface NanoBananaClient {
  readonly provider: ProviderAdapter
  /** Submits a task and returns as soon as the provider accepted it. */
  submit(request: GenerateRequest, options?: SubmitOptions): Promise<Submission>
  /** One query of a task, normalized; transient failures are retried for up to `requestTimeoutMs`. */
  getTask(taskId: string, options?: SubmitOptions): Promise<Task>
  /** Waits for a task until it ends: resume here with an id from `onSubmitted` or an error's `taskId`. */
  wait(taskId: string, options?: WaitOptions & { estimatedSeconds?: number; model?: string; startedAt?: number }): Promise<GenerateResult>
  /** Submit, wait, and return the images. */
  generate(options: GenerateOptions): Promise<GenerateResult>
  /** Normalizes a callback body the provider POSTed to your `callbackUrl`. */
  parseCallback(body: unknown): Task
}

const env = (key: string): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[key] || undefined

/** The `wait()` options that follow a `generate()` submission: the caller's, plus what the submit learned. */
export function waitOptionsAfterSubmit(
  submission: Submission,
  caller: Pick<GenerateOptions, 'signal' | 'timeoutMs' | 'onProgress'>,
  startedAt: number,
): WaitOptions & { estimatedSeconds?: number; model: string; startedAt: number } {
  return {
    ...(caller.signal ? { signal: caller.signal } : {}),
    ...(caller.timeoutMs !== undefined ? { timeoutMs: caller.timeoutMs } : {}),
    ...(caller.onProgress ? { onProgress: caller.onProgress } : {}),
    ...(submission.estimatedSeconds !== undefined ? { estimatedSeconds: submission.estimatedSeconds } : {}),
    model: submission.model,
    startedAt,
  }
}

export function createNanoBananaClient(options: NanoBananaClientOptions): NanoBananaClient {
  const adapter = options.provider
  const apiKey = options.apiKey ?? env(adapter.envKey)
  if (!apiKey) {
    throw new ConfigurationError(`${adapter.name}: no API key. Pass \`apiKey\` or set ${adapter.envKey}.`, { provider: adapter.id, param: 'apiKey' })
  }
  let client: Client
  try {
    client = adapter.createClient({
      apiKey,
      baseUrl: options.baseUrl ?? env(adapter.baseUrlEnvKey),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
    })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new ConfigurationError(`${message}${/baseUrl/.test(message) ? ` (or set ${adapter.baseUrlEnvKey})` : ''}`, { provider: adapter.id, param: 'baseUrl' })
  }
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000
  const submitPolicy = { ...DEFAULT_SUBMIT_RETRY, ...options.retry?.submit }
  const pollPolicy = { ...DEFAULT_POLL_RETRY, ...options.retry?.poll }
  const downloadPolicy = { ...DEFAULT_DOWNLOAD_RETRY, ...options.retry?.download }
  const polling = { ...DEFAULT_POLLING, ...options.polling }
  const limit = createLimiter(options.maxConcurrency ?? 0)

  const abortError = (signal: AbortSignal | undefined, taskId?: string) =>
    new AbortError(`${adapter.id}: aborted${taskId ? ` (task ${taskId} may still run: wait("${taskId}") resumes)` : ''}`, {
      provider: adapter.id,
      taskId,
      cause: signal?.reason,
    })

  /** Reads an HTTP answer: an error for non-2xx, else the data. */
  const answerOf = (result: CallResult): unknown => {
    if (result.response.ok && result.error === undefined) return result.data
    return adapter.parseError(result.response.status, result.error ?? result.data, result.response.headers)
  }

  // Retry branches: each says why a resend is safe.
  // A spend limit (aivideoapi's 429 `spend_limit_exceeded`, an InsufficientCreditsError) does not clear in
  // seconds, and an upstream refusal (aivideoapi's 503 `upstream_error`) is often the content: neither is resent.
  const isRefusal = (error: NanoBananaError) =>
    error instanceof RateLimitError || (error instanceof ServerError && (error.status === 455 || error.status === 503))

  /** The backoff pause between two attempts; an abort during it carries the task id when there is one. */
  const pause = async (ms: number, signal: AbortSignal | undefined, taskId?: string) => {
    try {
      await sleep(ms, signal)
    } catch {
      throw abortError(signal, taskId)
    }
  }

  async function submit(request: GenerateRequest, submitOptions: SubmitOptions = {}): Promise<Submission> {
    const { model, warnings } = validateRequest(adapter, request, options)
    const { body, warnings: mapWarnings } = adapter.toRequestBody(request, model)
    const signal = submitOptions.signal
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw abortError(signal)
      let result: CallResult
      try {
        result = await withRequestTimeout((s) => adapter.submit(client, body, s), signal, requestTimeoutMs)
      } catch (error) {
        if (error instanceof ResponseParseError) {
          // The provider answered 2xx with an unreadable body: a task may exist; never resend.
          throw new AmbiguousSubmitError(
            `${adapter.id}: the provider accepted the request but its answer (HTTP ${error.response.status}) could not be read; a task may have been created and it was not resubmitted, to avoid paying twice. Check your ${adapter.name} dashboard before submitting again.`,
            { provider: adapter.id, status: error.response.status, code: 'unreadable_answer', body: error.bodyText, cause: error },
          )
        }
        const kind = classifyNetworkError(error, signal)
        if (kind === 'aborted') {
          // The caller gave up; the request may still have reached the provider.
          throw abortError(signal)
        }
        if (kind === 'not-sent') {
          // The connection was never made, so the provider cannot have a task: safe to resend.
          const delay = retryDelay(attempt, submitPolicy)
          if (delay !== undefined) {
            await pause(delay, signal)
            continue
          }
          throw new ConnectionError(`${adapter.id}: cannot connect to the provider (${(error as { cause?: { code?: string } }).cause?.code ?? 'network error'}); nothing was submitted`, {
            provider: adapter.id,
            cause: error,
          })
        }
        throw new AmbiguousSubmitError(
          `${adapter.id}: the connection failed after the request may have reached the provider (${kind === 'timeout' ? `no answer within ${requestTimeoutMs} ms` : 'connection lost'}); a task may have been created and it was not resubmitted, to avoid paying twice. Check your ${adapter.name} dashboard before submitting again.${corsHint(error)}`,
          { provider: adapter.id, code: kind === 'timeout' ? 'timeout' : 'connection_lost', cause: error },
        )
      }
      const answer = answerOf(result)
      const parsed = answer instanceof NanoBananaError ? answer : adapter.parseSubmit(answer, result.response)
      if (parsed instanceof NanoBananaError) {
        // A documented refusal (rate limit, maintenance, unavailable) means no task was created.
        const delay = isRefusal(parsed) ? retryDelay(attempt, submitPolicy, parsed.retryAfterMs) : undefined
        if (delay !== undefined) {
          await pause(delay, signal)
          continue
        }
        throw parsed
      }
      return {
        taskId: parsed.taskId,
        provider: adapter.id,
        model: model.id,
        warnings: [...warnings, ...mapWarnings],
        ...(parsed.estimatedSeconds !== undefined ? { estimatedSeconds: parsed.estimatedSeconds } : {}),
        raw: answer,
      }
    }
  }

  async function getTaskOnce(taskId: string, signal?: AbortSignal): Promise<Task> {
    let result: CallResult
    try {
      result = await withRequestTimeout((s) => adapter.query(client, taskId, s), signal, requestTimeoutMs)
    } catch (error) {
      if (error instanceof ResponseParseError) {
        throw new ResponseFormatError(`${adapter.id}: task ${taskId}: unreadable answer (HTTP ${error.response.status})`, {
          provider: adapter.id,
          status: error.response.status,
          taskId,
          body: error.bodyText,
          cause: error,
        })
      }
      const kind = classifyNetworkError(error, signal)
      if (kind === 'aborted') throw abortError(signal, taskId)
      throw new ConnectionError(`${adapter.id}: task ${taskId}: ${kind === 'timeout' ? 'request timed out' : 'connection failed'}`, {
        provider: adapter.id,
        taskId,
        cause: error,
      })
    }
    const answer = answerOf(result)
    const task = answer instanceof NanoBananaError ? answer : adapter.parseTask(answer, result.response)
    if (task instanceof NanoBananaError) {
      task.taskId ??= taskId
      throw task
    }
    return task
  }

  // By class, not status: Crun's 455 maintenance is a ServerError, aivideoapi's 429 spend limit is not a
  // rate limit, and an unknown status word would only be read again.
  const transient = (error: unknown) =>
    error instanceof ConnectionError ||
    (error instanceof ResponseFormatError && error.code !== 'unknown_status') ||
    error instanceof RateLimitError ||
    error instanceof ServerError ||
    error instanceof UpstreamError

  /**
   * A poll is read-only, so any transient failure is retried with backoff until the deadline (the wait's,
   * or `requestTimeoutMs` from now for a lone `getTask`), within `retry.poll.maxRetries`.
   */
  async function getTask(taskId: string, getOptions: SubmitOptions & { deadline?: number } = {}): Promise<Task> {
    const deadline = getOptions.deadline ?? Date.now() + requestTimeoutMs
    for (let attempt = 0; ; attempt++) {
      try {
        return await getTaskOnce(taskId, getOptions.signal)
      } catch (error) {
        if (!transient(error)) throw error
        const delay = retryDelay(attempt, pollPolicy, (error as NanoBananaError).retryAfterMs)
        if (delay === undefined || Date.now() + delay >= deadline) throw error
        await pause(delay, getOptions.signal, taskId)
      }
    }
  }

  const ttlMs = adapter.resultTtlSeconds !== undefined ? adapter.resultTtlSeconds * 1000 : undefined

  function toResult(task: Task, model: string, warnings: Submission['warnings']): GenerateResult {
    const finishedAt = Date.now()
    const context = { provider: adapter.id, taskId: task.taskId, fetch: options.fetch ?? globalThis.fetch, retry: downloadPolicy, timeoutMs: requestTimeoutMs }
    const images = task.urls.map((url): GeneratedImage => {
      const expiresAt = ttlMs !== undefined ? new Date(finishedAt + ttlMs) : undefined
      return {
        url,
        ...(expiresAt ? { expiresAt } : {}),
        // Loaded on first use: an app that only shows the URLs never ships the download code.
        download: (downloadOptions) => redacting(import('./download.js').then((m) => m.downloadImage(url, expiresAt, context, downloadOptions))),
      }
    })
    return {
      taskId: task.taskId,
      provider: adapter.id,
      model: task.model ?? model,
      images,
      ...(task.usage ? { usage: task.usage } : {}),
      warnings,
      raw: task.raw,
    }
  }

  async function wait(taskId: string, waitOptions: WaitOptions & { estimatedSeconds?: number; model?: string; startedAt?: number } = {}): Promise<GenerateResult> {
    if (typeof taskId !== 'string' || taskId === '') {
      throw new ConfigurationError(`${adapter.id}: wait() needs the task id returned by submit()`, { provider: adapter.id, param: 'taskId' })
    }
    const timeoutMs = waitOptions.timeoutMs ?? options.timeoutMs ?? 600_000
    const deadline = Date.now() + timeoutMs
    const task = await waitForTask({
      provider: adapter.id,
      taskId,
      poll: (signal) => getTask(taskId, { ...(signal ? { signal } : {}), deadline }),
      signal: waitOptions.signal,
      timeoutMs,
      onProgress: waitOptions.onProgress,
      polling,
      estimatedSeconds: waitOptions.estimatedSeconds,
      startedAt: waitOptions.startedAt,
    })
    if (task.urls.length === 0) {
      throw new ResponseFormatError(`${adapter.id}: task ${taskId} succeeded without result URLs`, { provider: adapter.id, taskId, body: task.raw })
    }
    return toResult(task, waitOptions.model ?? task.model ?? adapter.defaultModel, [])
  }

  async function generate(generateOptions: GenerateOptions): Promise<GenerateResult> {
    return limit(async () => {
      const { signal, timeoutMs, onProgress, onSubmitted, ...request } = generateOptions
      const startedAt = Date.now()
      const submission = await submit(request, signal ? { signal } : {})
      // From here on a task exists: every error carries its id, so that `wait(taskId)` can resume.
      try {
        onSubmitted?.(submission)
        const result = await wait(submission.taskId, waitOptionsAfterSubmit(submission, { signal, timeoutMs, onProgress }, startedAt))
        result.warnings.push(...submission.warnings)
        return result
      } catch (error) {
        throw withTaskId(error, submission.taskId)
      }
    })
  }

  /** An error after acceptance, with the task id on it (a foreign error is wrapped, its original as `cause`). */
  function withTaskId(error: unknown, taskId: string): NanoBananaError {
    if (error instanceof NanoBananaError) {
      error.taskId ??= taskId
      return error
    }
    return new NanoBananaError(
      `${adapter.id}: task ${taskId}: ${error instanceof Error ? error.message : String(error)}; the task was accepted: wait("${taskId}") resumes`,
      { provider: adapter.id, taskId, cause: error },
    )
  }

  function parseCallback(body: unknown): Task {
    const task = adapter.parseTask(body)
    if (task instanceof NanoBananaError) throw task
    return task
  }

  /** The one choke point of every public method: the API key is removed from anything thrown. */
  const secrets = [apiKey]
  function redacting<T>(promise: Promise<T>): Promise<T> {
    return promise.catch((error: unknown) => {
      throw redactSecrets(error, secrets)
    })
  }
  const guarded =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      try {
        return redacting(fn(...args))
      } catch (error) {
        return Promise.reject(redactSecrets(error, secrets))
      }
    }

  return {
    provider: adapter,
    submit: guarded(submit),
    getTask: guarded((taskId: string, o?: SubmitOptions) => getTask(taskId, o)),
    wait: guarded(wait),
    generate: guarded(generate),
    parseCallback: (body) => {
      try {
        return parseCallback(body)
      } catch (error) {
        throw redactSecrets(error, secrets)
      }
    },
  }
}
