import {
  UnsupportedFunctionalityError,
  type ImageModelV3,
  type ImageModelV3CallOptions,
  type ImageModelV3ProviderMetadata,
  type JSONObject,
  type SharedV3Warning,
} from '@ai-sdk/provider'
import {
  createNanoBananaClient,
  validateRequest,
  type AspectRatio,
  type GenerateOptions,
  type GenerateResult,
  type ModelCapabilities,
  type NanoBananaClientOptions,
  type ProviderAdapter,
  type Warning,
} from '@nano-banana/sdk'
import { parseProviderOptions, PROVIDER_OPTIONS_KEY } from './nano-banana-image-options.js'
import { nearestAspectRatio } from './size.js'

type DoGenerateResult = Awaited<ReturnType<ImageModelV3['doGenerate']>>

/** Client options shared by every model of one provider instance (see createNanoBananaProvider). */
export type NanoBananaModelClientOptions = Omit<NanoBananaClientOptions, 'provider' | 'maxConcurrency'>

export interface NanoBananaImageModelConfig {
  adapter: ProviderAdapter
  capabilities: ModelCapabilities
  client: NanoBananaModelClientOptions
  /** For tests: the timestamp of a call. */
  currentDate?: () => Date
}

/** The unified client's warnings in the AI SDK's format. */
function toV3Warning(warning: Warning): SharedV3Warning {
  if (warning.type === 'other' || warning.option === undefined) return { type: 'other', message: warning.message }
  return { type: 'unsupported', feature: warning.option, details: warning.message }
}

/**
 * One Nano Banana model of one provider as an AI SDK image model (specification v3). A call
 * submits one task per `maxImagesPerCall` images through the unified client, waits for it,
 * and downloads the results as bytes.
 */
export class NanoBananaImageModel implements ImageModelV3 {
  readonly specificationVersion = 'v3'
  readonly provider: string
  readonly modelId: string
  /** The model's `maxN` from the capability table: `generateImage` splits larger `n` into calls. */
  readonly maxImagesPerCall: number

  constructor(private readonly config: NanoBananaImageModelConfig) {
    this.provider = `nano-banana.${config.adapter.id}`
    this.modelId = config.capabilities.id
    this.maxImagesPerCall = config.capabilities.maxN
  }

