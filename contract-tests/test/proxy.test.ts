// The live-mode path (`prism proxy <spec> <upstream> --errors`) tested against a local fake upstream
// (src/fake-upstream.mjs, started by the global setup): its valid answers pass the live checks, its
// spec-violating answer comes back from Prism as a 500 problem+json and fails the check.
import { describe, inject, it } from 'vitest'
import { FAKE_UPSTREAM_KEY } from '../src/fake-upstream.mjs'
import { createLiveContext, planLiveChecks } from '../src/live-checks.mjs'
import { loadSpec } from '../src/spec.mjs'
import { getProvider } from '../src/providers.mjs'

const spec = loadSpec(getProvider('evolink').specPath)
const checks = planLiveChecks({ spec, create: true })
const check = (prefix: string) => {
  const found = checks.find((c) => c.name.startsWith(prefix))
  if (!found) throw new Error(`no live check ${prefix}`)
  return found
}

describe('prism proxy --errors in front of a fake upstream (evolink spec)', () => {
  const context = () => createLiveContext({ providerId: 'evolink', baseUrl: inject('prism')['proxy:evolink']!.url, apiKey: FAKE_UPSTREAM_KEY })

  it('a valid upstream answer (credits) passes the live check', async ({ expect }) => {
    const result = await check('getCredits with the key').run(await context())
    expect(result.problems).toEqual([])
    expect(result.ok).toBe(true)
  })

  it('a documented upstream error (401 for a wrong key) passes the live check', async ({ expect }) => {
    const result = await check('getCredits with an invalid key').run(await context())
    expect(result.problems).toEqual([])
    expect(result.status).toBe(401)
  })

  it('a spec-violating upstream answer (task query) becomes a 500 problem+json and fails the check', async ({ expect }) => {
    const result = await check('getImageTask of a task').run(await context())
    expect(result.ok).toBe(false)
    expect(result.status).toBe(500)
    const locations = result.violation!.violations.map((v: { location: string[] }) => v.location.join('.'))
    expect(locations).toEqual(expect.arrayContaining(['response.body.id', 'response.body.status']))
    expect(result.problems[0]).toMatch(/Request\/Response not valid/)
  })

  it('create passes, the query of the created task shows the drift', async ({ expect }) => {
    const result = await check('createImageTask').run(await context())
    expect(result.ok).toBe(false)
    expect(result.problems.join('\n')).toMatch(/getImageTask task-unified-1757165031-fake0001: .*response\.body\.status/)
  })

  it('the raw answer carries sl-violations, and the upstream really was called', async ({ expect }) => {
    const { url } = inject('prism')['proxy:evolink']!
    const response = await fetch(`${url}/v1/tasks/task-unified-raw`, { headers: { authorization: `Bearer ${FAKE_UPSTREAM_KEY}` } })
    expect(response.status).toBe(500)
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/)
    expect(JSON.parse(response.headers.get('sl-violations') ?? '[]').length).toBeGreaterThan(0)
    const seen = (await (await fetch(`${inject('fakeUpstream')!.url}/__requests`)).json()) as { url: string }[]
    expect(seen.map((r) => r.url)).toContain('/v1/tasks/task-unified-raw')
  })
})
