// Shared types of the contract checker (the .mjs sources refer to them in JSDoc).
import type { ErrorObject } from 'ajv'

// The spec reader's and validator's types come from the shared test kit.
import type { LoadedSpec, Operation, Segments } from '@nano-banana/testkit'
export type { LoadedSpec, MediaContent, Operation, Segments, SpecValidator } from '@nano-banana/testkit'

export interface RequestValidationResult {
  valid: boolean
  errors: ErrorObject[]
  message: string
}

export interface RequestValidator {
  spec: LoadedSpec
  /** operationIds that take a request body. */
  operations: string[]
  validate(operationId: string, body: unknown, options?: { mediaType?: string }): RequestValidationResult
  assertValid(operationId: string, body: unknown, options?: { mediaType?: string }): void
  match(method: string, pathname: string): string | undefined
}

export interface ResponseCase {
  provider: string
  id: string
  operationId: string
  method: string
  path: string
  code: string
  status: number | undefined
  mediaType: string | undefined
  schemaAt: Segments | undefined
  headers: Operation['responses'][number]['headers']
  /** Prism can force it with `Prefer: code=` (numeric codes only). */
  forcible: boolean
  example: string | undefined
  exampleValue?: unknown
  /** The `Prefer` header value. */
  prefer: string
}

export interface Constraint {
  provider: string
  operationId: string
  mediaType: string
  branch: string
  path: Segments
  keyword: string
  detail: unknown
  id: string
  /** The request case that breaks only this constraint. */
  caseId?: string
  status?: 'uncovered' | 'shadowed'
  reason?: string
}

export interface RequestCase {
  provider: string
  id: string
  operationId: string
  method: string
  path: string
  mediaType: string
  schemaAt: Segments
  branchAt: Segments
  branch: string
  kind: 'valid' | 'boundary' | 'invalid'
  name: string
  body: unknown
  expect: 'valid' | 'invalid'
  constraint?: string
  keyword?: string
  instancePath?: Segments
}

export interface ExampleCase {
  provider: string
  id: string
  at: Segments
  schemaAt: Segments | undefined
  value: unknown
  unreferenced?: boolean
}

export interface ResponseCheck {
  ok: boolean
  status?: number
  code?: string
  problems: string[]
  violation?: { status: number; title?: string; violations: { location: string[]; code: string | number; message: string }[]; message: string }
}

export interface CheckResult {
  id: string
  kind: 'example' | 'request' | 'response' | 'coverage'
  ok: boolean
  message: string
}

export interface CoverageSummary {
  provider: string
  operations: string[]
  responseCodes: string[]
  responseCodesWithCase: string[]
  responseCases: number
  constraints: string[]
  constraintsWithCase: string[]
  shadowedConstraints: string[]
  requestCases: number
  validRequestCases: number
  invalidRequestCases: number
  examples: number
  gaps: string[]
}

export interface Provider {
  id: string
  Id: string
  packageName: string
  clientFactory: string
  specPath: string
  keyEnv: string
  /** `<ID>_BASE_URL`: overrides the spec's server URL in live mode (required where the spec has none). */
  baseUrlEnv: string
}

export interface PrismOptions {
  specPath: string
  mode?: 'mock' | 'proxy'
  upstream?: string
  /** `--errors` (default in proxy mode). */
  errors?: boolean
  timeoutMs?: number
  attempts?: number
  host?: string
  name?: string
}

export interface PrismServer {
  name: string
  label: string
  mode: 'mock' | 'proxy'
  specPath: string
  upstream: string | undefined
  url: string
  port: number
  pid: number | undefined
  logs(): string
  stop(): Promise<void>
  readonly exited: boolean
}

export interface LiveContext {
  sdk: Record<string, any>
  client: unknown
  badClient: unknown
}

export interface LiveCheck {
  name: string
  run(context: LiveContext): Promise<ResponseCheck>
}

/** One schema location with `$ref` and `allOf` merged (see schema-walk.mjs). */
export interface SchemaView {
  at: Segments
  parts: Segments[]
  properties: Record<string, Segments>
  required: string[]
  keywordAt: Record<string, Segments | undefined>
  types: string[]
  items?: Segments
  oneOf?: Segments[]
  anyOf?: Segments[]
  additionalPropertiesAt?: Segments
  discriminator?: { propertyName: string; mapping?: Record<string, string> }
  format?: string
  enum?: unknown[]
  [keyword: string]: any
}
