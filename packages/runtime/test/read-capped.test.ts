// readCapped: a body read whole within a cap, whatever its chunks; a declared length is a hint for the
// one buffer the chunks are copied into, never trusted for what the bytes are.
import { describe, expect, it } from 'vitest'
import { readCapped } from '../src/index.js'

/** A response whose body arrives in the given chunks, with the Content-Length it claims (if any). */
function chunked(chunks: number[][], contentLength?: number): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new Uint8Array(chunk))
      controller.close()
    },
  })
  return new Response(body, contentLength === undefined ? {} : { headers: { 'content-length': String(contentLength) } })
}

const bytesOf = (value: Uint8Array | undefined) => (value ? [...value] : value)

describe('readCapped', () => {
  it('chunks of a body with a declared length come back as one exact buffer', async () => {
    const read = await readCapped(chunked([[1, 2], [3], [4, 5, 6]], 6), 100)
    expect(bytesOf(read)).toEqual([1, 2, 3, 4, 5, 6])
    expect(read?.buffer.byteLength).toBe(6)
  })

  it('a body in one chunk, or without a declared length, reads the same', async () => {
    expect(bytesOf(await readCapped(chunked([[7, 8, 9]], 3), 100))).toEqual([7, 8, 9])
    expect(bytesOf(await readCapped(chunked([[1], [2, 3], [4]]), 100))).toEqual([1, 2, 3, 4])
  })

  it('more bytes than declared are all read (within the cap), fewer come back as they are', async () => {
    // Declared 4 (the overflow arrives in a later chunk) and 3 (already the second chunk overflows).
    for (const declared of [4, 3]) {
      const body = chunked(
        [
          [1, 2],
          [3, 4],
          [5, 6, 7],
        ],
        declared,
      )
      expect(bytesOf(await readCapped(body, 100))).toEqual([1, 2, 3, 4, 5, 6, 7])
    }
    expect(bytesOf(await readCapped(chunked([[1, 2], [3]], 10), 100))).toEqual([1, 2, 3])
  })

  it('the cap holds whatever the declared length says', async () => {
    expect(
      await readCapped(
        chunked(
          [
            [1, 2],
            [3, 4],
          ],
          8,
        ),
        3,
      ),
    ).toBeUndefined()
    expect(await readCapped(chunked([[1, 2], [3, 4], [5]], 2), 4)).toBeUndefined()
    expect(
      await readCapped(
        chunked([
          [1, 2],
          [3, 4],
        ]),
        3,
      ),
    ).toBeUndefined()
  })
})
