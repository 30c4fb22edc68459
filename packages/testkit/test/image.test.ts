import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { checkImage, imageInfo } from '../src/index.js'

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff
  for (const byte of bytes) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1
  }
  return (crc ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/** A real RGB PNG of the given size. */
function png(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  const raw = Buffer.alloc(height * (1 + width * 3))
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

/** SOI, an APP0 segment, a SOF0 frame header, EOI: enough structure for the header walk. */
function jpeg(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0])
  const sof = Buffer.alloc(19)
  sof.set([0xff, 0xc0, 0x00, 0x11, 0x08])
  sof.writeUInt16BE(height, 5)
  sof.writeUInt16BE(width, 7)
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])])
}

describe('imageInfo / checkImage', () => {
  it('reads a PNG header and proves the file whole', () => {
    const bytes = png(33, 17)
    expect(imageInfo(bytes)).toEqual({ format: 'png', width: 33, height: 17 })
    expect(checkImage(new Uint8Array(bytes))).toEqual({ format: 'png', width: 33, height: 17 })
  })

  it('catches a corrupt or truncated PNG that still has a valid header', () => {
    const bytes = png(8, 8)
    const corrupt = Buffer.from(bytes)
    corrupt[40] = (corrupt[40] as number) ^ 0xff
    expect(imageInfo(corrupt)).toEqual({ format: 'png', width: 8, height: 8 })
    expect(() => checkImage(corrupt)).toThrow(/bad CRC/)
    expect(() => checkImage(bytes.subarray(0, bytes.length - 12))).toThrow(/no IEND/)
  })

  it('reads a JPEG frame header and requires EOI for a whole file', () => {
    const bytes = jpeg(640, 480)
    expect(imageInfo(bytes)).toEqual({ format: 'jpeg', width: 640, height: 480 })
    expect(checkImage(bytes)).toEqual({ format: 'jpeg', width: 640, height: 480 })
    expect(() => checkImage(bytes.subarray(0, bytes.length - 2))).toThrow(/EOI/)
  })

  it('rejects what is neither', () => {
    expect(() => imageInfo(Buffer.from('GIF89a'))).toThrow(/neither PNG nor JPEG \(starts with 47494638\)/)
    expect(() => imageInfo(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toThrow(/without a frame header/)
  })
})
