import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { parse } from 'yaml'
import { PROVIDER_IDS, type ProviderId } from './types.js'

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsModule.default

type Json = Record<string, unknown>

export interface SpecIssue {
  /** Dotted path of the offending field (`input.prompt`), empty for the body itself. */
  path: string
  /** The top-level field involved, for envelopes that name one (`param`). */
  field: string | undefined
  /** `required`, `additionalProperties`, `enum`, `type`, ... (ajv's keyword) or `model` for an unknown model. */
  keyword: string
  /** One readable sentence, e.g. `input.prompt is required`. */
  message: string
}

export type RequestCheck = { ok: true } | { ok: false; issue: SpecIssue }

/** Where the specs are: next to the built code (published package), or the monorepo's `specs/`. */
export function findSpecsDir(explicit?: string): string {
  const here = dirname(fileURLToPath(import.meta.url))
  const candidates = explicit ? [explicit] : [join(here, 'specs'), resolve(here, '../../../specs')]
  for (const dir of candidates) {
    if (existsSync(join(dir, 'evolink.openapi.yaml'))) return dir
  }
  throw new Error(`@nano-banana/sandbox: no provider specs found (looked in ${candidates.join(', ')}); pass \`specsDir\`.`)
}

const idOf = (provider: ProviderId): string => `https://sandbox.nano-banana.invalid/specs/${provider}.openapi.json`

/**
 * The five OpenAPI documents and an ajv instance that knows all of them. Each whole document is added as a
 * schema with an `$id`, so that `#/components/...` refs resolve exactly as the spec writes them.
 */
export class SpecSet {
  readonly docs: Record<ProviderId, Json>
  private readonly ajv: Ajv2020
  private readonly compiled = new Map<string, ValidateFunction>()
  private warmed = false

  constructor(readonly dir: string) {
    // strict: false because OpenAPI keywords (discriminator, x-*, example) are not JSON Schema keywords.
    this.ajv = new Ajv2020({ strict: false, allErrors: false, validateSchema: false })
    addFormats(this.ajv)
    this.ajv.addFormat('binary', true)
    const docs = {} as Record<ProviderId, Json>
    for (const provider of PROVIDER_IDS) {
      const doc = parse(readFileSync(join(dir, `${provider}.openapi.yaml`), 'utf8')) as Json
      docs[provider] = doc
      this.ajv.addSchema({ ...doc, $id: idOf(provider) })
    }
    this.docs = docs
  }

  /** The operation object with this operationId. */
  operation(provider: ProviderId, operationId: string): Json {
    const paths = (this.docs[provider].paths ?? {}) as Record<string, Record<string, Json>>
    for (const item of Object.values(paths)) {
      for (const op of Object.values(item)) {
        if (op && typeof op === 'object' && op.operationId === operationId) return op
      }
    }
    throw new Error(`${provider}: no operation ${operationId} in the spec`)
  }

  /** Follows a local `$ref` (`#/components/...`) inside one document. */
  deref(provider: ProviderId, node: unknown): Json {
    let current = node as Json
    for (let guard = 0; current && typeof current.$ref === 'string' && guard < 10; guard++) {
      const ref = current.$ref as string
      current = ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((acc, key) => (acc as Json)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], this.docs[provider]) as Json
    }
    return current
  }

  validator(provider: ProviderId, pointer: string): ValidateFunction {
    const key = `${provider}${pointer}`
    let fn = this.compiled.get(key)
    if (!fn) {
      fn = this.ajv.compile({ $ref: `${idOf(provider)}${pointer}` })
      this.compiled.set(key, fn)
    }
    return fn
  }

  /**
   * Compiles every request schema the sandbox checks. A first compile takes tens of milliseconds and blocks the
   * event loop, which would otherwise land in the middle of some task's timeline; the set is cached per process.
   */
  warm(): void {
    if (this.warmed) return
    this.warmed = true
    for (const provider of PROVIDER_IDS) {
      const paths = (this.docs[provider].paths ?? {}) as Record<string, Record<string, Json>>
      for (const item of Object.values(paths)) {
        for (const op of Object.values(item)) {
          const media = (this.deref(provider, op?.requestBody)?.content as Record<string, Json> | undefined)?.['application/json']
          const ref = (media?.schema as Json | undefined)?.$ref
          if (typeof ref !== 'string') continue
          this.validator(provider, ref)
          const mapping = (this.deref(provider, media!.schema).discriminator as { mapping?: Record<string, string> } | undefined)?.mapping
          for (const target of Object.values(mapping ?? {})) this.validator(provider, target)
        }
      }
    }
  }

  /**
   * Checks a JSON request body against the operation's request schema. A `oneOf` with a discriminator is
   * resolved through its `mapping` first, so the answer names the real problem instead of "matches no branch".
   */
  checkRequest(provider: ProviderId, operationId: string, body: unknown): RequestCheck {
    const op = this.operation(provider, operationId)
    const requestBody = this.deref(provider, op.requestBody)
    const media = (requestBody.content as Record<string, Json>)['application/json']
    const schemaRef = (media?.schema as Json | undefined)?.$ref
    if (typeof schemaRef !== 'string') throw new Error(`${provider} ${operationId}: request schema is not a $ref`)
    let pointer = schemaRef
    const schema = this.deref(provider, media!.schema)
    const discriminator = schema.discriminator as { propertyName: string; mapping?: Record<string, string> } | undefined
    if (discriminator?.mapping && body && typeof body === 'object' && !Array.isArray(body)) {
      const name = discriminator.propertyName
      const value = (body as Json)[name]
      if (value === undefined) {
        return { ok: false, issue: { path: name, field: name, keyword: 'required', message: `${name} is required` } }
      }
      const target = typeof value === 'string' ? discriminator.mapping[value] : undefined
      if (!target) {
        const allowed = Object.keys(discriminator.mapping).join(', ')
        return { ok: false, issue: { path: name, field: name, keyword: 'model', message: `${name} must be one of: ${allowed}` } }
      }
      pointer = target
    }
    const validate = this.validator(provider, pointer)
    if (validate(body)) return { ok: true }
    return { ok: false, issue: describeError(validate.errors?.[0]) }
  }
}

function describeError(error: ErrorObject | undefined): SpecIssue {
  if (!error) return { path: '', field: undefined, keyword: 'type', message: 'body is invalid' }
  const base = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
  const params = error.params as Record<string, unknown>
  let path = base
  let message: string
  if (error.keyword === 'required') {
    path = [...base, String(params.missingProperty)]
    message = `${path.join('.')} is required`
  } else if (error.keyword === 'additionalProperties') {
    path = [...base, String(params.additionalProperty)]
    message = `${path.join('.')} is not allowed`
  } else if (error.keyword === 'enum') {
    message = `${base.join('.') || 'body'} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`
  } else {
    message = `${base.join('.') || 'body'} ${error.message ?? 'is invalid'}`
  }
  return { path: path.join('.'), field: path[0], keyword: error.keyword, message }
}

const cache = new Map<string, SpecSet>()

/** Loads (once per folder) the five specs. */
export function loadSpecs(explicitDir?: string): SpecSet {
  const dir = findSpecsDir(explicitDir)
  let set = cache.get(dir)
  if (!set) {
    set = new SpecSet(dir)
    cache.set(dir, set)
  }
  return set
}
