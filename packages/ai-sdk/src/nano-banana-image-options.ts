import type { SharedV3Warning } from '@ai-sdk/provider'
import type { AspectRatio, OutputFormat, Resolution } from '@nano-banana/sdk'

/** The key of this provider in `providerOptions`. */
export const PROVIDER_OPTIONS_KEY = 'nano-banana'

/**
 * `providerOptions['nano-banana']` of `generateImage`: the unified request fields the AI SDK call
 * options have no place for. Values are checked against the model's capability table before any
 * request; an unsupported value is an `UnsupportedOptionError`.
 */
export interface NanoBananaImageProviderOptions {
  /** `'0.5K' | '1K' | '2K' | '4K'`, where the model offers it. */
  resolution?: Resolution
  /** `'png' | 'jpeg' | 'webp'`, where the model offers it. */
  outputFormat?: OutputFormat
  /** Reference image URLs (image-to-image, editing); added after the URL files of the prompt. */
  images?: string[]
  /** HTTPS URL the provider POSTs the finished task to. */
  callbackUrl?: string
  /** An aspect ratio the AI SDK's `${number}:${number}` cannot express (`'auto'`); overrides `aspectRatio`. */
  aspectRatio?: AspectRatio
  /** How long to wait for the task, in ms (default: the client's `timeoutMs`, 10 minutes). */
  timeoutMs?: number
  /** Raw fields merged into the provider's request body, for options the unified vocabulary lacks. */
  extraBody?: Record<string, unknown>
}

const KNOWN = new Set(['resolution', 'outputFormat', 'images', 'callbackUrl', 'aspectRatio', 'timeoutMs', 'extraBody'])

/**
 * Reads `providerOptions['nano-banana']`. Shapes are checked here (a wrong type throws a TypeError);
 * values are checked by the unified client. Unknown keys become warnings.
 */
export function parseProviderOptions(value: unknown): { options: NanoBananaImageProviderOptions; warnings: SharedV3Warning[] } {
  if (value === undefined || value === null) return { options: {}, warnings: [] }
  if (typeof value !== 'object' || Array.isArray(value)) throw new TypeError(`providerOptions['${PROVIDER_OPTIONS_KEY}'] must be an object`)
  const raw = value as Record<string, unknown>
  const warnings: SharedV3Warning[] = []
  const bad = (key: string, expected: string): never => {
    throw new TypeError(`providerOptions['${PROVIDER_OPTIONS_KEY}'].${key} must be ${expected}`)
  }
  const string = (key: string) => {
    const v = raw[key]
    if (v !== undefined && typeof v !== 'string') bad(key, 'a string')
    return v as string | undefined
  }
  const options: NanoBananaImageProviderOptions = {}
  const resolution = string('resolution')
  if (resolution !== undefined) options.resolution = resolution as Resolution
  const outputFormat = string('outputFormat')
  if (outputFormat !== undefined) options.outputFormat = outputFormat as OutputFormat
  const callbackUrl = string('callbackUrl')
  if (callbackUrl !== undefined) options.callbackUrl = callbackUrl
  const aspectRatio = string('aspectRatio')
  if (aspectRatio !== undefined) options.aspectRatio = aspectRatio as AspectRatio
  if (raw.images !== undefined) {
    if (!Array.isArray(raw.images) || !raw.images.every((u) => typeof u === 'string')) bad('images', 'an array of URL strings')
    options.images = raw.images as string[]
  }
  if (raw.timeoutMs !== undefined) {
    if (typeof raw.timeoutMs !== 'number' || !(raw.timeoutMs > 0)) bad('timeoutMs', 'a positive number')
    options.timeoutMs = raw.timeoutMs as number
  }
  if (raw.extraBody !== undefined) {
    if (typeof raw.extraBody !== 'object' || raw.extraBody === null || Array.isArray(raw.extraBody)) bad('extraBody', 'an object')
    options.extraBody = raw.extraBody as Record<string, unknown>
  }
  for (const key of Object.keys(raw)) {
    if (!KNOWN.has(key)) {
      warnings.push({
        type: 'unsupported',
        feature: `providerOptions.${PROVIDER_OPTIONS_KEY}.${key}`,
        details: `unknown option, not sent; known options: ${[...KNOWN].join(', ')} (put raw provider fields in extraBody)`,
      })
    }
  }
  return { options, warnings }
}
