import { NoSuchModelError, type ProviderV3 } from '@ai-sdk/provider'
import { providers, type ProviderId } from '@nano-banana/sdk'
import { NanoBananaImageModel, type NanoBananaModelClientOptions } from './nano-banana-image-model.js'

/** `'<provider>'` (its default model) or `'<provider>/<model>'`, e.g. `'<provider>/<a model id of that provider>'`. */
export type NanoBananaImageModelId = ProviderId | `${ProviderId}/${string}`

export interface NanoBananaProviderSettings extends Omit<NanoBananaModelClientOptions, 'apiKey' | 'baseUrl'> {
  /** API key per provider; a missing one is read from the provider's variable (`<ID>_API_KEY`) at call time. */
  apiKeys?: Partial<Record<ProviderId, string>>
  /** Base URL per provider (proxy, sandbox); required for a provider that publishes no host (or `<ID>_BASE_URL`). */
  baseUrls?: Partial<Record<ProviderId, string>>
}

export interface NanoBananaProvider extends ProviderV3 {
  /** The image model `'<provider>/<model>'`, or the provider's default model for `'<provider>'`. */
  image(modelId: NanoBananaImageModelId): NanoBananaImageModel
  imageModel(modelId: NanoBananaImageModelId): NanoBananaImageModel
}

/**
 * A Vercel AI SDK provider for Nano Banana image models behind every reseller API:
 * `generateImage({ model: nanoBanana.image('<provider>/<model>'), prompt })`.
 */
export function createNanoBananaProvider(settings: NanoBananaProviderSettings = {}): NanoBananaProvider {
  const { apiKeys, baseUrls, ...client } = settings

  const image = (modelId: NanoBananaImageModelId): NanoBananaImageModel => {
    const text = String(modelId)
    const slash = text.indexOf('/')
    const providerId = slash === -1 ? text : text.slice(0, slash)
    const adapter = Object.hasOwn(providers, providerId) ? providers[providerId as ProviderId] : undefined
    if (!adapter) {
      throw new NoSuchModelError({
        modelId: text,
        modelType: 'imageModel',
        message: `Unknown provider "${providerId}" in "${text}"; use "<provider>/<model>" with a provider of: ${Object.keys(providers).join(', ')}`,
      })
    }
    const model = slash === -1 ? adapter.defaultModel : text.slice(slash + 1)
    const capabilities = Object.hasOwn(adapter.models, model) ? adapter.models[model] : undefined
    if (!capabilities) {
      throw new NoSuchModelError({
        modelId: text,
        modelType: 'imageModel',
        message: `${adapter.id} has no model "${model}"; choose one of: ${Object.keys(adapter.models).join(', ')}`,
      })
    }
    const apiKey = apiKeys?.[adapter.id]
    const baseUrl = baseUrls?.[adapter.id]
    return new NanoBananaImageModel({
      adapter,
      capabilities,
      client: { ...client, ...(apiKey !== undefined ? { apiKey } : {}), ...(baseUrl !== undefined ? { baseUrl } : {}) },
    })
  }

  const unsupported =
    (modelType: 'languageModel' | 'embeddingModel') =>
    (modelId: string): never => {
      throw new NoSuchModelError({ modelId, modelType, message: `nano-banana offers image models only (nanoBanana.image(...))` })
    }

  return {
    specificationVersion: 'v3',
    image,
    imageModel: image,
    languageModel: unsupported('languageModel'),
    embeddingModel: unsupported('embeddingModel'),
  }
}

/** The default provider: API keys and base URLs from each provider's environment variables. */
export const nanoBanana: NanoBananaProvider = createNanoBananaProvider()
