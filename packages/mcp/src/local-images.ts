// Local reference images of a tool call: the argument comes from a model, so only an absolute path (or a
// file:// URL) is taken, and the file is read by the sdk's readImageFile (a regular file, capped, typed by its
// bytes); nothing else of the disk is read or exposed. Its refusals become this server's tool errors.
import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ImageFileError, readImageFile, type ImageFile } from '@nano-banana/sdk/node'

export const isRemote = (value: string) => /^https?:\/\//i.test(value)

/** Reads a local image given as an absolute path or `file://` URL; an Error whose message is the tool error otherwise. */
export async function readLocalImage(value: string, maxBytes: number): Promise<ImageFile & { bytes: Buffer; mimeType: string }> {
  const shown = `image ${JSON.stringify(value)}`
  let path: string
  try {
    path = value.startsWith('file:') ? fileURLToPath(value) : value
  } catch {
    throw new Error(`${shown}: not a valid file:// URL`)
  }
  if (!isAbsolute(path)) throw new Error(`${shown}: give an absolute path (the server's working directory is not yours) or an http(s) URL`)
  try {
    const image = await readImageFile(resolve(path), { maxBytes })
    return { ...image, bytes: Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength), mimeType: image.contentType }
  } catch (error) {
    if (!(error instanceof ImageFileError)) throw error
    const why = {
      not_found: 'no such readable file',
      unreadable: 'no such readable file',
      not_a_file: 'not a regular file',
      too_large: `${error.size} bytes, above the ${maxBytes}-byte limit (--max-image-bytes)`,
      changed: 'the file changed while it was read',
      not_an_image: 'not a PNG, JPEG, WebP or GIF file',
    }[error.code]
    throw new Error(`${shown}: ${why}`)
  }
}
