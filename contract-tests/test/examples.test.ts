// Every example in every spec (request, response, callback and parameter examples, component
// examples through the media types that use them, schema-level `examples`) matches its own schema.
import { describe, it } from 'vitest'
import { exampleCases } from '../src/cases.mjs'
import { PROVIDERS } from '../src/providers.mjs'
import { loadSpec } from '../src/spec.mjs'
import { createSpecValidator, formatErrors } from '../src/validator.mjs'

for (const provider of PROVIDERS) {
  const spec = loadSpec(provider.specPath)
  const validator = createSpecValidator(spec)
  describe(`${provider.id} examples`, () => {
    for (const example of exampleCases(spec)) {
      it(example.id, ({ expect, task }) => {
        task.meta.contract = { provider: provider.id, kind: 'example' }
        expect(example.unreferenced, 'a component example no media type uses has no schema to match').toBeFalsy()
        const errors = validator.errors(example.schemaAt!, example.value)
        expect(errors, formatErrors(errors, 'example')).toEqual([])
      })
    }
  })
}
