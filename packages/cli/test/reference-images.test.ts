// `generate --image <file>`: a local file is read, typed by its bytes and size-capped before anything starts;
// providers that take bytes (`takesImageData`: their API wants bytes, or their spec documents data: URLs)
// receive the file's bytes, the others refuse it (exit 2) naming the provider and saying it takes URLs.
// Every refusal is checked to reach no server at all: the CLI talks to the sandbox through a recording
// proxy, which also shows what arrived. Runs that wait for a task provider's first poll (seconds) are in
// reference-images.integration.test.ts.
import { open as openFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { providerIds, providers, takesImageData, type ProviderId } from '@nano-banana/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputError } from '../src/exit.js'
import { MAX_IMAGE_FILE_BYTES, referenceImages, serveLocalImages } from '../src/files.js'
import { png, proxiedSandbox, sentAsBytes, type Proxied } from './reference-support.js'

const byteTakers = providerIds.filter((id) => takesImageData(providers[id]))
const urlOnly = providerIds.filter((id) => !takesImageData(providers[id]))
/** The client reads every reference URL into bytes itself (the API takes bytes only). */
const inline = byteTakers.find((id) => providers[id].inlineReferenceImages)

let env: Proxied
beforeAll(async () => {
  env = await proxiedSandbox()
})
afterAll(() => env?.close())

it('the providers split into those that take image bytes and those that take URLs only, from their meta', () => {
  expect(byteTakers.length).toBeGreaterThan(0)
  expect(urlOnly.length).toBeGreaterThan(0)
  expect(inline).toBeDefined()
  for (const id of byteTakers) expect(providers[id].inlineReferenceImages === true || providers[id].meta?.referenceDataUrls === true).toBe(true)
  // The synchronous ones answer at once, so their end-to-end runs belong here.
  expect(byteTakers.filter((id) => providers[id].synchronous).length).toBeGreaterThan(0)
})

describe.each(byteTakers.filter((id) => providers[id].synchronous))('%s takes bytes', (provider) => {
  it('a local file is sent as its bytes (a data: URL of its sniffed type) and the task succeeds', async () => {
    await sentAsBytes(env, provider, byteTakers.indexOf(provider) + 100)
  })
})

describe('refusals reach no server', () => {
  const refused = async (provider: ProviderId, path: string, message: RegExp) => {
    const before = env.proxy.requests.length
    const submissions = env.sandbox.submissions()
    const r = await env.generate(provider, path)
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).not.toContain('embedded offline sandbox')
    expect(env.proxy.requests.length).toBe(before)
    expect(env.sandbox.submissions()).toBe(submissions)
  }

  it('a file that is no image (an HTML page named .png) is refused, exit 2', async () => {
    const path = join(env.dir, 'page.png')
    await writeFile(path, '<!doctype html><script>alert(1)</script>')
    await refused(byteTakers[0]!, path, /--image .*page\.png: not a PNG, JPEG, WebP or GIF image/)
    for (const provider of byteTakers) {
      await expect(referenceImages(provider, [path], { sandbox: false })).rejects.toThrow(/not a PNG, JPEG, WebP or GIF image/)
    }
  })

  it(`a file larger than the cap (${MAX_IMAGE_FILE_BYTES} bytes) is refused without being read, exit 2`, async () => {
    const path = join(env.dir, 'huge.png')
    await writeFile(path, png(1))
    // Sparse: the size is one byte over the cap, the disk holds almost nothing.
    const handle = await openFile(path, 'r+')
    await handle.truncate(MAX_IMAGE_FILE_BYTES + 1)
    await handle.close()
    await refused(byteTakers[0]!, path, new RegExp(`--image .*huge\\.png: ${MAX_IMAGE_FILE_BYTES + 1} bytes, more than`))
  })

  it(`${urlOnly[0]} takes URLs only: a local file is refused naming the provider, exit 2`, async () => {
    const path = join(env.dir, 'url-only.png')
    await writeFile(path, png(2))
    await refused(urlOnly[0]!, path, new RegExp(`--image .*url-only\\.png: ${urlOnly[0]} takes reference images as public http\\(s\\) URLs only`))
  })

  it.each(urlOnly)('%s: the refusal comes before any file is read or anything starts (in process)', async (provider) => {
    const error = await referenceImages(provider, [join(env.dir, 'does-not-exist.png')], { sandbox: false }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).message).toContain(`${provider} takes reference images as public http(s) URLs only`)
    // On the embedded sandbox (which fetches what the CLI serves) the same provider reads the file instead.
    await expect(referenceImages(provider, [join(env.dir, 'does-not-exist.png')], { sandbox: true })).rejects.toThrow(/no such file/)
  })

  it('a directory is refused, exit 2', async () => {
    await refused(byteTakers[0]!, env.dir, /--image .*: not a regular file/)
  })
})

describe('http(s) URLs pass through', () => {
  it('unchanged, for every provider (in process)', async () => {
    const url = `${env.images.url}/ref.png?sig=abc`
    for (const provider of providerIds) expect((await referenceImages(provider, [url], { sandbox: false })).images).toEqual([url])
  })

  it(`${inline}: a URL is read by the client and its bytes sent (its API takes bytes only)`, async () => {
    const fetched = env.images.requests.length
    const before = env.proxy.requests.length
    const r = await env.generate(inline!, `${env.images.url}/ref.png`)
    expect(r.code, r.stderr).toBe(0)
    expect(env.images.requests.length).toBe(fetched + 1)
    expect(env.creates(before, inline!)[0]!.text).toContain(png(7).toString('base64'))
  })
})

describe('on the embedded sandbox', () => {
  it(`${urlOnly[0]} takes URLs: the checked file is served by the sandbox with the type its bytes are, in its place among the URLs`, async () => {
    const path = join(env.dir, 'served.webp')
    const bytes = png(3)
    await writeFile(path, bytes)
    const url = `${env.images.url}/first.png`
    const references = await referenceImages(urlOnly[0]!, [url, path], { sandbox: true })
    const served = serveLocalImages(references, env.sandbox)
    try {
      expect(served.images[0]).toBe(url)
      expect(served.images[1]).toMatch(new RegExp(`^${env.sandbox.url}/uploads/[0-9a-f]{32}$`))
      const answer = await fetch(served.images[1]!)
      expect(answer.headers.get('content-type')).toBe('image/png')
      expect(Buffer.from(await answer.arrayBuffer()).equals(bytes)).toBe(true)
    } finally {
      served.close()
    }
    expect((await fetch(served.images[1]!)).status).toBe(404)
  })
})
