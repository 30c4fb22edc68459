// A result URL whose public-looking name resolves to this machine (what a rebinding DNS server answers at
// connect time) is not downloaded by the CLI; the same host with --allow-result-host is. The CLI runs as a
// user runs it, with its `dns.lookup` answering the test's names (test/fixtures/fake-dns.mjs), against the
// sandbox behind a proxy that rewrites its result URLs from 127.0.0.1 to such a name.
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { providerIds, providers } from '@nano-banana/sdk'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../helpers.js'

const SECRET = 'sk-cli-dns-guard-6Hq2'
/** A provider whose results are URLs (a task provider), not inline bytes. */
const provider = providerIds.find((id) => !providers[id].synchronous)!
const FAKE_DNS = pathToFileURL(join(import.meta.dirname, '../fixtures/fake-dns.mjs')).href

describe('the CLI refuses result URLs whose name resolves to a private address', () => {
  let sandbox: Sandbox
  let proxy: Server
  let dir: string
  let sandboxHost: string
  let proxyPort: number

  beforeAll(async () => {
    sandbox = await startSandbox({ apiKey: SECRET, taskDurationMs: 50, imageLongSide: 32 })
    dir = await mkdtemp(join(tmpdir(), 'nb-cli-dns-guard-'))
    sandboxHost = new URL(sandbox.baseUrl(provider)).host
    // Forwards every API call to the sandbox and renames the sandbox's host in its answers.
    proxy = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', async () => {
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length')) as Record<string, string>
        const upstream = await fetch(`http://${sandboxHost}${req.url}`, {
          method: req.method!,
          headers,
          ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
        })
        const text = (await upstream.text()).replaceAll(`http://${sandboxHost}`, `http://images.rebind.test:${new URL(`http://${sandboxHost}`).port}`)
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(text)
      })
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    proxyPort = (proxy.address() as AddressInfo).port
  })
  afterAll(async () => {
    await sandbox?.close()
    proxy?.closeAllConnections()
    await new Promise((resolve) => proxy?.close(resolve))
    await rm(dir, { recursive: true, force: true })
  })

  // The API host is a name too (the guard lets the configured API host through, whatever it resolves to).
  const flags = () => ['--provider', provider, '--api-key', SECRET, '--base-url', sandbox.baseUrl(provider).replace(sandboxHost, `api.rebind.test:${proxyPort}`)]
  const dns = (images: string) => ({
    NODE_OPTIONS: `--import ${FAKE_DNS}`,
    NB_TEST_DNS_ANSWERS: JSON.stringify({ 'api.rebind.test': ['127.0.0.1'], 'images.rebind.test': [images] }),
  })
  const downloads = () => sandbox.requests.filter((r) => r.operation === 'download').length

  it.each([
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
  ])('images.rebind.test resolving to %s: refused (%s), nothing downloaded, the task id kept', async (address, range) => {
    const before = downloads()
    const out = join(dir, `refused-${address}`)
    const r = await run(['generate', 'a banana', ...flags(), '--out', out], dns(address))
    expect(r.code, r.stderr).toBe(1)
    expect(r.stderr).toContain(`images.rebind.test (resolves to ${address}): not a public address (${range})`)
    expect(r.stderr).toMatch(/nano-banana wait \S+/)
    expect(r.stderr).not.toContain(SECRET)
    expect(downloads()).toBe(before)
    await expect(readdir(out)).resolves.toHaveLength(0)
  })

  it('--allow-result-host images.rebind.test: the same result is saved (one download)', async () => {
    const before = downloads()
    const out = join(dir, 'allowed')
    const r = await run(['generate', 'a banana', ...flags(), '--allow-result-host', 'images.rebind.test', '--out', out], dns('127.0.0.1'))
    expect(r.code, r.stderr).toBe(0)
    expect(await readdir(out)).toHaveLength(1)
    expect(downloads()).toBe(before + 1)
  })
})
