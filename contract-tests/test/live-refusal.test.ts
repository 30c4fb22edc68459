// The live check "with an invalid key" follows each spec: a refusal is a 4xx, or a 2xx the spec documents
// as a refusal (a 2xx example that is also an example of one of the operation's 4xx responses, as Crun's
// spec models its HTTP 200 + JSON code answers). A fake upstream answers each documented 2xx example of
// the checked operation with HTTP 200: the refusals pass, a success answer to a wrong key fails.
import { afterAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '@nano-banana/testkit'
import { createLiveContext, isDocumentedRefusal, planLiveChecks } from '../src/live-checks.mjs'
import { PROVIDERS } from '../src/providers.mjs'
import { listOperations, loadSpec } from '../src/spec.mjs'

const servers: TestServer[] = []
afterAll(() => Promise.all(servers.map((s) => s.close())))

// A provider with no read-only operation (a synchronous API: its one operation costs credits) has no such check.
const checked = PROVIDERS.map((p) => [p.id, p, planLiveChecks({ spec: loadSpec(p.specPath) }).find((c) => c.name.includes('with an invalid key'))] as const).filter(
  (entry) => entry[2] !== undefined,
)

it('plans the invalid-key check for every provider with a read-only operation', () => {
  expect(checked.length).toBeGreaterThan(0)
})

describe.each(checked)('%s: invalid-key live check', (_id, provider, planned) => {
  const spec = loadSpec(provider.specPath)
  const check = planned!
  const operationId = check.name.split(' ')[0]!
  const operation = listOperations(spec).find((o) => o.operationId === operationId)!
  const examples = operation.responses.filter((r) => r.code.startsWith('2')).flatMap((r) => r.contents.flatMap((c) => c.examples))
  const refusals = examples.filter((e) => isDocumentedRefusal(spec, operationId, 200, e.value))
  const successes = examples.filter((e) => !refusals.includes(e))

  const runWith = async (body: unknown) => {
    const server = await startTestServer({ handle: () => ({ status: 200, body }) })
    servers.push(server)
    const result = await check.run(await createLiveContext({ providerId: provider.id, baseUrl: server.url, apiKey: 'sk-test' }))
    expect(server.requests.length).toBeGreaterThan(0)
    return result
  }

  it.each(refusals.map((e) => [e.name, e.value] as const))('HTTP 200 with the documented refusal %s passes', async (_name, value) => {
    const result = await runWith(value)
    expect(result.problems).toEqual([])
  })

  it.each(successes.map((e) => [e.name, e.value] as const))('HTTP 200 with the success answer %s fails (a wrong key was accepted)', async (_name, value) => {
    const result = await runWith(value)
    expect(result.ok).toBe(false)
    expect(result.problems.join('\n')).toMatch(/expected a refusal/)
  })
})
