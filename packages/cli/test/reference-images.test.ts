// `generate --image <file>`: a local file is read, typed by its bytes and size-capped before anything starts;
// providers that take bytes (`takesImageData`: their API wants bytes, or their spec documents data: URLs)
// receive the file's bytes, the others refuse it (exit 2) naming the provider and saying it takes URLs;
// http(s) URLs pass through as before. Every refusal is checked to reach no server at all: the CLI talks to
// the sandbox through a recording proxy, which also shows what arrived.
import { open as openFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import { providerIds, providers, takesImageData, type ProviderId } from '@nano-banana/sdk'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { startTestServer, type RecordedRequest, type TestServer } from '@nano-banana/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputError } from '../src/exit.js'
import { MAX_IMAGE_FILE_BYTES, referenceImages } from '../src/files.js'
import { run } from './helpers.js'

const SECRET = 'sk-cli-reference-5c2e9f'
const byteTakers = providerIds.filter((id) => takesImageData(providers[id]))
const urlOnly = providerIds.filter((id) => !takesImageData(providers[id]))
/** The client reads every reference URL into bytes itself (the API takes bytes only). */
const inline = byteTakers.find((id) => providers[id].inlineReferenceImages)

/** A real 1x1 PNG whose pixel and text chunk carry `seed`, so that each test's bytes are its own. */
function png(seed: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const out = Buffer.alloc(body.length + 8)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc32(body), body.length + 4)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(1, 0)
  header.writeUInt32BE(1, 4)
  header.set([8, 6, 0, 0, 0], 8)
  const pixel = Buffer.from([0, seed & 0xff, (seed >> 8) & 0xff, 0x80, 0xff])
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('tEXt', Buffer.from(`Comment\0reference ${seed}`, 'latin1')),
    chunk('IDAT', deflateSync(pixel)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

let sandbox: Sandbox
let proxy: TestServer
let images: TestServer
let dir: string
beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: SECRET, taskDurationMs: 50, imageLongSide: 32 })
  // Forwards everything to the sandbox, recording what the CLI sent.
  proxy = await startTestServer({
    handle: (request) =>
      fetch(`${sandbox.url}${request.url}`, {
        method: request.method,
        headers: Object.entries(request.headers).flatMap(([name, value]) =>
          ['host', 'connection', 'content-length', 'transfer-encoding'].includes(name) || value === undefined ? [] : [[name, String(value)] as [string, string]],
        ),
        ...(request.bytes.length ? { body: new Uint8Array(request.bytes) } : {}),
      }),
  })
  images = await startTestServer({ handle: () => ({ headers: { 'content-type': 'image/png' }, body: png(7) }) })
  dir = await mkdtemp(join(tmpdir(), 'nb-cli-reference-'))
})
afterAll(async () => {
  await Promise.all([sandbox?.close(), proxy?.close(), images?.close()])
  await rm(dir, { recursive: true, force: true })
})

/** `generate` against the proxied sandbox as a real provider (key and base URL given), saving into the temp dir. */
const generate = (provider: ProviderId, image: string) =>
  run([
    'generate',
    'a cat in a hat',
    '--provider',
    provider,
    '--api-key',
    SECRET,
    '--base-url',
    sandbox.baseUrl(provider).replace(sandbox.url, proxy.url),
    '--image',
    image,
    '--out',
    join(dir, `out-${provider}`),
    '--json',
  ])

const creates = (from: number, provider: ProviderId): RecordedRequest[] =>
  proxy.requests.slice(from).filter((r) => r.method === 'POST' && r.path.startsWith(`/${provider}/`))

it('the providers split into those that take image bytes and those that take URLs only, from their meta', () => {
  expect(byteTakers.length).toBeGreaterThan(0)
  expect(urlOnly.length).toBeGreaterThan(0)
  expect(inline).toBeDefined()
  for (const id of byteTakers) expect(providers[id].inlineReferenceImages === true || providers[id].meta?.referenceDataUrls === true).toBe(true)
})

