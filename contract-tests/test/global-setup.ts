// Starts one `prism mock` per spec (in parallel, free ports of 127.0.0.1), plus a `prism proxy` in
// front of a local fake upstream; in live mode (CONTRACT_LIVE_PROVIDER) only a `prism proxy` in front
// of the provider's real API. The URLs reach the tests through provide/inject. Teardown stops them
// all; exit/signal handlers and a per-process watchdog cover failures and Ctrl-C.
import type { TestProject } from 'vitest/node'
import { startFakeUpstream } from '../src/fake-upstream.mjs'
import { PROVIDERS, getProvider, liveConfig } from '../src/providers.mjs'
import { installExitHandlers, startPrismServers, stopAllPrism } from '../src/prism.mjs'
import type { PrismOptions } from '../src/types.js'

export default async function setup(project: TestProject) {
  installExitHandlers()
  const started = performance.now()
  const liveId = process.env.CONTRACT_LIVE_PROVIDER
  let fake: Awaited<ReturnType<typeof startFakeUpstream>> | undefined
  const list: (PrismOptions & { name: string })[] = []

  if (liveId) {
    const live = liveConfig(getProvider(liveId))
    if (live.missing.length) throw new Error(`live mode for ${liveId}: set ${live.missing.join(' and ')}`)
    list.push({ name: `live:${liveId}`, specPath: live.provider.specPath, mode: 'proxy', upstream: live.upstream!, errors: true })
  } else {
    for (const provider of PROVIDERS) list.push({ name: provider.id, specPath: provider.specPath, mode: 'mock' })
    fake = await startFakeUpstream()
    list.push({ name: 'proxy:evolink', specPath: getProvider('evolink').specPath, mode: 'proxy', upstream: fake.url, errors: true })
  }

  try {
    const servers = await startPrismServers(list)
    const prism = Object.fromEntries(servers.map((s) => [s.name, { url: s.url, specPath: s.specPath, mode: s.mode, upstream: s.upstream ?? null, pid: s.pid }]))
    project.provide('prism', prism)
    project.provide('fakeUpstream', fake ? { url: fake.url } : null)
    const ms = Math.round(performance.now() - started)
    project.provide('prismStartupMs', ms)
    console.log(`contract-tests: ${servers.length} Prism server(s) answering after ${ms} ms (${servers.map((s) => `${s.name} ${s.url}`).join(', ')})`)
  } catch (error) {
    await fake?.close()
    throw error
  }

  return async () => {
    await stopAllPrism()
    await fake?.close()
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    prism: Record<string, { url: string; specPath: string; mode: 'mock' | 'proxy'; upstream: string | null; pid: number | undefined }>
    fakeUpstream: { url: string } | null
    prismStartupMs: number
  }
}
