// Reference images as bytes: `imageDataUrl(bytes)` types them by their signature and caps their size;
// providers that `takesImageData` (an API that takes bytes only, or a spec with `x-reference-data-urls`)
// send them on, the others refuse a data: URL before any request, naming the provider and saying it takes URLs.
import type { Sandbox } from '@nano-banana/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_REFERENCE_MAX_BYTES, imageDataUrl, InvalidRequestError, providerIds, providers, takesImageData, type ProviderId } from '../src/index.js'
import { encodeBase64 } from '../src/inline-images.js'
import { fastSandbox, sandboxClient } from './reliability/support.js'
import { spec } from './support.js'

/** A complete 2x2 PNG (signature through IEND). */
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4dUkDiBggFAA6BgfRowlrjwAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0))
const caught = (f: () => unknown) => {
  try {
    f()
  } catch (error) {
    return error as InvalidRequestError
  }
  throw new Error('did not throw')
}

describe('imageDataUrl', () => {
  it('makes a data: URL of the type the bytes are, whatever they are called', () => {
    expect(imageDataUrl(PNG)).toBe(`data:image/png;base64,${encodeBase64(PNG)}`)
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9])
    expect(imageDataUrl(jpeg)).toMatch(/^data:image\/jpeg;base64,/)
  })

  it.each([
    ['HTML', new TextEncoder().encode('<!doctype html><script>alert(1)</script>')],
    ['SVG', new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
    ['an ELF executable', Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0])],
    ['nothing', new Uint8Array()],
  ])('%s is refused: InvalidRequestError, code not_an_image', (_, bytes) => {
    const error = caught(() => imageDataUrl(bytes))
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error.code).toBe('not_an_image')
  })

  it('bytes over the cap are refused (code too_large); the default cap is DEFAULT_REFERENCE_MAX_BYTES', () => {
    expect(caught(() => imageDataUrl(PNG, { maxBytes: PNG.length - 1 })).code).toBe('too_large')
    expect(imageDataUrl(PNG, { maxBytes: PNG.length })).toMatch(/^data:image\/png/)
    const big = new Uint8Array(DEFAULT_REFERENCE_MAX_BYTES + 1)
    big.set(PNG)
    expect(caught(() => imageDataUrl(big)).code).toBe('too_large')
  })
})

describe('takesImageData', () => {
  it.each(providerIds)('%s: from its definition (bytes only) or its spec (x-reference-data-urls)', (id) => {
    const fromSpec = spec(id)['x-reference-data-urls'] === true
    expect(takesImageData(providers[id])).toBe(providers[id].inlineReferenceImages === true || fromSpec)
    expect(providers[id].meta?.referenceDataUrls === true).toBe(fromSpec)
  })
})

describe('a data: URL reference image against the sandbox', () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await fastSandbox()
  })
  afterAll(() => sandbox.close())

  /** A client whose requests are recorded (method, URL, body text) before they go to the sandbox. */
  const recorded = (provider: ProviderId) => {
    const sent: { method: string; url: string; body: string }[] = []
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init)
      sent.push({ method: request.method, url: request.url, body: request.body ? await request.clone().text() : '' })
      return globalThis.fetch(request)
    }) as typeof globalThis.fetch
    return { sent, nb: sandboxClient(sandbox, provider, { fetch }) }
  }

  const withImages = providerIds.filter((id) => providers[id].models[providers[id].defaultModel]!.maxImages > 0)
  const takers = withImages.filter((id) => takesImageData(providers[id]))
  const urlOnly = withImages.filter((id) => !takesImageData(providers[id]))

  it('both kinds of provider exist', () => {
    expect(takers.length).toBeGreaterThan(0)
    expect(urlOnly.length).toBeGreaterThan(0)
  })

  it.each(takers)('%s: the bytes arrive in the create request and the task succeeds', async (provider) => {
    const { sent, nb } = recorded(provider)
    const result = await nb.generate({ prompt: 'the same cat, in a hat', images: [imageDataUrl(PNG)] })
    expect(result.images.length).toBeGreaterThan(0)
    const creates = sent.filter((r) => r.method === 'POST')
    expect(creates).toHaveLength(1)
    expect(creates[0]!.body).toContain(encodeBase64(PNG))
  })

  it.each(urlOnly)('%s: InvalidRequestError naming the provider and saying it takes URLs, no request', async (provider) => {
    const { sent, nb } = recorded(provider)
    const error = (await nb.submit({ prompt: 'the same cat', images: [imageDataUrl(PNG)] }).catch((e: unknown) => e)) as InvalidRequestError
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error.param).toBe('images[0]')
    expect(error.message).toContain(`${provider} takes reference images as http(s) URLs only`)
    expect(sent).toEqual([])
  })
})
