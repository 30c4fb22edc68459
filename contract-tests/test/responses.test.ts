// Every operation x every documented response code (x every named example) of every spec, forced
// with Prism's `Prefer` header, called through the provider's generated client. 2xx bodies must come
// back as `data`, others as `error`, and each must match the schema of that response in the spec.
import { describe, inject, it } from 'vitest'
import { operationArguments, responseCases } from '../src/cases.mjs'
import { checkSdkResult } from '../src/responses.mjs'
import { loadSpec } from '../src/spec.mjs'
import { withFixture } from './support/fixtures.js'
import { TESTED_PROVIDERS } from './support/sample.js'
import { callOperation, createClient, sdkOptions } from './support/sdk.js'

for (const provider of TESTED_PROVIDERS) {
  const spec = loadSpec(provider.specPath)
  const cases = responseCases(spec)

  describe.concurrent(`${provider.id} responses (prism mock)`, () => {
    for (const c of cases) {
      const name = c.forcible ? `${c.id} -> ${c.status! < 300 ? 'data' : 'error'}` : `${c.id} [skipped: Prism cannot force ${c.code}]`
      it.skipIf(!c.forcible)(name, async ({ expect, task }) => {
        task.meta.contract = { provider: provider.id, kind: 'response', key: `${c.operationId} ${c.code}` }
        const client = createClient(provider.id, inject('prism')[provider.id]!.url)
        const args = operationArguments(spec, c.operationId)
        const result = await callOperation(provider.id, c.operationId, { client, ...sdkOptions(args, { Prefer: c.prefer }) })

        expect(result.response.status, `Prism answered ${result.response.status}: ${JSON.stringify(result.error ?? result.data)}`).toBe(c.status)
        if (c.status! < 300) {
          expect(result.data).toBeDefined()
          expect(result.error).toBeUndefined()
        } else {
          expect(result.error).toBeDefined()
          expect(result.data).toBeUndefined()
        }
        const check = checkSdkResult(spec, c.operationId, result)
        expect(check.problems).toEqual([])
        if (c.example !== undefined) expect(c.status! < 300 ? result.data : result.error).toEqual(c.exampleValue)
      })
    }
  })
}

// Compile-time half of "each with the right type" (checked by `pnpm typecheck`; no-ops at run time):
// `data` is the documented 2xx body type, `error` the union of the documented error bodies. Each
// provider's fixture (test/providers/<id>.ts) states its own.
describe('generated client result types', () => {
  it.each(withFixture('typeChecks'))('%s: data and error carry the spec types', (_id, typeChecks) => {
    typeChecks()
  })
})
