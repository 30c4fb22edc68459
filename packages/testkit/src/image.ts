// PNG and JPEG: the format and pixel size from the header, and a structural check that a file is whole.
import { inflateSync } from 'node:zlib'

export interface ImageInfo {
  format: 'png' | 'jpeg'
  width: number
  height: number
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

const isPng = (bytes: Uint8Array) => PNG_SIGNATURE.every((b, i) => bytes[i] === b)
const isJpeg = (bytes: Uint8Array) => bytes[0] === 0xff && bytes[1] === 0xd8

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)

// SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc

function jpegFrame(bytes: Uint8Array): ImageInfo {
  const data = view(bytes)
  let offset = 2
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) throw new Error(`JPEG: no marker at ${offset}`)
    const marker = bytes[offset + 1] as number
    if (isStartOfFrame(marker)) {
      if (offset + 9 > bytes.length) break
      return { format: 'jpeg', height: data.getUint16(offset + 5), width: data.getUint16(offset + 7) }
    }
    offset += 2 + data.getUint16(offset + 2)
  }
  throw new Error('JPEG without a frame header')
}

/** Format and size from a PNG's IHDR or a JPEG's frame header; throws for anything else. */
export function imageInfo(bytes: Uint8Array): ImageInfo {
  if (isPng(bytes)) {
    if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') throw new Error('PNG without IHDR')
    return { format: 'png', width: view(bytes).getUint32(16), height: view(bytes).getUint32(20) }
  }
  if (isJpeg(bytes)) return jpegFrame(bytes)
  throw new Error(`neither PNG nor JPEG (starts with ${Buffer.from(bytes.subarray(0, 4)).toString('hex')})`)
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }

function checkPng(bytes: Uint8Array): ImageInfo {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let offset = 8
  let width = 0
  let height = 0
  let bitsPerPixel = 0
  const idat: Buffer[] = []
  let ended = false
  while (offset + 8 <= buffer.length) {
    const length = buffer.readUInt32BE(offset)
    const type = buffer.toString('latin1', offset + 4, offset + 8)
    const data = buffer.subarray(offset + 8, offset + 8 + length)
    if (data.length !== length || offset + 12 + length > buffer.length) throw new Error(`PNG chunk ${type} truncated`)
    if (crc32(buffer.subarray(offset + 4, offset + 8 + length)) !== buffer.readUInt32BE(offset + 8 + length)) throw new Error(`PNG chunk ${type}: bad CRC`)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      bitsPerPixel = (CHANNELS[data[9] as number] ?? 0) * (data[8] as number)
    } else if (type === 'IDAT') idat.push(data)
    else if (type === 'IEND') {
      ended = true
      break
    }
    offset += 12 + length
  }
  if (!ended) throw new Error('PNG has no IEND')
  const raw = inflateSync(Buffer.concat(idat))
  const expected = height * (1 + Math.ceil((width * bitsPerPixel) / 8))
  if (raw.length !== expected) throw new Error(`PNG pixel data is ${raw.length} bytes, expected ${expected}`)
  return { format: 'png', width, height }
}

/**
 * Like imageInfo, but proves the file is whole: for a PNG every chunk's CRC, IEND, and the inflated
 * pixel data having one filtered scanline per row; for a JPEG the frame header and the closing EOI.
 */
export function checkImage(bytes: Uint8Array): ImageInfo {
  if (isPng(bytes)) return checkPng(bytes)
  if (isJpeg(bytes)) {
    if (bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) throw new Error('JPEG does not end with EOI')
    return jpegFrame(bytes)
  }
  return imageInfo(bytes)
}
