// Spec extensions the meta generator reads per model.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { listProviders, repoRoot } from '../src/index.mjs'
import { buildMeta } from '../src/meta.mjs'

/** A provider's spec with `value` as `x-typical-duration-seconds` on its first model (branch, `x-models` entry or the one schema). */
function withTypical(id, value) {
  const doc = parse(readFileSync(join(repoRoot, 'specs', `${id}.openapi.yaml`), 'utf8'))
  const request = doc.components.schemas.CreateImageTaskRequest
  const mapping = request.discriminator?.mapping
  const [model, target] = mapping
    ? (() => {
        const [m, ref] = Object.entries(mapping)[0]
        return [m, doc.components.schemas[ref.split('/').pop()]]
      })()
    : request['x-models']
      ? [Object.keys(request['x-models'])[0], Object.values(request['x-models'])[0]]
      : [undefined, request]
  target['x-typical-duration-seconds'] = value
  return { doc, model }
}

describe.each(await listProviders())('%s: x-typical-duration-seconds', (id) => {
  it("becomes the model's typicalSeconds; other models have none unless stated", () => {
    const { doc, model } = withTypical(id, 12.5)
    const meta = buildMeta(doc)
    const entries = Object.entries(meta.models)
    const key = model ?? entries[0][0]
    expect(meta.models[key].typicalSeconds).toBe(12.5)
  })

  it.each([0, -3, 'soon'])('refuses %j', (value) => {
    expect(() => buildMeta(withTypical(id, value).doc)).toThrow(/x-typical-duration-seconds/)
  })
})
