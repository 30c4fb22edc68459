import jpeg from 'jpeg-js'
import pngjs from 'pngjs'

/** Decodes the bytes as the PNG or JPEG they claim to be: a real image, not just a magic number. */
export function decodeImage(bytes: Uint8Array, contentType: string): { width: number; height: number } {
  const buffer = Buffer.from(bytes)
  if (contentType === 'image/png') {
    const png = pngjs.PNG.sync.read(buffer)
    return { width: png.width, height: png.height }
  }
  if (contentType === 'image/jpeg') {
    const image = jpeg.decode(buffer, { useTArray: true })
    return { width: image.width, height: image.height }
  }
  throw new Error(`not a PNG or JPEG: ${contentType}`)
}