describe.each(byteTakers)('%s takes bytes: a local file', (provider) => {
  it('is sent as the file bytes (a data: URL of its sniffed type) and the task succeeds', async () => {
    const bytes = png(byteTakers.indexOf(provider) + 100)
    // The name says JPEG; the bytes decide.
    const path = join(dir, `${provider}-ref.jpg`)
    await writeFile(path, bytes)
    const before = proxy.requests.length
    const submitted = sandbox.submissions(provider)
    const r = await generate(provider, path)
    expect(r.code, r.stderr).toBe(0)
    expect(sandbox.submissions(provider)).toBe(submitted + 1)
    const sent = creates(before, provider)
    expect(sent).toHaveLength(1)
    const base64 = bytes.toString('base64')
    expect(sent[0]!.text).toContain(base64)
    // A provider whose spec takes data: URLs gets one; an API that takes bytes only gets them in its own field.
    if (!providers[provider].inlineReferenceImages) expect(sent[0]!.text).toContain(`data:image/png;base64,${base64}`)
    const summary = JSON.parse(r.stdout) as { files: string[] }
    expect(summary.files.length).toBeGreaterThan(0)
  })
})

describe('refusals reach no server', () => {
  const refused = async (provider: ProviderId, path: string, message: RegExp) => {
    const before = proxy.requests.length
    const submissions = sandbox.submissions()
    const r = await generate(provider, path)
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).not.toContain('embedded offline sandbox')
    expect(proxy.requests.length).toBe(before)
    expect(sandbox.submissions()).toBe(submissions)
  }

  it('a file that is no image (an HTML page named .png) is refused, exit 2', async () => {
    const path = join(dir, 'page.png')
    await writeFile(path, '<!doctype html><script>alert(1)</script>')
    await refused(byteTakers[0]!, path, /--image .*page\.png: not a PNG, JPEG, WebP or GIF image/)
    for (const provider of byteTakers) {
      await expect(referenceImages(provider, [path], { sandbox: false })).rejects.toThrow(/not a PNG, JPEG, WebP or GIF image/)
    }
  })

  it(`a file larger than the cap (${MAX_IMAGE_FILE_BYTES} bytes) is refused without being read, exit 2`, async () => {
    const path = join(dir, 'huge.png')
    await writeFile(path, png(1))
    // Sparse: the size is one byte over the cap, the disk holds almost nothing.
    const handle = await openFile(path, 'r+')
    await handle.truncate(MAX_IMAGE_FILE_BYTES + 1)
    await handle.close()
    await refused(byteTakers[0]!, path, new RegExp(`--image .*huge\\.png: ${MAX_IMAGE_FILE_BYTES + 1} bytes, more than`))
  })

  it(`${urlOnly[0]} takes URLs only: a local file is refused naming the provider, exit 2`, async () => {
    const path = join(dir, 'url-only.png')
    await writeFile(path, png(2))
    await refused(urlOnly[0]!, path, new RegExp(`--image .*url-only\\.png: ${urlOnly[0]} takes reference images as public http\\(s\\) URLs only`))
  })

  it.each(urlOnly)('%s: the refusal comes before any file is read or anything starts (in process)', async (provider) => {
    const error = await referenceImages(provider, [join(dir, 'does-not-exist.png')], { sandbox: false }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).message).toContain(`${provider} takes reference images as public http(s) URLs only`)
    // On the embedded sandbox (which fetches what the CLI serves) the same provider reads the file instead.
    await expect(referenceImages(provider, [join(dir, 'does-not-exist.png')], { sandbox: true })).rejects.toThrow(/no such file/)
  })
})

describe('http(s) URLs pass through as before', () => {
  it(`${urlOnly[0]}: the URL is sent as it was given`, async () => {
    const url = `${images.url}/ref.png?sig=abc`
    const before = proxy.requests.length
    const r = await generate(urlOnly[0]!, url)
    expect(r.code, r.stderr).toBe(0)
    const sent = creates(before, urlOnly[0]!)
    expect(sent).toHaveLength(1)
    expect(JSON.stringify(sent[0]!.body)).toContain(JSON.stringify(url).slice(1, -1))
  })

  it(`${inline}: a URL is read by the client and its bytes sent (its API takes bytes only)`, async () => {
    const fetched = images.requests.length
    const before = proxy.requests.length
    const r = await generate(inline!, `${images.url}/ref.png`)
    expect(r.code, r.stderr).toBe(0)
    expect(images.requests.length).toBe(fetched + 1)
    expect(creates(before, inline!)[0]!.text).toContain(png(7).toString('base64'))
  })
})
