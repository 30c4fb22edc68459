// Files a program serves to its embedded sandbox (`sandbox.serveImage`): a local reference image becomes a
// URL on the sandbox's own origin, which the sandbox's providers take like any public URL. Paths are random
// (128 bits), so a file is reachable only through the URL handed out, and only until it is stopped.
import { randomBytes } from 'node:crypto'
import type { RawAnswer } from './http.js'

export interface ServedImage {
  /** `${sandbox.url}/uploads/<random>`: answers GET/HEAD with the bytes and the content type given. */
  readonly url: string
  /** Stops serving it (404 from then on). Safe to call twice. */
  stop(): void
}

export const UPLOADS_PREFIX = 'uploads'

const IMAGE_TYPE = /^image\/[a-z0-9][a-z0-9.+-]*$/i

export function createUploads() {
  const files = new Map<string, { bytes: Buffer; contentType: string }>()
  return {
    add(origin: string, bytes: Uint8Array, contentType: string): ServedImage {
      // A header value from the caller: an image type and nothing else (no CR/LF, no text/html).
      if (!IMAGE_TYPE.test(contentType)) throw new TypeError(`serveImage: ${JSON.stringify(contentType)} is not an image content type`)
      const token = randomBytes(16).toString('hex')
      files.set(token, { bytes: Buffer.from(bytes), contentType: contentType.toLowerCase() })
      return { url: `${origin}/${UPLOADS_PREFIX}/${token}`, stop: () => void files.delete(token) }
    },
    /** The answer for `/uploads/<token>`, or undefined when nothing is served there. */
    answer(token: string): RawAnswer | undefined {
      const file = files.get(token)
      return (
        file && { status: 200, headers: { 'content-type': file.contentType, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' }, body: file.bytes }
      )
    },
    clear: () => files.clear(),
  }
}
