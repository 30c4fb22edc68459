// Provider failover: one client over several providers, trying the next one only when the error
// proves that the provider did not accept the task. Once a provider accepted it (it has a task id,
// or it may have one: AmbiguousSubmitError), that provider is the only one ever asked about it.
import type { ProviderAdapter } from './adapter.js'
import type { LazyProvider } from './lazy-provider.js'
import { ambiguousSubmit, createClientCore, runGenerate, withRedaction, type ClientCore, type NanoBananaClientOptions, type WaitInternals } from './client.js'
import { ConfigurationError, NanoBananaError, ServerError, UpstreamError } from './errors.js'
import { createLimiter } from './limit.js'
import { failoverReason } from './policy.js'
import { withTaskId } from './task-id.js'
import type {
  FailoverReason,
  FailoverSkip,
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
} from './types.js'

/** One provider of a failover client: its own key, base URL, model, and any client option to override. */
export interface FailoverProvider<P extends ProviderId = ProviderId> extends Partial<Omit<NanoBananaClientOptions, 'provider'>> {
  /** A provider id, or an adapter object (which makes the client's requests untyped: its `id` is any provider), or a lazy provider (`lazy/<id>`). */
  provider: P | (ProviderAdapter & { readonly id: P }) | LazyProvider<P>
  /**
   * The model to run on this provider (model ids differ between providers: see each adapter's `models`).
   * Replaces the request's `model` for this provider; when unset, the request's `model` (or the
   * provider's default model) is used.
   */
  model?: ProviderId extends P ? string : ModelId<P>
}

export interface NanoBananaFailoverOptions<P extends ProviderId = ProviderId> extends Omit<NanoBananaClientOptions, 'provider' | 'apiKey' | 'baseUrl'> {
  /** Tried in order; each id at most once. Shared options apply to all, an entry's own options win. */
  providers: readonly FailoverProvider<P>[]
  provider?: never
}

/** A failover request: any model id of its providers, and the options any of their models lists (union over the providers). */
export type FailoverRequest<P extends ProviderId = ProviderId> = GenerateRequestFor<P, ModelId<P>>

/** `provider:taskId`: what `wait()`/`getTask()` of a failover client accept without `{ provider }`. */
export type TaskHandle = `${ProviderId}:${string}`

export interface FailoverSubmission extends Submission {
  /** `provider:taskId`; pass it to `wait()`/`getTask()` (or pass `taskId` with `{ provider }`). */
  handle: TaskHandle
  /** Providers skipped before `provider` accepted the task; empty when the first one did. */
  failover: FailoverSkip[]
}

export interface FailoverResult extends GenerateResult {
  handle: TaskHandle
  failover: FailoverSkip[]
}

export type FailoverGenerateOptions<P extends ProviderId = ProviderId> = Omit<GenerateOptionsFor<P, ModelId<P>>, 'onSubmitted'> & {
  onSubmitted?: (submission: FailoverSubmission) => void
}

/** Which provider a task belongs to, when the task id is not a `provider:taskId` handle. */
export interface ProviderOption {
  provider?: ProviderId
}

/** A failover client over providers `P` (typed requests: see `FailoverRequest`); the default is untyped. */
export interface NanoBananaFailoverClient<P extends ProviderId = ProviderId> {
  /** The providers, in the order they are tried. */
  readonly providers: readonly ProviderAdapter[]
  /** Submits to the first provider that accepts the task; see `failover` for the ones skipped. */
  submit(request: FailoverRequest<P>, options?: SubmitOptions): Promise<FailoverSubmission>
  /** One query of a task: `getTask('<provider>:task-123')` or `getTask('task-123', { provider })`. */
  getTask(taskId: string, options?: SubmitOptions & ProviderOption): Promise<Task>
  /** Best-effort cancel of a task (see NanoBananaClient.cancel): `cancel('<provider>:task-123')` or `cancel('task-123', { provider })`. */
  cancel(taskId: string, options?: { signal?: AbortSignal } & ProviderOption): Promise<{ canceled: boolean }>
  /** Waits for a task of the provider that accepted it (a handle, or `{ provider }`); never fails over. */
  wait(taskId: string, options?: WaitInternals & ProviderOption): Promise<FailoverResult>
  /** Submit with failover, then wait on the provider that accepted the task. */
  generate(options: FailoverGenerateOptions<P>): Promise<FailoverResult>
  /** Normalizes a callback body; `{ provider }` is required when more than one provider is configured. */
  parseCallback(body: unknown, options?: ProviderOption): Task
}