  async doGenerate(options: ImageModelV3CallOptions): Promise<DoGenerateResult> {
    const { prompt, n, size, aspectRatio, seed, files, mask, providerOptions, abortSignal, headers } = options
    const { adapter, capabilities } = this.config
    const timestamp = this.config.currentDate?.() ?? new Date()
    const parsed = parseProviderOptions(providerOptions?.[PROVIDER_OPTIONS_KEY])
    const nb = parsed.options
    const warnings: SharedV3Warning[] = [...parsed.warnings]

    if (mask !== undefined) {
      throw new UnsupportedFunctionalityError({
        functionality: 'mask',
        message: `${this.provider}: masks (inpainting) are not supported; describe the edit in the prompt`,
      })
    }
    const references: string[] = []
    for (const file of files ?? []) {
      if (file.type !== 'url') {
        throw new UnsupportedFunctionalityError({
          functionality: 'image file data',
          message: `${this.provider}: reference images must be URLs the provider can fetch; upload the image and pass its URL`,
        })
      }
      references.push(file.url)
    }
    references.push(...(nb.images ?? []))

    let ratio: AspectRatio | undefined = nb.aspectRatio ?? (aspectRatio as AspectRatio | undefined)
    if (size !== undefined) {
      if (ratio !== undefined) {
        warnings.push({
          type: 'unsupported',
          feature: 'size',
          details: `${this.provider} takes no pixel size; the aspect ratio ${ratio} is used and the size follows the resolution`,
        })
      } else {
        ratio = nearestAspectRatio(size, capabilities.aspectRatios)
        warnings.push(
          ratio
            ? {
                type: 'compatibility',
                feature: 'size',
                details: `${size} was mapped to the nearest supported aspect ratio ${ratio}; the pixel size follows the resolution (providerOptions['${PROVIDER_OPTIONS_KEY}'].resolution)`,
              }
            : {
                type: 'unsupported',
                feature: 'size',
                details: `${this.provider} takes no pixel size; use aspectRatio and providerOptions['${PROVIDER_OPTIONS_KEY}'].resolution`,
              },
        )
      }
    }
    if (seed !== undefined) {
      warnings.push({ type: 'unsupported', feature: 'seed', details: `${this.provider} has no seed option; results are not reproducible` })
    }

    // One task per maxN images (`generateImage` already splits by maxImagesPerCall; a direct
    // call or a larger `maxImagesPerCall` override is split here).
    const perTask = Math.max(1, capabilities.maxN)
    const counts: number[] = []
    for (let left = Math.max(1, n); left > 0; left -= perTask) counts.push(Math.min(perTask, left))

    const request = (count: number): GenerateOptions => ({
      prompt: prompt ?? '',
      model: capabilities.id,
      ...(ratio !== undefined ? { aspectRatio: ratio } : {}),
      ...(nb.resolution !== undefined ? { resolution: nb.resolution } : {}),
      ...(nb.outputFormat !== undefined ? { outputFormat: nb.outputFormat } : {}),
      ...(references.length ? { images: references } : {}),
      ...(nb.callbackUrl !== undefined ? { callbackUrl: nb.callbackUrl } : {}),
      ...(nb.extraBody !== undefined ? { providerOptions: nb.extraBody } : {}),
      // n is sent only when above 1: single-image models have no n field.
      ...(count > 1 ? { n: count } : {}),
      ...(abortSignal ? { signal: abortSignal } : {}),
      ...(nb.timeoutMs !== undefined ? { timeoutMs: nb.timeoutMs } : {}),
    })
    // Checked once before any request: an unsupported value throws UnsupportedOptionError and nothing is spent.
    validateRequest(adapter, request(counts[0]!), this.config.client)

    const runs = await Promise.all(counts.map((count) => this.runTask(request(count), headers)))

    const images: Uint8Array[] = []
    const imageMetadata: JSONObject[] = []
    const seen = new Set<string>()
    for (const { result, downloads } of runs) {
      for (const warning of result.warnings.map(toV3Warning)) {
        const key = JSON.stringify(warning)
        if (!seen.has(key)) warnings.push(warning)
        seen.add(key)
      }
      downloads.forEach((download, i) => {
        images.push(download.bytes)
        const image = result.images[i]!
        imageMetadata.push({
          taskId: result.taskId,
          provider: result.provider,
          model: result.model,
          // An inline image (synchronous provider) is its bytes, already in `images`: no multi-megabyte data: URL here.
          ...(image.data ? { inline: true } : { url: image.url }),
          contentType: download.contentType,
          ...(image.expiresAt ? { expiresAt: image.expiresAt.toISOString() } : {}),
          ...(result.usage?.credits !== undefined ? { credits: result.usage.credits } : {}),
        })
      })
    }
    const first = runs[0]!
    const providerMetadata: ImageModelV3ProviderMetadata = {
      [PROVIDER_OPTIONS_KEY]: {
        images: imageMetadata,
        taskId: first.result.taskId,
        taskIds: runs.map((r) => r.result.taskId),
        provider: adapter.id,
      },
    }
    return {
      images,
      warnings,
      providerMetadata,
      response: { timestamp, modelId: first.result.model, headers: first.headers },
    }
  }

  /** One task: submit, wait, download every image. Records the headers of the last API answer. */
  private async runTask(request: GenerateOptions, callHeaders: Record<string, string | undefined> | undefined) {
    const { adapter } = this.config
    const base = this.config.client.fetch ?? globalThis.fetch
    let last: Headers | undefined
    const recording: typeof fetch = async (input, init) => {
      const response = await base(input, init)
      last = response.headers
      return response
    }
    const headers: Record<string, string> = { ...this.config.client.headers }
    for (const [key, value] of Object.entries(callHeaders ?? {})) if (value !== undefined) headers[key] = value
    const client = createNanoBananaClient({ ...this.config.client, provider: adapter, fetch: recording, headers })
    const result: GenerateResult = await client.generate(request)
    // The last answer before the downloads: the poll (or callback) that returned the result.
    const answerHeaders = last ? Object.fromEntries(last.entries()) : undefined
    const downloads = await Promise.all(result.images.map((image) => image.download(request.signal ? { signal: request.signal } : {})))
    return { result, downloads, headers: answerHeaders }
  }
}
