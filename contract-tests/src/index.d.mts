// Public API of @nano-banana/contract-tests (implemented in the .mjs files next to this one).
import type {
  CheckResult,
  Constraint,
  CoverageSummary,
  ExampleCase,
  LoadedSpec,
  Operation,
  PrismOptions,
  PrismServer,
  Provider,
  RequestCase,
  RequestValidator,
  ResponseCase,
  ResponseCheck,
  SpecValidator,
} from './types.js'
import type { ErrorObject } from 'ajv'

export type * from './types.js'

type SpecInput = LoadedSpec | object | string

/** Local request validation (ajv, JSON Schema 2020-12) for every operation with a request body. */
export function createRequestValidator(spec: SpecInput): RequestValidator
/** A fetch that throws RequestValidationError for an invalid JSON body before sending it. */
export function createValidatingFetch(options: { spec: SpecInput; fetch?: typeof fetch }): typeof fetch
export class RequestValidationError extends Error {
  readonly operationId: string
  readonly errors: ErrorObject[]
  constructor(operationId: string, errors: ErrorObject[])
}
export function createSpecValidator(spec: SpecInput): SpecValidator
export function formatErrors(errors: ErrorObject[] | null | undefined, dataVar?: string): string

export function loadSpec(idOrPath: string): LoadedSpec
export function specFromDocument(doc: object, $id?: string): LoadedSpec
export function listOperations(spec: LoadedSpec): Operation[]
export function serverUrl(spec: LoadedSpec, variables?: Record<string, string>): string | undefined
export const SPECS_DIR: string

export function requestCases(spec: LoadedSpec): { census: Constraint[]; cases: RequestCase[] }
export function responseCases(spec: LoadedSpec): ResponseCase[]
export function exampleCases(spec: LoadedSpec): ExampleCase[]
export function documentedResponseCodes(spec: LoadedSpec): { operationId: string; code: string }[]
export function operationArguments(
  spec: LoadedSpec,
  operationId: string,
): { body?: unknown; path?: Record<string, unknown>; query?: Record<string, unknown>; header?: Record<string, unknown> }

export function checkSdkResult(spec: LoadedSpec, operationId: string, result: { data: unknown; error: unknown; response: Response }): ResponseCheck
export function documentedResponse(operation: Operation, status: number): Operation['responses'][number] | undefined
export function prismViolation(status: number, contentType: string | null, body: unknown): ResponseCheck['violation'] | undefined

export function runLocalChecks(spec: LoadedSpec, options?: { casesFrom?: LoadedSpec }): CheckResult[]

export const PROVIDERS: Provider[]
export function getProvider(id: string): Provider
export function liveConfig(
  provider: Provider,
  env?: Record<string, string | undefined>,
): { provider: Provider; spec: LoadedSpec; apiKey: string | undefined; upstream: string | undefined; missing: string[] }

export function startPrism(options: PrismOptions): Promise<PrismServer>
export function startPrismServers(list: PrismOptions[]): Promise<PrismServer[]>
export function stopAllPrism(): Promise<void>
export function getFreePort(host?: string): Promise<number>
export function prismBin(): string
export function prismVersion(): string

export function coverageSummary(spec: LoadedSpec): CoverageSummary
export function formatCoverageTable(rows: (CoverageSummary & { passed?: Record<string, number>; failed?: Record<string, number>; live?: string })[]): string
