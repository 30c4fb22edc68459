// A module worker for workerd (through miniflare): POST /generate runs the scenario against the
// sandbox (POST /generate-core through `@nano-banana/sdk/core`); POST /callbacks/<provider> is the SDK's callback handler for that provider.
import { createCallbackHandler } from '@nano-banana/sdk/callbacks'
import { providerIds, providers } from '@nano-banana/sdk'
import { lazyProvider, type LazyProvider } from '@nano-banana/sdk/core'
import { generateThroughCore } from './core-scenario.js'
import { generateEveryProvider, WORKER_CALLBACK_TOKEN, type ScenarioConfig } from './scenario.js'

type ProviderId = (typeof providerIds)[number]

const handlers = new Map<string, (request: Request) => Promise<Response>>()
for (const provider of providerIds) handlers.set(provider, createCallbackHandler({ provider, callbackToken: WORKER_CALLBACK_TOKEN, onTask: () => undefined }))

export default {
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url)
    if (request.method === 'POST' && pathname === '/generate-core') {
      // The `/core` shell on workerd, each provider lazy (one bundled module: the import()s are in it).
      const lazy: Record<string, LazyProvider> = Object.fromEntries(
        providerIds.map((id) => [id, lazyProvider(providers[id].meta as never, () => Promise.resolve(providers[id]))]),
      )
      return Response.json(await generateThroughCore((await request.json()) as ScenarioConfig, lazy))
    }
    if (request.method === 'POST' && pathname === '/generate') {
      return Response.json(await generateEveryProvider((await request.json()) as ScenarioConfig))
    }
    const callback = /^\/callbacks\/([^/]+)$/.exec(pathname)
    const handler = callback ? handlers.get(callback[1] as ProviderId) : undefined
    if (handler) return handler(request)
    return new Response('not found', { status: 404 })
  },
}
