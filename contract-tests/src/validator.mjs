// One ajv (JSON Schema 2020-12 = OpenAPI 3.1) per spec document. The whole spec is added as a schema
// with an $id, and every validator is a reference into it (`<$id>#/paths/...` or `#/components/...`),
// compiled once and cached.
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { asSpec, toFragment } from './spec.mjs'

const addFormats = /** @type {any} */ (addFormatsModule).default ?? addFormatsModule

/** Specs are keyed by $id: a spec loaded twice shares one ajv and one cache. */
const validators = new Map()

/**
 * @param {import('./types.js').LoadedSpec | object | string} specOrDoc
 * @returns {import('./types.js').SpecValidator}
 */
export function createSpecValidator(specOrDoc) {
  const spec = asSpec(specOrDoc)
  const cached = validators.get(spec.$id)
  if (cached && cached.spec.doc === spec.doc) return cached

  // strict: false -- an OpenAPI document carries keywords ajv does not know (`discriminator`,
  // `example`, `x-*`, `components`, `paths`). `discriminator` stays off: ajv's implementation
  // rejects `mapping`, and `oneOf` of single-value `model` enums already selects the branch.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, validateSchema: false })
  addFormats(ajv)
  ajv.addSchema(spec.doc, spec.$id)
  const compiled = new Map()

  /** @param {Array<string|number>} segments location of a schema in the document */
  const compile = (segments) => {
    const key = toFragment(segments)
    let fn = compiled.get(key)
    if (!fn) {
      fn = ajv.getSchema(spec.$id + key)
      if (!fn) throw new Error(`${spec.id}: no schema at ${key}`)
      compiled.set(key, fn)
    }
    return fn
  }

  const validator = {
    spec,
    ajv,
    compile,
    /** Validates `value` against the schema at `segments`; returns ajv's errors (empty when valid). */
    errors(segments, value) {
      const fn = compile(segments)
      return fn(value) ? [] : [...(fn.errors ?? [])]
    },
    isValid(segments, value) {
      return compile(segments)(value)
    },
    get cacheSize() {
      return compiled.size
    },
  }
  validators.set(spec.$id, validator)
  return validator
}

/** `ajv.errorsText`-like one-liner for messages. */
export function formatErrors(errors, dataVar = 'body') {
  if (!errors || errors.length === 0) return 'no errors'
  return errors
    .map((e) => {
      const at = dataVar + e.instancePath.replace(/\//g, '.')
      const extra = e.params?.additionalProperty ? ` ('${e.params.additionalProperty}')` : e.params?.allowedValues ? ` (${e.params.allowedValues.join(', ')})` : ''
      return `${at} ${e.message}${extra}`
    })
    .join('; ')
}
