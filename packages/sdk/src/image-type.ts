// What a file is, from its bytes: the server's content type is a claim, the signature is the fact. Shared
// by download() and by adapters that receive inline images, so that one table decides the file type and
// extension everywhere. A dozen bytes of signature need no dependency (file-type reads streams and needs
// Node APIs on some runtimes).

/** The image types the SDK accepts, by content type, with the file extension each one is saved under. */
export const IMAGE_TYPES = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif' } as const
export type ImageContentType = keyof typeof IMAGE_TYPES

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0) => signature.every((b, i) => bytes[at + i] === b)
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0))
const PNG = ascii('\x89PNG\r\n\x1a\n')
const IEND = ascii('IEND')

/** The image type the bytes are, from their signature; undefined for anything else (HTML, scripts, SVG, executables). */
export function sniffImageType(bytes: Uint8Array): ImageContentType | undefined {
  if (startsWith(bytes, PNG)) return 'image/png'
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp'
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif'
  return undefined
}

function hasTail(bytes: Uint8Array, marker: readonly number[]): boolean {
  // Within the last KiB: encoders may pad after the end marker.
  for (let i = bytes.length - marker.length; i >= Math.max(0, bytes.length - 1024); i--) if (startsWith(bytes, marker, i)) return true
  return false
}

/** False when a PNG or JPEG file ends before its end marker (a body cut short). Other types are not checked. */
export function isCompleteImage(bytes: Uint8Array, type: string): boolean {
  if (type === 'image/png') return hasTail(bytes, IEND)
  if (type === 'image/jpeg') return hasTail(bytes, [0xff, 0xd9])
  return true
}

/** The content type and extension of image bytes, or undefined when they are no PNG/JPEG/WebP/GIF. */
export function imageTypeOf(bytes: Uint8Array): { contentType: ImageContentType; extension: string } | undefined {
  const contentType = sniffImageType(bytes)
  return contentType ? { contentType, extension: IMAGE_TYPES[contentType] } : undefined
}
