// Images that travel inside JSON as base64: results of synchronous providers (decoded and type-checked
// once, served by `download()` without a request) and reference images of providers that take bytes
// only (each URL read with the bounded downloader, then sent as a `data:` URL the definition unpacks).
import type { DownloadContext, DownloadedImage, DownloadOptions } from './download.js'
import { IMAGE_TYPES, sniffImageType } from './image-type.js'
import { AbortError, InvalidRequestError, NanoBananaError, ResponseFormatError } from './errors.js'
import type { GeneratedImage, InlineImage, ProviderId } from './types.js'

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** Standard base64 (padded or not, whitespace ignored) to bytes; undefined when it is not base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const clean = text.replace(/\s+/g, '')
  if (!BASE64.test(clean) || clean.length % 4 === 1) return undefined
  const binary = atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, '='))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export function encodeBase64(bytes: Uint8Array): string {
  let binary = ''
  // Chunked: String.fromCharCode with a whole image as arguments overflows the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/**
 * Decodes one image a provider returned inline. The bytes decide the type (an answer is untrusted): a
 * body that is not base64 or not a known image format is a ResponseFormatError.
 */
export function decodeInlineImage(provider: ProviderId, base64: unknown, declaredType: unknown): InlineImage {
  const data = typeof base64 === 'string' ? decodeBase64(base64) : undefined
  if (!data || data.length === 0) throw new ResponseFormatError(`${provider}: an inline image is not base64`, { provider, code: 'not_an_image' })
  const sniffed = sniffImageType(data)
  if (!sniffed) {
    const declared = typeof declaredType === 'string' ? declaredType : 'unknown type'
    throw new ResponseFormatError(`${provider}: an inline image (declared ${declared}) is no known image format`, { provider, code: 'not_an_image' })
  }
  return { data, contentType: sniffed }
}

/** A result image whose bytes are already here: `download()` makes no request, `url` is a `data:` URL built on first read. */
export function inlineGeneratedImage(image: InlineImage, context: { provider: ProviderId; taskId: string }): GeneratedImage {
  let url: string | undefined
  return {
    get url() {
      url ??= `data:${image.contentType};base64,${encodeBase64(image.data)}`
      return url
    },
    data: image.data,
    contentType: image.contentType,
    download: async (options: DownloadOptions = {}): Promise<DownloadedImage> => {
      if (options.signal?.aborted) throw options.signal.reason
      if (options.maxBytes !== undefined && image.data.byteLength > options.maxBytes) {
        throw new ResponseFormatError(`${context.provider}: an image of task ${context.taskId} is larger than maxBytes (${options.maxBytes})`, {
          provider: context.provider,
          taskId: context.taskId,
          code: 'too_large',
        })
      }
      return {
        bytes: image.data,
        contentType: image.contentType,
        extension: IMAGE_TYPES[image.contentType as keyof typeof IMAGE_TYPES] ?? image.contentType.slice('image/'.length),
      }
    },
  }
}

/** A `data:` URL's type and bytes; undefined for anything else. */
export function parseDataUrl(url: string): { contentType: string; base64: string } | undefined {
  const match = /^data:([a-z]+\/[a-z0-9.+-]+)?(;[a-z-]+=[^;,]*)*;base64,(.*)$/is.exec(url)
  return match ? { contentType: (match[1] ?? 'application/octet-stream').toLowerCase(), base64: match[3]! } : undefined
}

/** Default cap of one reference image read for a provider that takes bytes (Google's inline parts are limited to about 20 MB per request). */
export const DEFAULT_REFERENCE_MAX_BYTES = 20 * 1024 * 1024

/**
 * Reads each reference image URL with the bounded downloader (size cap, type from the bytes, retries)
 * and returns them as `data:` URLs, before anything is sent to the provider. A URL that cannot be read
 * is the caller's input error: InvalidRequestError naming `images[i]`, nothing sent.
 */
export async function readReferenceImages(images: readonly string[], context: Omit<DownloadContext, 'taskId'>, options: DownloadOptions = {}): Promise<string[]> {
  const { downloadImage } = await import('./download.js')
  return Promise.all(
    images.map(async (url, i) => {
      if (parseDataUrl(url)) return url
      try {
        const image = await downloadImage(url, undefined, { ...context, taskId: `images[${i}]` }, { maxBytes: DEFAULT_REFERENCE_MAX_BYTES, ...options })
        return `data:${image.contentType};base64,${encodeBase64(image.bytes)}`
      } catch (error) {
        if (error instanceof AbortError) throw error
        const reason = error instanceof NanoBananaError ? error.message : String(error)
        throw new InvalidRequestError(`${context.provider}: images[${i}] could not be read (the provider takes image bytes, not URLs): ${reason}`, {
          provider: context.provider,
          param: `images[${i}]`,
          cause: error,
        })
      }
    }),
  )
}
