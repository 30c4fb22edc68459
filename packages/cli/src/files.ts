// Reference images of `generate --image`: an http(s) URL passes through unchanged; a local file is read
// here (size-capped, its type judged by its bytes, whatever its name says) before any sandbox starts or any
// request is sent. Its bytes then go to the provider as a `data:` URL when the provider takes bytes
// (`takesImageData`: its API wants bytes, or its spec documents data: URLs); to the embedded sandbox, which
// fetches URLs like the real API, it is served on 127.0.0.1; any other provider takes URLs only: refused.
import { open, stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { basename } from 'node:path'
import { DEFAULT_REFERENCE_MAX_BYTES, imageDataUrl, imageTypeOf, providers, takesImageData, type ProviderId } from '@nano-banana/sdk'
import { InputError } from './exit.js'

export const isUrl = (value: string) => /^https?:\/\//i.test(value)

/** The largest local reference image read: the SDK's cap of one reference image (Google's inline request limit). */
export const MAX_IMAGE_FILE_BYTES = DEFAULT_REFERENCE_MAX_BYTES

export interface LocalImage {
  path: string
  bytes: Uint8Array
  contentType: string
}

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`
const tooLarge = (path: string, size: number, max: number) =>
  new InputError(`--image ${path}: ${size} bytes, more than the ${mib(max)} (${max} bytes) a reference image may have`)

/** Reads one local image: a regular file of at most `maxBytes` whose bytes are a PNG, JPEG, WebP or GIF; InputError (exit 2) otherwise. */
export async function readLocalImage(path: string, maxBytes = MAX_IMAGE_FILE_BYTES): Promise<LocalImage> {
  const unreadable = (error: unknown) => {
    const code = (error as { code?: string }).code
    return new InputError(`--image ${path}: ${code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' : `cannot be read (${code ?? String(error)})`}`)
  }
  // Checked before opening: opening a FIFO or a device could block or never end.
  const info = await stat(path).catch((error: unknown) => {
    throw unreadable(error)
  })
  if (!info.isFile()) throw new InputError(`--image ${path}: not a regular file`)
  if (info.size > maxBytes) throw tooLarge(path, info.size, maxBytes)
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw unreadable(error)
  })
  let bytes: Uint8Array
  try {
    // One byte more than stat() said: a file that grew since then is refused without reading it all.
    const buffer = Buffer.alloc(info.size + 1)
    let length = 0
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length > info.size) throw new InputError(`--image ${path}: the file changed while it was read`)
    bytes = buffer.subarray(0, length)
  } finally {
    await handle.close()
  }
  const type = imageTypeOf(bytes)
  if (!type) throw new InputError(`--image ${path}: not a PNG, JPEG, WebP or GIF image (judged by its bytes, not its name)`)
  return { path, bytes, contentType: type.contentType }
}

export interface ReferenceImages {
  /** The `images` of the request, in the order given; an entry is undefined until `serve` fills it. */
  images: (string | undefined)[]
  /** Local files for the embedded sandbox: served on 127.0.0.1, their URLs put in place. */
  toServe: { index: number; image: LocalImage }[]
}

/**
 * The `--image` values for `provider`, each local file read and checked. `sandbox`: the command runs on the
 * embedded sandbox, which may fetch files this process serves. Refusals are InputErrors (exit 2), thrown
 * before anything starts or is sent.
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

/** Serves the given images on 127.0.0.1 (for the embedded sandbox) and returns the complete `images` list. */
export async function serveLocalImages(references: ReferenceImages): Promise<{ images: string[]; close(): Promise<void> }> {
  if (!references.toServe.length) return { images: references.images as string[], close: async () => {} }
  const files = new Map<string, LocalImage>()
  const server = createServer((req, res) => {
    const image = files.get(req.url ?? '')
    if (!image) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': image.contentType, 'content-length': image.bytes.byteLength }).end(image.bytes)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  const images = [...references.images]
  for (const { index, image } of references.toServe) {
    const path = `/${index}/${encodeURIComponent(basename(image.path))}`
    files.set(path, image)
    images[index] = `http://127.0.0.1:${port}${path}`
  }
  return {
    images: images as string[],
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}
