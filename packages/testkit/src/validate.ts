// ajv (JSON Schema 2020-12 = OpenAPI 3.1) validators into spec documents. The whole spec is added as one
// schema under its $id and every validator is a reference into it, compiled once and cached.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { asSpec, fromPointer, type LoadedSpec, type Segments, type SpecInput, toFragment } from './spec.js'

type AddFormats = (ajv: Ajv2020) => Ajv2020
// ajv-formats is CommonJS: under NodeNext its default import is the module object, the plugin is `.default`.
const addFormatsPlugin: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats)

/** A new ajv for OpenAPI 3.1 documents, with the standard formats and OpenAPI's `binary`. */
export function createAjv(): Ajv2020 {
  // strict: false -- an OpenAPI document carries keywords ajv does not know (`discriminator`, `example`,
  // `x-*`, `components`, `paths`). `discriminator` stays off: ajv's implementation rejects `mapping`,
  // and `oneOf` of single-value enums already selects the branch.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, validateSchema: false })
  addFormatsPlugin(ajv)
  ajv.addFormat('binary', true)
  return ajv
}

export interface SpecValidator {
  spec: LoadedSpec
  ajv: Ajv2020
  /** The validator of the schema at a location (segments or a JSON pointer like `#/components/schemas/X`). */
  compile(at: Segments | string): ValidateFunction
  /** ajv's errors for `value` against the schema at `at` (empty when valid). */
  errors(at: Segments | string, value: unknown): ErrorObject[]
  isValid(at: Segments | string, value: unknown): boolean
  /** Throws an Error naming `what`, the location and every violation when `value` does not match. */
  assert(at: Segments | string, value: unknown, what?: string): void
  readonly cacheSize: number
}

// Keyed by $id: a spec loaded twice shares one ajv; a re-read document (new object) gets a fresh one.
const validators = new Map<string, SpecValidator>()

const segmentsOf = (at: Segments | string): Segments => (typeof at === 'string' ? fromPointer(at) : at)

export function createSpecValidator(specInput: SpecInput): SpecValidator {
  const spec = asSpec(specInput)
  const cached = validators.get(spec.$id)
  if (cached && cached.spec.doc === spec.doc) return cached

  const ajv = createAjv()
  ajv.addSchema(spec.doc, spec.$id)
  const compiled = new Map<string, ValidateFunction>()
  const compile = (at: Segments | string): ValidateFunction => {
    const key = toFragment(segmentsOf(at))
    let fn = compiled.get(key)
    if (!fn) {
      fn = ajv.getSchema(spec.$id + key)
      if (!fn) throw new Error(`${spec.id}: no schema at ${key}`)
      compiled.set(key, fn)
    }
    return fn
  }
  const validator: SpecValidator = {
    spec,
    ajv,
    compile,
    errors(at, value) {
      const fn = compile(at)
      return fn(value) ? [] : [...(fn.errors ?? [])]
    },
    isValid(at, value) {
      return compile(at)(value)
    },
    assert(at, value, what = 'value') {
      const errors = this.errors(at, value)
      if (errors.length > 0) {
        const where = typeof at === 'string' ? at : toFragment(at)
        throw new Error(`${spec.id}: ${what} does not match ${where}: ${formatErrors(errors)}\nvalue: ${JSON.stringify(value)}`)
      }
    },
    get cacheSize() {
      return compiled.size
    },
  }
  validators.set(spec.$id, validator)
  return validator
}

/** The validator of one component schema (`#/components/schemas/<name>`). */
export function componentValidator(specInput: SpecInput, name: string): ValidateFunction {
  return createSpecValidator(specInput).compile(['components', 'schemas', name])
}

/** The validator of the schema at a JSON pointer or segment list. */
export function pointerValidator(specInput: SpecInput, at: Segments | string): ValidateFunction {
  return createSpecValidator(specInput).compile(at)
}

/** An `ajv.errorsText`-like one-liner for messages. */
export function formatErrors(errors: readonly ErrorObject[] | null | undefined, dataVar = 'body'): string {
  if (!errors || errors.length === 0) return 'no errors'
  return errors
    .map((e) => {
      const at = dataVar + e.instancePath.replace(/\//g, '.')
      const params = e.params as { additionalProperty?: string; allowedValues?: unknown[] }
      const extra = params?.additionalProperty ? ` ('${params.additionalProperty}')` : params?.allowedValues ? ` (${params.allowedValues.join(', ')})` : ''
      return `${at} ${e.message}${extra}`
    })
    .join('; ')
}
