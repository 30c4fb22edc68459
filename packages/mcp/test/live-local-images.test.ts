// Live mode (no --sandbox) with local reference images: a provider that takes image bytes receives the file
// as a data: URL in its create request; a URL-only provider refuses the file by name before any request.
// The "live" providers are a started sandbox reached through a recording proxy, named by <ID>_BASE_URL as a
// user would, so the server's live path runs (in process, over the MCP SDK's in-memory transport).
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { renderImage, startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { providerIds, providers, takesImageData } from '@nano-banana/sdk'
import { startTestServer, type TestServer } from '@nano-banana/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRegistry } from '../src/registry.js'
import { registerTools } from '../src/tools.js'

const SECRET = `sk-live-${randomBytes(12).toString('hex')}`
// The synchronous ones answer at once; which providers take bytes comes from their meta.
const byteTaker = providerIds.find((id) => takesImageData(providers[id]) && providers[id].synchronous)
const urlOnly = providerIds.find((id) => !takesImageData(providers[id]))
const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding'])

let sandbox: Sandbox
let proxy: TestServer
let dir: string
let client: Client
let close: () => Promise<void>
let bytes: Buffer
let picture: string

const textOf = (result: CallToolResult) =>
  result.content
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('\n')
const call = (args: Record<string, unknown>) => client.callTool({ name: 'edit_image', arguments: { prompt: 'Make it yellow', ...args } }) as Promise<CallToolResult>

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: SECRET, taskDurationMs: 50, imageLongSide: 32 })
  proxy = await startTestServer({
    handle: (request) =>
      fetch(`${sandbox.url}${request.url}`, {
        method: request.method,
        headers: Object.entries(request.headers).flatMap(([name, value]) =>
          HOP_BY_HOP.has(name) || value === undefined ? [] : [[name, String(value)] as [string, string]],
        ),
        ...(request.bytes.length ? { body: new Uint8Array(request.bytes) } : {}),
      }),
  })
  dir = await mkdtemp(join(tmpdir(), 'nb-mcp-live-'))
  bytes = renderImage({ prompt: 'reference', seed: 'mcp-live', index: 0, width: 8, height: 8, format: 'png' })
  picture = join(dir, 'reference.webp') // named webp, is a PNG: the bytes decide
  await writeFile(picture, bytes)
  const env = Object.fromEntries(
    [byteTaker!, urlOnly!].flatMap((id) => [
      [providers[id].envKey, SECRET],
      [providers[id].baseUrlEnvKey, sandbox.baseUrl(id).replace(sandbox.url, proxy.url)],
    ]),
  )
  const registry = createRegistry({ sandbox: false, provider: byteTaker!, env })
  const server = new McpServer({ name: 'nano-banana', version: '0.0.0' }, { capabilities: { tools: {}, resources: {}, logging: {} } })
  const tools = registerTools(server, {
    registry,
    outDir: join(dir, 'out'),
    maxInlineBytes: 1024 * 1024,
    maxImageBytes: 1024 * 1024,
    waitSeconds: 20,
    log: () => {},
  })
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  await server.connect(serverSide)
  client = new Client({ name: 'nano-banana-mcp-test', version: '0.0.0' })
  await client.connect(clientSide)
  close = async () => {
    await client.close()
    await server.close()
    await tools.close()
    await registry.close()
  }
})
afterAll(async () => {
  await close?.()
  await Promise.all([sandbox?.close(), proxy?.close()])
  await rm(dir, { recursive: true, force: true })
})

describe('live mode, local reference images', () => {
  it('the providers split into byte takers and URL-only ones (from their meta)', () => {
    expect(byteTaker).toBeDefined()
    expect(urlOnly).toBeDefined()
  })

  it(`${byteTaker}: a local file (path or file:// URL) reaches the create request as its bytes, typed by them`, async () => {
    for (const image of [picture, pathToFileURL(picture).href]) {
      const from = proxy.requests.length
      const result = await call({ images: [image], provider: byteTaker })
      expect(result.isError, textOf(result)).toBeFalsy()
      const creates = proxy.requests.slice(from).filter((r) => r.method === 'POST' && r.path.startsWith(`/${byteTaker}/`))
      expect(creates).toHaveLength(1)
      const sent = creates[0]!.text
      // The data: URL (OpenAI-style providers) or the bare base64 part (Google's inline data): the file's bytes either way.
      expect(sent).toContain(bytes.toString('base64'))
      expect(sent).not.toContain(picture)
      expect(sent).not.toContain('image/webp')
    }
    // Nothing was hosted: a live server serves no files.
    expect(sandbox.requests.some((r) => r.path.startsWith('/uploads/'))).toBe(false)
  })

  it(`${urlOnly}: a local file is a tool error naming the provider, and no request is made`, async () => {
    const before = proxy.requests.length
    const submissions = sandbox.submissions()
    const result = await call({ images: [picture], provider: urlOnly })
    expect(result.isError).toBe(true)
    expect(textOf(result)).toContain(`${urlOnly} takes reference images as public http(s) URLs only`)
    expect(textOf(result)).toContain(byteTaker)
    expect(textOf(result)).not.toContain(SECRET)
    expect(proxy.requests.length).toBe(before)
    expect(sandbox.submissions()).toBe(submissions)
  })

  it('a file that is no image is refused by its bytes before any request', async () => {
    const page = join(dir, 'page.png')
    await writeFile(page, '<!doctype html><script>alert(1)</script>')
    const before = proxy.requests.length
    const result = await call({ images: [page], provider: byteTaker })
    expect(result.isError).toBe(true)
    expect(textOf(result)).toContain('not a PNG, JPEG, WebP or GIF')
    expect(proxy.requests.length).toBe(before)
  })

  it('the images field says which providers take local files', async () => {
    const { tools } = await client.listTools()
    const images = (tools.find((t) => t.name === 'edit_image')!.inputSchema.properties as Record<string, { description?: string }>).images!
    expect(images.description).toContain(byteTaker)
    expect(images.description).toMatch(/local file/)
    expect(images.description).not.toMatch(new RegExp(`\\b${urlOnly}\\b`))
  })
})
