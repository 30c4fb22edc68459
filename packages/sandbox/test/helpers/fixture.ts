// What a shared sandbox test must know about one provider and cannot read from its spec or meta: where the
// answers put the id, status and URLs, and the exact bodies and statuses its documented errors have. Each
// provider's fixture is test/providers/<id>.ts; the shared suites load them by id.
import type { ProviderId, Sandbox } from '../../src/index.js'
import type * as Api from './api.js'
import type * as Spec from './spec.js'

/** What a fixture's own tests get: the shared helpers and the suite's sandbox (started fresh for each test). */
export type OwnTestKit = typeof Api & typeof Spec & { sandbox: () => Sandbox }

type Json = Record<string, any>

/** The faults answered instead of the real operation, with the provider's error envelope. */
export type RefusalFault = 'rate-limit' | 'server-error' | 'bad-gateway' | 'unavailable'

export interface Fixture {
  /** The model the shared tests use, when not the spec's default model. */
  model?: string
  idOf: (created: Json) => string
  statusOf: (queried: Json) => string
  urlsOf: (queried: Json) => string[]
  /** The callback payload is this member of the query answer (default: the whole answer). */
  callbackPayloadKey?: string
  /** A callback body seen as an ended query answer, where it is not a member of one (overrides `callbackPayloadKey`). */
  asQueried?: (payload: Json) => Json
  /** The callback body an ended query answer (with its `result`, where the spec has a result operation) stands for. */
  callbackPart?: (queried: Json) => Json
  /** HTTP status of a body that breaks the request schema, when not 400 (or `errorHttpStatus`). */
  validationStatus?: number
  /** The JSON code of an error answer. */
  codeOf: (body: Json) => unknown
  /** HTTP status and JSON code of each refusing fault's answer. */
  refusals: Record<RefusalFault, [status: number, code: unknown]>
  /** HTTP status of documented error envelopes (401, 4xx validation, not found) when it is not the error's own. */
  errorHttpStatus?: number
  /** The exact answer to a create body without its prompt. */
  missingPrompt: unknown
  /** HTTP status for a model the spec does not know, and a pattern its body matches (when documented). */
  unknownModel: { status: number; body?: RegExp }
  /** A well-formed task id the sandbox never issued. */
  unknownTaskId: string
  /** The not-found answer as the spec's example writes it (default: unchanged). */
  asNotFoundExample?: (body: Json) => unknown
  /** Checks the end state of a `task-fail` task beyond its status word. */
  checkFailed: (last: Json) => void
  /** Checks progress and timing fields over a whole life cycle (created answer, then every poll). */
  checkLifecycle: (created: Json, answers: Json[], task: { prompt: string; durationMs: number }) => void
  /** Checks a callback request's headers, when the provider documents any. */
  checkCallbackHeaders?: (headers: Record<string, string | string[] | undefined>, taskId: string, outcome: 'succeeded' | 'failed') => void
  /** The shape of issued task ids. */
  taskIdPattern: RegExp
  /** The create answer's time estimate in seconds, for providers whose create answer carries one. */
  estimateOf?: (created: Json) => number | undefined
  /** Fault answers whose status the spec does not list for the operation: `<operationId> <status>`. */
  undocumentedFaultStatuses: string[]
  /** Tests of behaviour only this provider has (registered by the shared suite inside a describe block). */
  ownTests?: (kit: OwnTestKit) => void
}

export async function loadFixture(id: ProviderId): Promise<Fixture> {
  // @vite-ignore: the id is data (the manifest's list); vitest resolves the `.js` specifier to the `.ts` file.
  const module = (await import(/* @vite-ignore */ `../providers/${id}.js`)) as { fixture: Fixture }
  return module.fixture
}
