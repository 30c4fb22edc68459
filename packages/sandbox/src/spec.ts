// Request validation from the spec's own request schemas. They come from the provider packages' generated
// JSON schemas (`@nano-banana/<id>/schemas`, written by `pnpm generate` from specs/<id>.openapi.yaml and built
// before the sandbox through turbo's `^build`), not from a copy of the YAML made at build time: a spec edit
// reaches the sandbox with `pnpm generate && pnpm build`, and the published package needs no spec files.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import type { ProviderWire } from './providers/types.js'
import type { ProviderId } from './types.js'

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

const SUFFIX = 'Schema'
const idOf = (provider: ProviderId): string => `https://sandbox.nano-banana.invalid/schemas/${provider}.json`

/** `{ CreateImageTaskRequestSchema: {...} }` -> `{ CreateImageTaskRequest: {...} }`: the spec's component names again. */
function componentsOf(schemas: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, schema] of Object.entries(schemas)) if (name.endsWith(SUFFIX)) out[name.slice(0, -SUFFIX.length)] = schema
  return out
}

/**
 * The request schemas of every provider in one ajv instance. Each provider's components become one document
 * with an `$id`, so the generated schemas' `#/components/schemas/...` refs resolve exactly as the spec writes them.
 */
export class SpecSet {
  private readonly ajv: Ajv2020
  private readonly docs = new Map<ProviderId, { components: { schemas: Record<string, unknown> } }>()
  private readonly compiled = new Map<string, ValidateFunction>()

  constructor(wires: readonly ProviderWire[]) {
    // strict: false because OpenAPI keywords (discriminator, x-*, example) are not JSON Schema keywords.
    this.ajv = new Ajv2020({ strict: false, allErrors: false, validateSchema: false })
    addFormats(this.ajv)
    this.ajv.addFormat('binary', true)
    for (const wire of wires) {
      const doc = { components: { schemas: componentsOf(wire.schemas) } }
      this.docs.set(wire.id, doc)
      this.ajv.addSchema({ ...doc, $id: idOf(wire.id) })
    }
  }

  private component(provider: ProviderId, name: string): Json | undefined {
    return this.docs.get(provider)?.components.schemas[name] as Json | undefined
  }

  private validator(provider: ProviderId, name: string): ValidateFunction {
    const key = `${provider}#${name}`
    let fn = this.compiled.get(key)
    if (!fn) {
      if (!this.component(provider, name)) throw new Error(`${provider}: no component schema ${name} in the generated schemas`)
      fn = this.ajv.compile({ $ref: `${idOf(provider)}#/components/schemas/${name}` })
      this.compiled.set(key, fn)
    }
    return fn
  }

  /**
   * Compiles the request schemas (and their discriminator targets) up front. A first compile takes tens of
   * milliseconds and blocks the event loop, which would otherwise land in the middle of some task's timeline.
   */
  warm(provider: ProviderId, requestSchemas: readonly string[]): void {
    for (const name of requestSchemas) {
      this.validator(provider, name)
      for (const target of Object.values(this.mappingOf(provider, name) ?? {})) this.validator(provider, target)
    }
  }

  private mappingOf(provider: ProviderId, name: string): Record<string, string> | undefined {
    const mapping = (this.component(provider, name)?.discriminator as { mapping?: Record<string, string> } | undefined)?.mapping
    if (!mapping) return undefined
    return Object.fromEntries(Object.entries(mapping).map(([value, ref]) => [value, ref.split('/').pop()!]))
  }

  /**
   * Checks a JSON request body against a request schema. A `oneOf` with a discriminator is resolved through its
   * `mapping` first, so the answer names the real problem instead of "matches no branch".
   */
  checkRequest(provider: ProviderId, schemaName: string, body: unknown): RequestCheck {
    let name = schemaName
    const discriminator = this.component(provider, schemaName)?.discriminator as { propertyName: string } | undefined
    const mapping = this.mappingOf(provider, schemaName)
    if (discriminator && mapping && body && typeof body === 'object' && !Array.isArray(body)) {
      const property = discriminator.propertyName
      const value = (body as Json)[property]
      if (value === undefined) {
        return { ok: false, issue: { path: property, field: property, keyword: 'required', message: `${property} is required` } }
      }
      const target = typeof value === 'string' ? mapping[value] : undefined
      if (!target) {
        const allowed = Object.keys(mapping).join(', ')
        return { ok: false, issue: { path: property, field: property, keyword: 'model', message: `${property} must be one of: ${allowed}` } }
      }
      name = target
    }
    const validate = this.validator(provider, name)
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

let shared: SpecSet | undefined

/** One validator set per process: compiling is the expensive part, and the schemas never change at run time. */
export function loadSpecs(wires: readonly ProviderWire[]): SpecSet {
  shared ??= new SpecSet(wires)
  return shared
}
