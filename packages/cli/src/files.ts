// Reference images of `generate --image`: an http(s) URL passes through unchanged; a local file is read
// here (by the sdk's readImageFile: size-capped, its type judged by its bytes, whatever its name says) before
// any sandbox starts or any request is sent. Its bytes then go to the provider as a `data:` URL when the
// provider takes bytes (`takesImageData`: its API wants bytes, or its spec documents data: URLs); the embedded
// sandbox, which fetches URLs like the real API, hosts it itself (`serveImage`); any other provider takes
// URLs only: refused.
import type { Sandbox } from '@nano-banana/sandbox'
import { DEFAULT_REFERENCE_MAX_BYTES, imageDataUrl, providers, takesImageData, type ProviderId } from '@nano-banana/sdk'
import { ImageFileError, readImageFile, type ImageFile } from '@nano-banana/sdk/node'
import { InputError } from './exit.js'

export const isUrl = (value: string) => /^https?:\/\//i.test(value)

/** The largest local reference image read: the SDK's cap of one reference image (Google's inline request limit). */
export const MAX_IMAGE_FILE_BYTES = DEFAULT_REFERENCE_MAX_BYTES

export type LocalImage = ImageFile

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`

/** Reads one local image: a regular file of at most `maxBytes` whose bytes are a PNG, JPEG, WebP or GIF; InputError (exit 2) otherwise. */
export async function readLocalImage(path: string, maxBytes = MAX_IMAGE_FILE_BYTES): Promise<LocalImage> {
  try {
    return await readImageFile(path, { maxBytes })
  } catch (error) {
    if (!(error instanceof ImageFileError)) throw error
    if (error.code === 'too_large') {
      throw new InputError(`--image ${path}: ${error.size} bytes, more than the ${mib(maxBytes)} (${maxBytes} bytes) a reference image may have`)
    }
    // The sdk's message starts with the path and says why in words (no such file, not a regular file...).
    throw new InputError(`--image ${error.message}`)
  }
}

export interface ReferenceImages {
  /** The `images` of the request, in the order given; an entry is undefined until `serve` fills it. */
  images: (string | undefined)[]
  /** Local files for the embedded sandbox, which hosts them; their URLs are put in place. */
  toServe: { index: number; image: LocalImage }[]
}

/**
 * The `--image` values for `provider`, each local file read and checked. `sandbox`: the command runs on the
 * embedded sandbox, which hosts the files itself. Refusals are InputErrors (exit 2), thrown before anything
 * starts or is sent.
 */
export async function referenceImages(provider: ProviderId, values: readonly string[], options: { sandbox: boolean; maxBytes?: number }): Promise<ReferenceImages> {
  const adapter = providers[provider]
  const bytesTaken = takesImageData(adapter)
  const result: ReferenceImages = { images: [], toServe: [] }
  for (const [index, value] of values.entries()) {
    if (isUrl(value)) {
      result.images.push(value)
      continue
    }
    if (!bytesTaken && !options.sandbox) {
      throw new InputError(
        `--image ${value}: ${provider} takes reference images as public http(s) URLs only (its API documents no upload and no data: URLs); put the file where ${adapter.name} can fetch it and pass that URL`,
      )
    }
    const image = await readLocalImage(value, options.maxBytes)
    if (bytesTaken) {
      result.images.push(imageDataUrl(image.bytes, { maxBytes: options.maxBytes ?? MAX_IMAGE_FILE_BYTES }))
    } else {
      result.images.push(undefined)
      result.toServe.push({ index, image })
    }
  }
  return result
}

/** Has the embedded sandbox host the files to serve and returns the complete `images` list; `close` stops serving them. */
export function serveLocalImages(references: ReferenceImages, sandbox: Pick<Sandbox, 'serveImage'> | undefined): { images: string[]; close(): void } {
  if (!references.toServe.length) return { images: references.images as string[], close: () => {} }
  if (!sandbox) throw new Error('local --image files to serve, but no embedded sandbox to serve them')
  const images = [...references.images]
  const served = references.toServe.map(({ index, image }) => {
    const file = sandbox.serveImage(image.bytes, image.contentType)
    images[index] = file.url
    return file
  })
  return {
    images: images as string[],
    close: () => {
      for (const file of served) file.stop()
    },
  }
}
