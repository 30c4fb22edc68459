// The tests that are true of one provider only live in its fixture (`test/providers/<id>.ts`); this
// suite runs each of them with the shared kit (a fake fetch, the spec's request schema and examples).
import { describe, expect } from 'vitest'
import { createNanoBanana, providers, type GenerateRequest, type ProviderId } from '../src/index.js'
import type { TestKit } from './fixture.js'
import { API_KEY, asRequest, fakeFetch, FIXTURES, ids, requestSchemaOf, successExample, validator } from './support.js'

function kitOf(id: ProviderId): TestKit {
  const adapter = providers[id]
  const refs = (n: number) => Array.from({ length: n }, (_, i) => `https://example.com/ref-${i}.png`)
  const valid = (body: unknown) => validator(id, 'CreateImageTaskRequest')(body) as boolean
  return {
    id,
    adapter,
    https: 'https://hooks.example.com/nano',
    refs,
    valid,
    async sent(request: GenerateRequest) {
      const created = successExample(id, 'createImageTask', FIXTURES[id].created)
      const spy = fakeFetch(() => ({ body: created }))
      const nb = createNanoBanana({ provider: id, apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9', fetch: spy.fetch })
      const submission = await nb.submit(request)
      expect(spy.calls).toHaveLength(1)
      const body = spy.calls[0]!.body
      const validate = validator(id, 'CreateImageTaskRequest')
      expect(validate(asRequest(id, body, submission.model)), `${JSON.stringify(body)}\n${JSON.stringify(validate.errors, null, 1)}`).toBe(true)
      return { body, submission }
    },
    bodyOf: (modelId, request) => adapter.toRequestBody({ prompt: 'A nano banana', model: modelId, ...request }, adapter.models[modelId]!).body,
    requestSchemaOf: (model) => requestSchemaOf(id, model),
    successExample: (operationId, name) => successExample(id, operationId, name),
    response: (status = 200) => new Response(null, { status }),
    client(answer, retry) {
      let calls = 0
      const nb = createNanoBanana({
        provider: id,
        apiKey: API_KEY,
        baseUrl: 'http://127.0.0.1:9',
        ...(retry ? { retry: { submit: retry } } : {}),
        fetch: async () => {
          calls++
          return answer()
        },
      })
      return { submit: (request) => nb.submit(request), calls: () => calls }
    },
  }
}

for (const id of ids) {
  const tests = FIXTURES[id].tests
  if (tests) describe(`${id}: provider-specific behaviour (its fixture)`, () => tests(kitOf(id)))
}
