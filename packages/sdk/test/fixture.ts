// The shape of a per-provider test fixture (`test/providers/<id>.ts`): what a spec cannot tell a test
// (which named examples form one task's life, where the id lives in them, what the provider's own codes
// mean), plus the tests that are true of that provider only. Type-only imports: fixtures load before support.
import type { GenerateRequest, NanoBananaError, ProviderAdapter, ProviderId, Submission } from '../src/index.js'

// Spec documents are untyped YAML; tests read them with plain property access.
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Json = any

export type ErrorClass = abstract new (...args: never[]) => NanoBananaError

export interface Fixture {
  /** Named spec examples: the create answer, the query answers of one task in order, a failed task. */
  created: string
  sequence: string[]
  failed: string
  /** What the failed example must become (a safety refusal or a plain failure). */
  failedClass: ErrorClass
  /**
   * Where the query answer carries only the status (`meta.operations.result`): the result operation's error
   * example (HTTP status, example name) that makes the `failed` task a failure.
   */
  failedResult?: { status: number; example: string }
  /** A well-formed task id of this provider, where ids have a structure (default `task-unified-42`). */
  sampleTaskId?: string
  /** The task id a callback body names, where it names less than the submit's id (default: the same id). */
  callbackTaskIdOf?(taskId: string): string
  /** The code of an error body, where the provider's envelope has no `error.code` or `code`. */
  errorCodeOf?(body: Json): unknown
  /** The fields of an error body as `{type, message, param}`, where the envelope is not `{error: {...}}` or flat. */
  errorEnvelopeOf?(body: Json): Json
  /** Sets the task id in a query example, so the server answers about the task it created. */
  withId(body: Json, taskId: string): Json
  /** The task id a create answer yields (for `model`, where the id carries it). */
  taskIdOf(created: Json, model?: string): string
  urlsOf(completed: Json): string[]
  statusOf(body: Json): { holder: Json; key: string }
  /** Documented error codes whose class says more than their HTTP status. */
  errorOverrides?: Record<string, ErrorClass>
  /** Statuses with a provider meaning of their own (JSON codes), over the shared HTTP table. */
  statusClasses?: Record<number, ErrorClass>
  /** The status an error carries when the body has a JSON code of its own. */
  effectiveStatus?(httpStatus: number, body: Json): number
  /** `resolution` picks the model id instead of going into a field. */
  resolutionInModelId?: boolean
  /** A request with one harmless option the model has no field for, and that option. */
  ignoredOption: { request: Partial<GenerateRequest>; option: string }
  /** Fault-matrix outcomes that differ from the shared expectation (row label -> outcome). */
  faultOutcomes?: Record<string, string>
  /** Extra request options for the download test (a model that returns JPEG, several images). */
  downloadRequest?: Partial<GenerateRequest>
  /** Tests true of this provider only, registered inside the shared suite's describe. */
  tests?(kit: TestKit): void
}

/** What the shared suite lends a fixture's own tests. */
export interface TestKit {
  id: ProviderId
  adapter: ProviderAdapter
  https: string
  refs(n: number): string[]
  /** Submits through a fake fetch and returns the one body sent (validated against the spec's request schema). */
  sent(request: GenerateRequest): Promise<{ body: Json; submission: Submission }>
  /** The body the adapter builds for a model, unvalidated. */
  bodyOf(modelId: string, request: Partial<GenerateRequest>): Json
  /** Validates a body against the spec's `CreateImageTaskRequest`. */
  valid(body: Json): boolean
  requestSchemaOf(model: string): Json
  successExample(operationId: string, name: string): Json
  response(status?: number): Response
  /** A client whose fetch answers every request with `answer`; `calls()` counts the requests. */
  client(answer: () => Response, retry?: { maxRetries?: number; baseDelayMs?: number }): { submit(request: GenerateRequest): Promise<Submission>; calls(): number }
}

/**
 * A synchronous provider's fixture (`test/providers/<id>.ts`, export `syncFixture`): which named 200 examples
 * of the create operation carry images, what each image-less one becomes, and its own tests.
 */
export interface SyncFixture {
  /** The 200 example with images, and how many it holds. */
  success: string
  images: number
  /** Image-less 200 examples -> the error class each becomes (a content refusal or "no image"). */
  refusals: Record<string, ErrorClass>
  /** What the sandbox's failed task (its image-less answer) becomes. */
  failedClass: ErrorClass
  /** Documented error codes whose class says more than their HTTP status. */
  errorOverrides?: Record<string, ErrorClass>
  /** Fault-matrix outcomes that differ from the shared expectation (`<phase> <label>` -> outcome). */
  faultOutcomes?: Record<string, string>
  /** Tests true of this provider only. */
  tests?(kit: SyncKit): void
}

/** What the shared synchronous suite lends a fixture's own tests. */
export interface SyncKit {
  id: ProviderId
  adapter: ProviderAdapter
  /** Submits through a fake fetch answering the spec's success example; returns the one body sent (validated) and the request URL. */
  sent(request: GenerateRequest): Promise<{ body: Json; url: string; submission: Submission }>
  successExample(name: string): Json
}
