// Starts one `prism mock` per spec (in parallel, free ports of 127.0.0.1), plus a `prism proxy` in
// front of a local fake upstream for each provider whose fixture has one; in live mode
// (CONTRACT_LIVE_PROVIDER) only a `prism proxy` in front of the provider's real API. The URLs reach the tests through provide/inject. Teardown stops them
// all; exit/signal handlers and a per-process watchdog cover failures and Ctrl-C.
import type { TestProject } from 'vitest/node'
import { startTestServer, type TestServer } from '@nano-banana/testkit'
import { getProvider, liveConfig } from '../src/providers.mjs'
import { installExitHandlers, startPrismServers, stopAllPrism } from '../src/prism.mjs'
import type { PrismOptions } from '../src/types.js'
import { FAKE_UPSTREAM_KEY, withFixture } from './support/fixtures.js'
import { TESTED_PROVIDERS } from './support/sample.js'

export default async function setup(project: TestProject) {
  installExitHandlers()
  const started = performance.now()
  const liveId = process.env.CONTRACT_LIVE_PROVIDER
  const fakes: Record<string, TestServer> = {}
  const list: (PrismOptions & { name: string })[] = []

  if (liveId) {
    const live = liveConfig(getProvider(liveId))
    if (live.missing.length) throw new Error(`live mode for ${liveId}: set ${live.missing.join(' and ')}`)
    list.push({ name: `live:${liveId}`, specPath: live.provider.specPath, mode: 'proxy', upstream: live.upstream!, errors: true })
  } else {
    for (const provider of TESTED_PROVIDERS) list.push({ name: provider.id, specPath: provider.specPath, mode: 'mock' })
    // A provider whose fixture has a fake upstream also gets a `prism proxy --errors` in front of it.
    for (const [id, proxy] of withFixture('proxy')) {
      const fake = await startTestServer({
        // `/__requests` lets the test workers see what reached the fake (it runs in this process).
        handle: (request) =>
          request.path === '/__requests'
            ? { body: fake.requests.filter((r) => r.path !== '/__requests').map((r) => ({ method: r.method, url: r.url })) }
            : proxy.handle(request, FAKE_UPSTREAM_KEY),
      })
      fakes[id] = fake
      list.push({ name: `proxy:${id}`, specPath: getProvider(id).specPath, mode: 'proxy', upstream: fake.url, errors: true })
    }
  }

  try {
    const servers = await startPrismServers(list)
    const prism = Object.fromEntries(servers.map((s) => [s.name, { url: s.url, specPath: s.specPath, mode: s.mode, upstream: s.upstream ?? null, pid: s.pid }]))
    project.provide('prism', prism)
    project.provide('fakeUpstreams', Object.fromEntries(Object.entries(fakes).map(([id, fake]) => [id, { url: fake.url }])))
    const ms = Math.round(performance.now() - started)
    project.provide('prismStartupMs', ms)
    console.log(`contract-tests: ${servers.length} Prism server(s) answering after ${ms} ms (${servers.map((s) => `${s.name} ${s.url}`).join(', ')})`)
  } catch (error) {
    await Promise.all(Object.values(fakes).map((fake) => fake.close()))
    throw error
  }

  return async () => {
    await stopAllPrism()
    await Promise.all(Object.values(fakes).map((fake) => fake.close()))
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    prism: Record<string, { url: string; specPath: string; mode: 'mock' | 'proxy'; upstream: string | null; pid: number | undefined }>
    /** By provider id: the fake upstreams behind the `proxy:<id>` Prism servers. */
    fakeUpstreams: Record<string, { url: string }>
    prismStartupMs: number
  }
}
