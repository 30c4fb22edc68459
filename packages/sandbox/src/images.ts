import { createHash, randomBytes } from 'node:crypto'
import jpeg from 'jpeg-js'
import pngjs from 'pngjs'
import type { ImageFormat } from './types.js'

export interface ImageSpec {
  prompt: string
  seed: string
  /** Which of the task's n images: each one gets its own picture. */
  index: number
  width: number
  height: number
  format: ImageFormat
}

/**
 * Pixel size for an aspect ratio like `16:9` with the given long side (16:9 at 256 -> 256x144). `auto`, a
 * missing value or anything unparsable gives a square, as the providers do when no reference image decides.
 */
export function dimensionsFor(aspect: string | undefined, longSide: number): { width: number; height: number } {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(aspect ?? '')
  const w = match ? Number(match[1]) : 1
  const h = match ? Number(match[2]) : 1
  if (!(w > 0 && h > 0)) return { width: longSide, height: longSide }
  if (w >= h) return { width: longSide, height: Math.max(1, Math.round((longSide * h) / w)) }
  return { width: Math.max(1, Math.round((longSide * w) / h)), height: longSide }
}

export const mimeType = (format: ImageFormat): string => (format === 'jpeg' ? 'image/jpeg' : 'image/png')
export const extension = (format: ImageFormat): string => (format === 'jpeg' ? 'jpg' : 'png')

/**
 * Draws the picture for one result: a two-colour gradient at an angle, overlaid with stripes, a checker or
 * rings, every parameter taken from a hash of prompt + seed + index. Same inputs, same bytes; a different
 * prompt visibly changes the picture, so a test (or a person) can tell results apart.
 */
export function renderImage(spec: ImageSpec): Buffer {
  const { width, height } = spec
  const h = createHash('sha256').update(`${spec.prompt}\u0000${spec.seed}\u0000${spec.index}`).digest()
  const from = [h[0]!, h[1]!, h[2]!]
  const to = [h[3]!, h[4]!, h[5]!]
  const angle = (h[6]! / 255) * Math.PI * 2
  const cells = 3 + (h[7]! % 10)
  const pattern = h[8]! % 3
  const cos = Math.cos(angle)
  const sin = Math.sin(angle)
  const rgba = Buffer.alloc(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const nx = x / Math.max(1, width - 1) - 0.5
      const ny = y / Math.max(1, height - 1) - 0.5
      const t = Math.min(1, Math.max(0, (nx * cos + ny * sin) / Math.SQRT2 + 0.5))
      const cx = Math.floor(((x + 0.5) / width) * cells)
      const cy = Math.floor(((y + 0.5) / height) * cells)
      const on = pattern === 0 ? cx % 2 === 0 : pattern === 1 ? (cx + cy) % 2 === 0 : Math.floor(Math.hypot(nx, ny) * cells * 2) % 2 === 0
      const offset = (y * width + x) * 4
      for (let c = 0; c < 3; c++) {
        const base = from[c]! + (to[c]! - from[c]!) * t
        rgba[offset + c] = Math.round(on ? base * 0.7 + 255 * 0.3 : base)
      }
      rgba[offset + 3] = 255
    }
  }
  if (spec.format === 'jpeg') return jpeg.encode({ data: rgba, width, height }, 85).data
  const png = new pngjs.PNG({ width, height })
  rgba.copy(png.data)
  return pngjs.PNG.sync.write(png)
}

export interface StoredImage extends ImageSpec {
  token: string
  provider: string
  taskId: string
  /** Epoch ms after which the URL answers as expired. */
  expiresAt: number
  /** Set by the `expired-url` fault: the URL is expired from the start. */
  forceExpired: boolean
}

/** Result files by URL token. Bytes are rendered on first download and kept for the next ones. */
export class ImageStore {
  private readonly images = new Map<string, StoredImage>()
  private readonly bytes = new Map<string, Buffer>()

  add(image: Omit<StoredImage, 'token'>): StoredImage {
    const token = randomBytes(12).toString('hex')
    const stored = { ...image, token }
    this.images.set(token, stored)
    return stored
  }

  get(token: string): StoredImage | undefined {
    return this.images.get(token)
  }

  render(image: StoredImage): Buffer {
    let data = this.bytes.get(image.token)
    if (!data) {
      data = renderImage(image)
      this.bytes.set(image.token, data)
    }
    return data
  }

  clear(): void {
    this.images.clear()
    this.bytes.clear()
  }
}
