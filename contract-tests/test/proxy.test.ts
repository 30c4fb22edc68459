// The live-mode path (`prism proxy <spec> <upstream> --errors`) tested against a local fake upstream
// (the provider fixture's `proxy`, started by the global setup): its valid answers pass the live
// checks, its spec-violating answer comes back from Prism as a 500 problem+json and fails the check.
import { describe, inject, it } from 'vitest'
import { createLiveContext, planLiveChecks } from '../src/live-checks.mjs'
import { getProvider } from '../src/providers.mjs'
import { loadSpec } from '../src/spec.mjs'
import { FAKE_UPSTREAM_KEY, withFixture } from './support/fixtures.js'

describe.each(withFixture('proxy'))('prism proxy --errors in front of a fake upstream (%s spec)', (id, proxy) => {
  const spec = loadSpec(getProvider(id).specPath)
  const checks = planLiveChecks({ spec, create: true })
  const check = (prefix: string) => {
    const found = checks.find((c) => c.name.startsWith(prefix))
    if (!found) throw new Error(`no live check ${prefix}`)
    return found
  }
  const prismUrl = () => inject('prism')[`proxy:${id}`]!.url
  const context = () => createLiveContext({ providerId: id, baseUrl: prismUrl(), apiKey: FAKE_UPSTREAM_KEY })

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
    expect(locations).toEqual(expect.arrayContaining(proxy.driftLocations))
    expect(result.problems[0]).toMatch(/Request\/Response not valid/)
  })

  it('create passes, the query of the created task shows the drift', async ({ expect }) => {
    const result = await check('createImageTask').run(await context())
    expect(result.ok).toBe(false)
    expect(result.problems.join('\n')).toMatch(new RegExp(`getImageTask ${proxy.createdTaskId}: .*${proxy.driftLocations.at(-1)!.replace(/\./g, '\\.')}`))
  })

  it('the raw answer carries sl-violations, and the upstream really was called', async ({ expect }) => {
    const meta = (await import('@nano-banana/manifest')).META[id]
    const auth = { [meta.auth.name]: `${meta.auth.prefix}${FAKE_UPSTREAM_KEY}` }
    const response = await fetch(`${prismUrl()}${proxy.rawQueryPath}`, { headers: auth })
    expect(response.status).toBe(500)
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/)
    expect(JSON.parse(response.headers.get('sl-violations') ?? '[]').length).toBeGreaterThan(0)
    const seen = (await (await fetch(`${inject('fakeUpstreams')[id]!.url}/__requests`)).json()) as { url: string }[]
    expect(seen.map((r) => r.url)).toContain(proxy.rawQueryPath)
  })
})
