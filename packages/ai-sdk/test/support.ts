// Shared by the suites: one sandbox per test file with a provider for every id, and picking a
// provider/model by what it can do (from the SDK's capabilities), never by name.
import { type ModelCapabilities, providerIds, providers, type ProviderId } from '@nano-banana/sdk'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { afterAll, beforeAll } from 'vitest'
import { createNanoBananaProvider, type NanoBananaProvider } from '../src/index.js'

export interface Context {
  sandbox: Sandbox
  nanoBanana: NanoBananaProvider
}

/** Starts a sandbox and a provider with every key and base URL pointing at it; closed after the file. */
export function useSandbox(extra: Parameters<typeof createNanoBananaProvider>[0] = {}): Context {
  const context = {} as Context
  beforeAll(async () => {
    // No completion estimates: two providers' create answers would carry the duration rounded up to whole
    // seconds (1 s for these 200 ms tasks), and the SDK would wait that out before its first poll.
    context.sandbox = await startSandbox({ port: 0, taskDurationMs: 200, estimatedTimeHints: false })
    context.nanoBanana = createNanoBananaProvider({
      apiKeys: Object.fromEntries(providerIds.map((id) => [id, context.sandbox.apiKey])),
      baseUrls: context.sandbox.baseUrls(),
      polling: { initialDelayMs: 20, minDelayMs: 20 },
      ...extra,
    })
  })
  afterAll(() => context.sandbox.close())
  return context
}

export interface Pick {
  id: ProviderId
  model: string
  caps: ModelCapabilities
  /** `<provider>/<model>` */
  modelId: `${ProviderId}/${string}`
}

/** The first provider/model (manifest order, default model first) that `accept`s; throws when none does. */
export function pick(what: string, accept: (caps: ModelCapabilities, id: ProviderId) => boolean): Pick {
  for (const id of providerIds) {
    const adapter = providers[id]
    const models = [adapter.defaultModel, ...Object.keys(adapter.models).filter((m) => m !== adapter.defaultModel)]
    for (const model of models) {
      const caps = adapter.models[model]
      if (caps && accept(caps, id)) return { id, model, caps, modelId: `${id}/${model}` }
    }
  }
  throw new Error(`no provider has a model that ${what}`)
}

export const metadataOf = (providerMetadata: unknown) =>
  (providerMetadata as Record<string, { images: Array<{ taskId: string; provider: string; model: string; url: string; contentType: string }> }>)['nano-banana']!
