// The classification rules of scripts/spec-diff.mjs on a real spec: each case edits a parsed copy of
// one of specs/*.openapi.yaml (fields it adds itself, so no provider fact is repeated here).
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listProviders } from '@nano-banana/codegen'
import YAML from 'yaml'
import { beforeAll, describe, expect, it } from 'vitest'
import { bumpRank, classifySpecChange, classifySpecText, maxBump } from '../../scripts/spec-diff.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const deref = (doc, node) =>
  node?.$ref
    ? deref(
        doc,
        node.$ref
          .slice(2)
          .split('/')
          .reduce((n, k) => n[k], doc),
      )
    : node
const METHODS = ['get', 'put', 'post', 'delete', 'patch']
const operations = (doc) => Object.entries(doc.paths ?? {}).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => ({ path, method: m, op: item[m] })))
const jsonSchemaOf = (doc, content) => deref(doc, content?.['application/json']?.schema)

/** A spec with an operation whose JSON request body and 200 response are object schemas, and one with a callback. */
let base
let cbBase
beforeAll(async () => {
  const docs = []
  for (const p of await listProviders(join(root, 'specs'))) docs.push(YAML.parse(readFileSync(join(root, 'specs', `${p}.openapi.yaml`), 'utf8')))
  const hasBodies = (doc) =>
    operations(doc).some(({ op }) => jsonSchemaOf(doc, op.requestBody?.content)?.properties && jsonSchemaOf(doc, op.responses?.['200']?.content)?.properties)
  base = docs.find(hasBodies)
  cbBase = docs.find((doc) => operations(doc).some(({ op }) => op.callbacks))
  if (!base || !cbBase) throw new Error('no spec with object request and response bodies and a callback')
})

/** The first operation of `doc` with object request and response bodies, and those two schemas. */
function bodies(doc) {
  for (const o of operations(doc)) {
    const request = jsonSchemaOf(doc, o.op.requestBody?.content)
    const response = jsonSchemaOf(doc, o.op.responses?.['200']?.content)
    if (request?.properties && response?.properties) return { ...o, request, response }
  }
}

/** `before` = base with `setup` applied, `after` = before with `edit` applied. */
function classify(setup, edit, doc = base) {
  const before = structuredClone(doc)
  setup(before)
  const after = structuredClone(before)
  edit(after)
  return classifySpecChange(before, after)
}
const none = () => {}
const addRequestField = (schema) => (doc) => (bodies(doc).request.properties.nb_test = structuredClone(schema))
const requestField = (doc) => bodies(doc).request.properties.nb_test
const addResponseField = (schema) => (doc) => (bodies(doc).response.properties.nb_test = structuredClone(schema))
const responseField = (doc) => bodies(doc).response.properties.nb_test