interface Entry {
  id: ProviderId
  adapter: ProviderAdapter
  model: string | undefined
  core: ClientCore
}

const handleOf = (provider: ProviderId, taskId: string): TaskHandle => `${provider}:${taskId}`

/** Builds the failover client behind `createNanoBanana({ providers: [...] })`. */
export function createFailoverClient(
  options: NanoBananaFailoverOptions,
  resolve: (provider: ProviderId | ProviderAdapter | LazyProvider) => ProviderAdapter,
): NanoBananaFailoverClient {
  const { providers: list, ...shared } = options
  if (!Array.isArray(list) || list.length === 0) {
    throw new ConfigurationError('providers must be a non-empty array of { provider, apiKey?, baseUrl?, model? }', { param: 'providers' })
  }
  const entries: Entry[] = list.map((item: FailoverProvider, i) => {
    if (!item || typeof item !== 'object') throw new ConfigurationError(`providers[${i}] must be an object`, { param: `providers[${i}]` })
    const { provider, model, ...own } = item
    const adapter = resolve(provider)
    return { id: adapter.id, adapter, model, core: createClientCore({ ...shared, ...own, provider: adapter }) }
  })
  // Every provider's key, as each core resolved it: the one redaction wrapper removes all of them.
  const secrets = entries.flatMap((entry) => entry.core.secrets)
  const seen = new Set<ProviderId>()
  for (const entry of entries) {
    if (seen.has(entry.id))
      throw new ConfigurationError(`providers: ${entry.id} is listed twice (a task handle names its provider)`, { provider: entry.id, param: 'providers' })
    seen.add(entry.id)
  }
  const limit = createLimiter(options.maxConcurrency ?? 0)
  const entryOf = (provider: ProviderId | undefined): Entry | undefined => entries.find((e) => e.id === provider)
  /** For messages that ask the caller to name a provider. */
  const oneOf = () => `(one of ${entries.map((e) => e.id).join(', ')})`

  const skipOf = (entry: Entry, error: NanoBananaError, reason: FailoverReason): FailoverSkip => ({
    provider: entry.id,
    skipped: true,
    reason,
    error: error.name,
    ...(error.code !== undefined ? { code: error.code } : {}),
    ...(error.status !== undefined ? { status: error.status } : {}),
    message: error.message,
  })

  /**
   * A 5xx that is no documented refusal came after the provider read the request: a task may exist there,
   * so no other provider is asked, and the error says so (the provider's own error is its `cause`).
   */
  const ambiguous = (entry: Entry, error: unknown): unknown => {
    if (!(error instanceof ServerError || error instanceof UpstreamError) || error.taskId !== undefined) return error
    return ambiguousSubmit(
      entry.adapter,
      `the provider answered ${error.status !== undefined ? `HTTP ${error.status}` : 'with a server error'} after receiving the submit (${error.message})`,
      { status: error.status, code: 'server_error_after_send', body: error.body, cause: error },
      'there, so no other provider was tried',
    )
  }

  /** Attaches the skip list to whatever ends the call. */
  const withSkips = (error: unknown, skips: FailoverSkip[]): unknown => {
    if (error instanceof NanoBananaError && skips.length > 0) error.failover = skips
    return error
  }

  /** Submits to the first provider that accepts the task; see `failover` for the ones skipped. */
  async function submit(request: GenerateRequest, submitOptions: SubmitOptions = {}): Promise<FailoverSubmission> {
    const skips: FailoverSkip[] = []
    // `entries` is never empty (checked above): the last one's error ends the loop.
    for (let i = 0; ; i++) {
      const entry = entries[i]!
      const model = entry.model ?? request.model
      try {
        const submission = await entry.core.submit({ ...request, ...(model !== undefined ? { model } : {}) }, submitOptions)
        return { ...submission, handle: handleOf(entry.id, submission.taskId), failover: skips }
      } catch (error) {
        const reason = failoverReason(error)
        // Not a proven refusal, or nobody left to try: this error is the answer.
        if (reason === undefined || i === entries.length - 1) throw withSkips(reason === undefined ? ambiguous(entry, error) : error, skips)
        skips.push(skipOf(entry, error as NanoBananaError, reason))
      }
    }
  }

  /** The entry a task belongs to, from `{ provider }` or a `provider:taskId` handle. */
  function route(taskId: string, provider: ProviderId | undefined): { entry: Entry; taskId: string } {
    if (typeof taskId !== 'string' || taskId === '') {
      throw new ConfigurationError('wait()/getTask() need the handle (or task id) returned by submit()', { param: 'taskId' })
    }
    if (provider !== undefined) {
      const entry = entryOf(provider)
      if (!entry) throw new ConfigurationError(`${provider} is not one of this client's providers ${oneOf()}`, { param: 'provider' })
      return { entry, taskId: taskId.startsWith(`${provider}:`) ? taskId.slice(provider.length + 1) : taskId }
    }
    const colon = taskId.indexOf(':')
    const entry = colon > 0 ? entryOf(taskId.slice(0, colon) as ProviderId) : undefined
    if (entry) return { entry, taskId: taskId.slice(colon + 1) }
    if (entries.length === 1) return { entry: entries[0]!, taskId }
    throw new ConfigurationError(`task ${taskId}: which provider? Pass the \`provider:taskId\` handle returned by submit() or { provider } ${oneOf()}`, {
      param: 'provider',
      taskId,
    })
  }

  /** Runs `call` on the core of the provider the task belongs to, with the caller's options minus `provider`. */
  function routed<O extends ProviderOption, R>(
    taskId: string,
    callOptions: O | undefined,
    call: (core: ClientCore, taskId: string, rest: Omit<O, 'provider'>) => Promise<R>,
  ) {
    const { provider, ...rest } = callOptions ?? ({} as O)
    const target = route(taskId, provider)
    return call(target.entry.core, target.taskId, rest)
  }

  const getTask = async (taskId: string, o?: SubmitOptions & ProviderOption): Promise<Task> => routed(taskId, o, (core, id, rest) => core.getTask(id, rest))
  const cancel = async (taskId: string, o?: { signal?: AbortSignal } & ProviderOption) => routed(taskId, o, (core, id, rest) => core.cancel(id, rest))
  const wait = async (taskId: string, o?: WaitInternals & ProviderOption): Promise<FailoverResult> =>
    routed(taskId, o, async (core, id, rest) => {
      const result = await core.wait(id, rest)
      return { ...result, handle: handleOf(result.provider, result.taskId), failover: [] }
    })

  function generate(generateOptions: FailoverGenerateOptions): Promise<FailoverResult> {
    return limit(() =>
      runGenerate<FailoverSubmission, FailoverResult>(generateOptions, {
        submit,
        finish: async (submission, waitOptions) => {
          const result = await entryOf(submission.provider)!.core.wait(submission.taskId, waitOptions, submission.warnings)
          return { ...result, handle: submission.handle, failover: submission.failover }
        },
        // A task exists at that provider: no other one is ever asked, the error carries the id and the skips.
        accepted: (error, { provider, taskId, handle, failover }) => withSkips(withTaskId(error, provider, taskId, handle), failover),
      }),
    )
  }

  function parseCallback(body: unknown, callbackOptions: ProviderOption = {}): Task {
    const entry = callbackOptions.provider !== undefined ? entryOf(callbackOptions.provider) : entries.length === 1 ? entries[0] : undefined
    if (!entry) {
      throw new ConfigurationError(`parseCallback: pass { provider } ${oneOf()}; one callback URL per provider tells them apart`, { param: 'provider' })
    }
    return entry.core.parseCallback(body)
  }

  return withRedaction<NanoBananaFailoverClient>(
    {
      providers: entries.map((e) => e.adapter),
      submit,
      getTask,
      wait,
      generate,
      parseCallback,
      cancel,
    },
    secrets,
  )
}
