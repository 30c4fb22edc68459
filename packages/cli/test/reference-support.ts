// Shared by the --image tests: real PNG bytes of a seed, and the sandbox reached through a recording proxy
// (what the CLI sent, byte for byte), with an image server for reference URLs and a temp dir.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import { providers, type ProviderId } from '@nano-banana/sdk'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { startTestServer, type RecordedRequest, type TestServer } from '@nano-banana/testkit'
import { expect } from 'vitest'
import { run } from './helpers.js'

export const SECRET = 'sk-cli-reference-5c2e9f'

/** A real 1x1 PNG whose pixel and text chunk carry `seed`, so that each test's bytes are its own. */
export function png(seed: number): Buffer {
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

export interface Proxied {
  sandbox: Sandbox
  /** Forwards everything to the sandbox, recording what the CLI sent. */
  proxy: TestServer
  /** Serves png(7) at any path, for reference URLs. */
  images: TestServer
  dir: string
  /** `generate --image <image>` against the proxied sandbox as a real provider (key and base URL given). */
  generate(provider: ProviderId, image: string): ReturnType<typeof run>
  /** The create requests (POSTs) for `provider` the proxy saw from index `from` on. */
  creates(from: number, provider: ProviderId): RecordedRequest[]
  close(): Promise<void>
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding'])

export async function proxiedSandbox(): Promise<Proxied> {
  const sandbox = await startSandbox({ apiKey: SECRET, taskDurationMs: 50, imageLongSide: 32 })
  const proxy = await startTestServer({
    handle: (request) =>
      fetch(`${sandbox.url}${request.url}`, {
        method: request.method,
        headers: Object.entries(request.headers).flatMap(([name, value]) =>
          HOP_BY_HOP.has(name) || value === undefined ? [] : [[name, String(value)] as [string, string]],
        ),
        ...(request.bytes.length ? { body: new Uint8Array(request.bytes) } : {}),
      }),
  })
  const images = await startTestServer({ handle: () => ({ headers: { 'content-type': 'image/png' }, body: png(7) }) })
  const dir = await mkdtemp(join(tmpdir(), 'nb-cli-reference-'))
  return {
    sandbox,
    proxy,
    images,
    dir,
    generate: (provider, image) =>
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
      ]),
    creates: (from, provider) => proxy.requests.slice(from).filter((r) => r.method === 'POST' && r.path.startsWith(`/${provider}/`)),
    close: async () => {
      await Promise.all([sandbox.close(), proxy.close(), images.close()])
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** A local file to `provider`: its bytes arrive in the one create request, and the task succeeds. */
export async function sentAsBytes(env: Proxied, provider: ProviderId, seed: number): Promise<void> {
  const bytes = png(seed)
  // The name says JPEG; the bytes decide.
  const path = join(env.dir, `${provider}-ref.jpg`)
  await writeFile(path, bytes)
  const before = env.proxy.requests.length
  const submitted = env.sandbox.submissions(provider)
  const r = await env.generate(provider, path)
  expect(r.code, r.stderr).toBe(0)
  expect(env.sandbox.submissions(provider)).toBe(submitted + 1)
  const sent = env.creates(before, provider)
  expect(sent).toHaveLength(1)
  const base64 = bytes.toString('base64')
  expect(sent[0]!.text).toContain(base64)
  // A provider whose spec takes data: URLs gets one; an API that takes bytes only gets them in its own field.
  if (!providers[provider].inlineReferenceImages) expect(sent[0]!.text).toContain(`data:image/png;base64,${base64}`)
  expect((JSON.parse(r.stdout) as { files: string[] }).files.length).toBeGreaterThan(0)
}
