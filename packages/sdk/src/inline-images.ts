// Images that travel inside JSON as base64: results of synchronous providers (decoded and type-checked
// once, served by `download()` without a request) and reference images of providers that take bytes
// only (each URL read with the bounded downloader, then sent as a `data:` URL the definition unpacks).
import type { ProviderAdapter } from './adapter.js'
import { downloadImage, type DownloadContext, type DownloadedImage, type DownloadOptions } from './download.js'
import { IMAGE_TYPES, sniffImageType, type ImageContentType } from './image-type.js'
import { AbortError, InvalidRequestError, NanoBananaError, ResponseFormatError } from './errors.js'
import type { GeneratedImage, ImageDataUrl, InlineImage, ProviderId } from './types.js'

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

/**
 * True when the provider takes reference images as bytes, in a `data:image/...;base64,` URL: its API wants
 * bytes (`inlineReferenceImages`: URLs are read into bytes first) or its spec says the image field takes
 * `data:` URLs as well as URLs (`x-reference-data-urls`). Other providers take http(s) URLs only.
 */
export function takesImageData(provider: Pick<ProviderAdapter, 'inlineReferenceImages' | 'meta'>): boolean {
  return provider.inlineReferenceImages === true || provider.meta?.referenceDataUrls === true
}

/**
 * Image bytes (a file read from disk, an upload) as a reference image for `images`: a `data:` URL typed by
 * the bytes' signature, whatever the file is called. Bytes that are no PNG, JPEG, WebP or GIF, or more than
 * `maxBytes` (default DEFAULT_REFERENCE_MAX_BYTES), are an InvalidRequestError (`code` `not_an_image` or
 * `too_large`) before anything is sent. Only providers that `takesImageData` accept the result.
 */
export function imageDataUrl(bytes: Uint8Array, options: { maxBytes?: number } = {}): ImageDataUrl {
  const maxBytes = options.maxBytes ?? DEFAULT_REFERENCE_MAX_BYTES
  if (bytes.byteLength > maxBytes) {
    throw new InvalidRequestError(`a reference image of ${bytes.byteLength} bytes is larger than the cap of ${maxBytes} bytes`, {
      param: 'images',
      code: 'too_large',
    })
  }
  const type: ImageContentType | undefined = sniffImageType(bytes)
  if (!type) throw new InvalidRequestError('a reference image is no PNG, JPEG, WebP or GIF (judged by its bytes)', { param: 'images', code: 'not_an_image' })
  return `data:${type};base64,${encodeBase64(bytes)}`
}
