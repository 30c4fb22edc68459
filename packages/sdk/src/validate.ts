import type { ModelCapabilities, ProviderAdapter } from './adapter.js'
import { InvalidRequestError, UnsupportedOptionError } from './errors.js'
import { takesImageData } from './inline-images.js'
import { isPrivateHost } from './ip-ranges.js'
import { urlOf } from './result-url.js'
import type { GenerateRequest } from './types.js'

export interface ValidateOptions {
  /** Allow http:// and loopback callback URLs (local development against the sandbox). */
  allowInsecureCallbackUrl?: boolean
}

function fail(provider: ProviderAdapter, param: string, message: string): never {
  throw new InvalidRequestError(`${provider.id}: ${message}`, { provider: provider.id, param, code: 'invalid_parameter' })
}

function unsupported(provider: ProviderAdapter, model: ModelCapabilities, param: string, value: unknown, allowed: readonly (string | number)[]): never {
  const list = allowed.length ? allowed.join(', ') : 'none (the option is not available)'
  throw new UnsupportedOptionError(`${provider.id}/${model.id}: ${param} ${JSON.stringify(value)} is not supported; allowed: ${list}`, allowed, {
    provider: provider.id,
    param,
    code: 'unsupported_option',
  })
}

function checkCallbackUrl(provider: ProviderAdapter, value: unknown, options: ValidateOptions): void {
  if (typeof value !== 'string') fail(provider, 'callbackUrl', 'callbackUrl must be a string')
  if (value.length > 2048) fail(provider, 'callbackUrl', `callbackUrl is ${value.length} characters; the limit is 2048`)
  const url = urlOf(value) ?? fail(provider, 'callbackUrl', 'callbackUrl is not a valid URL')
  if (options.allowInsecureCallbackUrl) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(provider, 'callbackUrl', 'callbackUrl must be an http(s) URL')
    return
  }
  if (url.protocol !== 'https:') fail(provider, 'callbackUrl', 'callbackUrl must use https (providers refuse other schemes)')
  if (isPrivateHost(url.hostname)) {
    fail(provider, 'callbackUrl', `callbackUrl must not point to a loopback or private address (${url.hostname})`)
  }
}

/** A value of a capability list (aspect ratio, resolution, output format) that the model lists, or UnsupportedOptionError. */
function checkListed(provider: ProviderAdapter, model: ModelCapabilities, param: string, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value as string)) unsupported(provider, model, param, value, allowed)
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * `providerOptions` are merged into the object that holds the prompt. A key that would replace a field
 * the unified request fills (the prompt, the model, the images, the callback URL, any mapped option, or
 * the object one of them lives in) would bypass the checks above, so it is refused; use the unified
 * option instead.
 */
function checkProviderOptions(provider: ProviderAdapter, model: ModelCapabilities, value: unknown): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(provider, 'providerOptions', 'providerOptions must be a plain object')
  const fields = model.fields ?? {}
  const promptPath = (fields.prompt ?? 'prompt').split('.')
  const holder = promptPath.slice(0, -1)
  const reserved = new Map<string, string>()
  if (holder.length === 0) reserved.set('model', 'model')
  for (const [option, path] of Object.entries(fields)) {
    const parts = path.split('.')
    // The field lives in (or under) the object providerOptions are merged into: its key there is taken.
    if (parts.length > holder.length && holder.every((key, i) => parts[i] === key)) reserved.set(parts[holder.length]!, option)
  }
  for (const key of Reflect.ownKeys(value)) {
    const name = String(key)
    if (FORBIDDEN_KEYS.has(name)) fail(provider, `providerOptions.${name}`, `providerOptions.${name} is not allowed`)
    const option = reserved.get(name)
    if (option !== undefined) {
      fail(provider, `providerOptions.${name}`, `providerOptions.${name} would replace what the request's \`${option}\` sets (validated); set \`${option}\` instead`)
    }
  }
}

/**
 * Checks a request against the provider's capability table before anything is sent, so no credit
 * is spent on a request we know will be refused. Returns the model's capabilities (the warnings for
 * harmless options come with the request body: `notSentWarnings`).
 */
export function validateRequest(provider: ProviderAdapter, request: GenerateRequest, options: ValidateOptions = {}): { model: ModelCapabilities } {
  if (!request || typeof request !== 'object') fail(provider, 'request', 'request must be an object')
  const modelId = request.model ?? provider.defaultModel
  const model = typeof modelId === 'string' ? (Object.hasOwn(provider.models, modelId) ? provider.models[modelId] : provider.resolveModel?.(modelId)) : undefined
  if (!model) unsupported(provider, { id: modelId } as ModelCapabilities, 'model', modelId, Object.keys(provider.models))

  if (typeof request.prompt !== 'string' || request.prompt.trim() === '') fail(provider, 'prompt', 'prompt must be a non-empty string')
  if (request.prompt.length > model.maxPromptLength) {
    fail(provider, 'prompt', `prompt is ${request.prompt.length} characters; ${model.id} accepts at most ${model.maxPromptLength}`)
  }
  // One call per list (no table of tuples built per request).
  checkListed(provider, model, 'aspectRatio', request.aspectRatio, model.aspectRatios)
  checkListed(provider, model, 'resolution', request.resolution, model.resolutions)
  checkListed(provider, model, 'outputFormat', request.outputFormat, model.outputFormats)
  if (request.n !== undefined) {
    if (!Number.isInteger(request.n) || request.n < 1) fail(provider, 'n', `n must be a positive integer, got ${String(request.n)}`)
    if (request.n > model.maxN)
      unsupported(
        provider,
        model,
        'n',
        request.n,
        Array.from({ length: model.maxN }, (_, i) => i + 1),
      )
  }
  if (request.images !== undefined) {
    if (!Array.isArray(request.images)) fail(provider, 'images', 'images must be an array of URLs')
    if (request.images.length > model.maxImages) {
      fail(provider, 'images', `${request.images.length} reference images; ${model.id} accepts at most ${model.maxImages}`)
    }
    const bytesToo = takesImageData(provider)
    request.images.forEach((image, i) => {
      const protocol = typeof image === 'string' ? urlOf(image)?.protocol : undefined
      // A provider that takes bytes also takes them directly, as a base64 `data:image/...` URL.
      const ok = protocol === 'https:' || protocol === 'http:' || (bytesToo && protocol === 'data:' && /^data:image\/[a-z0-9.+-]+;base64,/i.test(image))
      if (!ok && typeof image === 'string' && /^data:/i.test(image) && !bytesToo) {
        fail(provider, `images[${i}]`, `images[${i}] is image bytes (a data: URL), but ${provider.id} takes reference images as http(s) URLs only`)
      }
      if (!ok) fail(provider, `images[${i}]`, `images[${i}] must be an http(s) URL the provider can fetch`)
    })
  }
  if (request.callbackUrl !== undefined) {
    if (provider.supportsCallback === false) unsupported(provider, model, 'callbackUrl', request.callbackUrl, [])
    checkCallbackUrl(provider, request.callbackUrl, options)
  }
  if (request.providerOptions !== undefined) checkProviderOptions(provider, model, request.providerOptions)
  return { model }
}
