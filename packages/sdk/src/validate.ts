import type { ModelCapabilities, ProviderAdapter } from './adapter.js'
import { InvalidRequestError, UnsupportedOptionError } from './errors.js'
import type { GenerateRequest, Warning } from './types.js'

export interface ValidateOptions {
  /** Allow http:// and loopback callback URLs (local development against the sandbox). */
  allowInsecureCallbackUrl?: boolean
}

const PRIVATE_HOST = [
  /^localhost$/i,
  /^127\./,
  /^10\./,
  /^192\.168\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^169\.254\./,
  /^0\./,
  /^\[?::1\]?$/,
  /^\[?f[cd][0-9a-f]{2}:/i,
  /^\[?fe80:/i,
]

function fail(provider: ProviderAdapter, param: string, message: string): never {
  throw new InvalidRequestError(`${provider.id}: ${message}`, { provider: provider.id, param, code: 'invalid_parameter' })
}

function unsupported(provider: ProviderAdapter, model: ModelCapabilities, param: string, value: unknown, allowed: readonly (string | number)[]): never {
  const list = allowed.length ? allowed.join(', ') : 'none (the option is not available)'
  throw new UnsupportedOptionError(
    `${provider.id}/${model.id}: ${param} ${JSON.stringify(value)} is not supported; allowed: ${list}`,
    allowed,
    { provider: provider.id, param, code: 'unsupported_option' },
  )
}

function checkCallbackUrl(provider: ProviderAdapter, value: string, options: ValidateOptions): void {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    fail(provider, 'callbackUrl', `callbackUrl is not a valid URL`)
  }
  if (value.length > 2048) fail(provider, 'callbackUrl', `callbackUrl is ${value.length} characters; the limit is 2048`)
  if (options.allowInsecureCallbackUrl) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(provider, 'callbackUrl', 'callbackUrl must be an http(s) URL')
    return
  }
  if (url.protocol !== 'https:') fail(provider, 'callbackUrl', 'callbackUrl must use https (providers refuse other schemes)')
  if (PRIVATE_HOST.some((re) => re.test(url.hostname))) {
    fail(provider, 'callbackUrl', `callbackUrl must not point to a loopback or private address (${url.hostname})`)
  }
}

/**
 * Checks a request against the provider's capability table before anything is sent, so no credit
 * is spent on a request we know will be refused. Returns the model and warnings for harmless options.
 */
export function validateRequest(
  provider: ProviderAdapter,
  request: GenerateRequest,
  options: ValidateOptions = {},
): { model: ModelCapabilities; warnings: Warning[] } {
  if (!request || typeof request !== 'object') fail(provider, 'request', 'request must be an object')
  const modelId = request.model ?? provider.defaultModel
  const model = provider.models[modelId]
  if (!model) unsupported(provider, { id: modelId } as ModelCapabilities, 'model', modelId, Object.keys(provider.models))

  if (typeof request.prompt !== 'string' || request.prompt.trim() === '') fail(provider, 'prompt', 'prompt must be a non-empty string')
  if (request.prompt.length > model.maxPromptLength) {
    fail(provider, 'prompt', `prompt is ${request.prompt.length} characters; ${model.id} accepts at most ${model.maxPromptLength}`)
  }
  if (request.aspectRatio !== undefined && !model.aspectRatios.includes(request.aspectRatio)) {
    unsupported(provider, model, 'aspectRatio', request.aspectRatio, model.aspectRatios)
  }
  if (request.resolution !== undefined && !model.resolutions.includes(request.resolution)) {
    unsupported(provider, model, 'resolution', request.resolution, model.resolutions)
  }
  if (request.outputFormat !== undefined && !model.outputFormats.includes(request.outputFormat)) {
    unsupported(provider, model, 'outputFormat', request.outputFormat, model.outputFormats)
  }
  if (request.n !== undefined) {
    if (!Number.isInteger(request.n) || request.n < 1) fail(provider, 'n', `n must be a positive integer, got ${String(request.n)}`)
    if (request.n > model.maxN) unsupported(provider, model, 'n', request.n, Array.from({ length: model.maxN }, (_, i) => i + 1))
  }
  if (request.images !== undefined) {
    if (!Array.isArray(request.images)) fail(provider, 'images', 'images must be an array of URLs')
    if (request.images.length > model.maxImages) {
      fail(provider, 'images', `${request.images.length} reference images; ${model.id} accepts at most ${model.maxImages}`)
    }
    request.images.forEach((image, i) => {
      let ok = false
      try {
        const { protocol } = new URL(image)
        ok = protocol === 'https:' || protocol === 'http:'
      } catch {
        ok = false
      }
      if (!ok) fail(provider, `images[${i}]`, `images[${i}] must be an http(s) URL the provider can fetch`)
    })
  }
  if (request.callbackUrl !== undefined) {
    if (provider.supportsCallback === false) unsupported(provider, model, 'callbackUrl', request.callbackUrl, [])
    checkCallbackUrl(provider, request.callbackUrl, options)
  }
  return { model, warnings: [] }
}