describe('spec change classification (api-smart-diff on a real spec)', () => {
  it('bump arithmetic', () => {
    expect(maxBump(['patch', undefined, 'minor', 'patch'])).toBe('minor')
    expect(maxBump([])).toBe(null)
    expect(bumpRank('major')).toBeGreaterThan(bumpRank('minor'))
    expect(bumpRank('none')).toBeLessThan(bumpRank('patch'))
  })

  it('request side: a new optional field or enum value, a widened limit are minor; a removed value or field, a narrowed limit or type, a new required field are major', () => {
    const list = { type: 'array', items: { type: 'string', enum: ['a', 'b', 'c'] }, maxItems: 10 }
    expect(classify(none, addRequestField(list)).bump).toBe('minor')
    expect(classify(addRequestField(list), (d) => requestField(d).items.enum.push('d')).bump).toBe('minor')
    expect(classify(addRequestField(list), (d) => (requestField(d).maxItems = 20)).bump).toBe('minor')
    expect(classify(addRequestField(list), (d) => requestField(d).items.enum.pop()).bump).toBe('major')
    expect(classify(addRequestField(list), (d) => (requestField(d).maxItems = 5)).bump).toBe('major')
    expect(classify(addRequestField(list), (d) => delete bodies(d).request.properties.nb_test).bump).toBe('major')
    const text = { type: 'string', maxLength: 100 }
    expect(classify(addRequestField(text), (d) => (requestField(d).maxLength = 50)).bump).toBe('major')
    expect(classify(addRequestField(text), (d) => (requestField(d).type = 'integer')).bump).toBe('major')
    const required = classify(addRequestField(text), (d) => {
      const r = bodies(d).request
      r.required = [...(r.required ?? []), 'nb_test']
    })
    expect(required.bump).toBe('major')
    expect(required.changes[0].text).toMatch(/required/)
  })

  it('operations: a new one is minor, a removed one major and named', () => {
    expect(classify(none, (d) => (d.paths['/nb-test'] = { get: { operationId: 'nbTest', responses: { 200: { description: 'ok' } } } })).bump).toBe('minor')
    const removed = classify(none, (d) => {
      const { path, method } = operations(d)[0]
      delete d.paths[path][method]
    })
    expect(removed.bump).toBe('major')
    const { path, method } = operations(base)[0]
    expect(removed.changes.map((c) => c.text)).toContain(`[Removed] operation ${method.toUpperCase()} ${path}`)
  })

  it('docs only: descriptions, summaries and examples (schema and media-type) are patch', () => {
    const r = classify(none, (d) => {
      const o = bodies(d)
      o.op.summary = `${o.op.summary ?? ''} (reworded)`
      o.request.description = `${o.request.description ?? ''} (reworded)`
      o.request.examples = [{ nb: 'example' }]
      o.op.requestBody.content['application/json'].examples = { nb: { summary: 'new', value: { nb: { nested: 1 } } } }
    })
    expect(r.changes.length).toBeGreaterThan(2)
    expect(r.changes.every((c) => c.type === 'annotation')).toBe(true)
    expect(r.bump).toBe('patch')
    const nested = classify(
      (d) => (bodies(d).op.requestBody.content['application/json'].examples = { nb: { value: { nb: { nested: 1 } } } }),
      (d) => (bodies(d).op.requestBody.content['application/json'].examples.nb.value.nb.nested = 2),
    )
    expect(nested.bump).toBe('patch')
  })

  it('response side follows the library: a removed enum value is not breaking there, a new one is', () => {
    const state = { type: 'string', enum: ['a', 'b', 'c'] }
    expect(classify(addResponseField(state), (d) => responseField(d).enum.pop()).bump).toBe('minor')
    expect(classify(addResponseField(state), (d) => responseField(d).enum.push('d')).bump).toBe('major')
  })

  it('callbacks: a summary edit is patch; the payload the user receives takes the response rules', () => {
    const callbackOp = (d) => {
      const { op } = operations(d).find((o) => o.op.callbacks)
      const [expression] = Object.values(Object.values(op.callbacks)[0])
      return expression.post ?? Object.values(expression)[0]
    }
    expect(classify(none, (d) => (callbackOp(d).summary = 'reworded'), cbBase).bump).toBe('patch')
    const payload = (d) =>
      (callbackOp(d).requestBody.content['application/json'].schema = { type: 'object', properties: { state: { type: 'string', enum: ['a', 'b'] } } })
    const state = (d) => callbackOp(d).requestBody.content['application/json'].schema.properties.state
    expect(classify(payload, (d) => state(d).enum.push('c'), cbBase).bump).toBe('major')
    expect(classify(payload, (d) => state(d).enum.pop(), cbBase).bump).toBe('minor')
  })

  it('text entry points: unchanged, new and removed specs', () => {
    const text = YAML.stringify(base)
    expect(classifySpecText(text, text).bump).toBe(null)
    expect(classifySpecText(null, text).bump).toBe('minor')
    expect(classifySpecText(text, null).bump).toBe('major')
  })

  it('a field added to one oneOf branch while a schema the branches share changes: both are listed', async () => {
    // A spec whose request branches share a $ref'd enum schema (the library loses the branch's own change at the use site).
    let found
    for (const p of await listProviders(join(root, 'specs'))) {
      const doc = YAML.parse(readFileSync(join(root, 'specs', `${p}.openapi.yaml`), 'utf8'))
      const branches = (doc.components?.schemas?.CreateImageTaskRequest?.oneOf ?? []).map((b) => deref(doc, b))
      const refs = branches.flatMap((b) => Object.values(b.properties ?? {}).filter((prop) => prop.$ref && Array.isArray(deref(doc, prop)?.enum)))
      const shared = refs.find((r) => refs.filter((o) => o.$ref === r.$ref).length > 1)
      if (shared) found = { doc, ref: shared.$ref, branch: branches.findLast((b) => Object.values(b.properties).some((prop) => prop.$ref === shared.$ref)) }
      if (found) break
    }
    if (!found) throw new Error('no spec whose request branches share an enum schema')
    const after = structuredClone(found.doc)
    const name = found.ref.split('/').pop()
    after.components.schemas[name].enum.push('x-added-value')
    const branchName = Object.entries(found.doc.components.schemas).find(([, s]) => s === found.branch)[0]
    after.components.schemas[branchName].properties.x_added_field = { type: 'integer' }
    const { bump, changes } = classifySpecChange(found.doc, after)
    expect(bump).toBe('minor')
    const texts = changes.map((c) => c.text).join('\n')
    expect(texts).toContain('x-added-value')
    expect(texts).toContain('x_added_field')
  })
})
