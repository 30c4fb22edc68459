// Reads the type and pixel size of a PNG or JPEG from its bytes (no decoder needed for the header).
export interface ImageInfo {
  type: 'png' | 'jpeg'
  width: number
  height: number
}

export function imageInfo(bytes: Uint8Array): ImageInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (png.every((b, i) => bytes[i] === b)) {
    const chunk = String.fromCharCode(...bytes.subarray(12, 16))
    if (chunk !== 'IHDR') throw new Error('PNG without IHDR')
    return { type: 'png', width: view.getUint32(16), height: view.getUint32(20) }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    let offset = 2
    while (offset + 9 < bytes.length) {
      if (bytes[offset] !== 0xff) throw new Error(`JPEG: no marker at ${offset}`)
      const marker = bytes[offset + 1]!
      const length = view.getUint16(offset + 2)
      // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { type: 'jpeg', height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) }
      }
      offset += 2 + length
    }
    throw new Error('JPEG without a frame header')
  }
  throw new Error('neither PNG nor JPEG')
}
