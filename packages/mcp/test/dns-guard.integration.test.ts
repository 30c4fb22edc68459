// The MCP server's clients fetch through the DNS guard: a result URL (or a reference image URL an agent
// passes) whose public-looking name resolves to this machine is refused before any connection, with the
// task id kept; the sandbox's own loopback results are still saved. The "live" provider is a started sandbox
// behind a proxy that renames its host in its answers; the process's `dns.lookup` answers the test's names.
// In `pnpm test:integration`: each generate waits for the client's first poll.
import { randomBytes } from 'node:crypto'
import dns from 'node:dns'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { providerIds, providers } from '@nano-banana/sdk'
import { startTestServer, type TestServer } from '@nano-banana/testkit'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createRegistry } from '../src/registry.js'
import { registerTools } from '../src/tools.js'

const SECRET = `sk-guard-${randomBytes(12).toString('hex')}`
/** A provider whose results are URLs (a task provider), and one that reads reference URLs into bytes itself. */
const taskProvider = providerIds.find((id) => !providers[id].synchronous)!
const byteReader = providerIds.find((id) => providers[id].inlineReferenceImages)
const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding'])
const ANSWERS: Record<string, string> = { 'api.rebind.test': '127.0.0.1', 'images.rebind.test': '127.0.0.1', 'refs.rebind.test': '127.0.0.1' }

let sandbox: Sandbox
let proxy: TestServer
let dir: string
const closers: (() => Promise<void>)[] = []

const textOf = (result: CallToolResult) =>
  result.content
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('\n')

/** An MCP client connected in process to a server on `registry`, saving under `out`. */
async function connectServer(registry: ReturnType<typeof createRegistry>, out: string): Promise<Client> {
  const server = new McpServer({ name: 'nano-banana', version: '0.0.0' }, { capabilities: { tools: {}, resources: {}, logging: {} } })
  const tools = registerTools(server, { registry, outDir: out, maxInlineBytes: 1024 * 1024, maxImageBytes: 1024 * 1024, waitSeconds: 20, log: () => {} })
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  await server.connect(serverSide)
  const client = new Client({ name: 'nano-banana-mcp-test', version: '0.0.0' })
  await client.connect(clientSide)
  closers.push(async () => {
    await client.close()
    await server.close()
    await tools.close()
    await registry.close()
  })
  return client
}

beforeAll(async () => {
  // The system resolver as the guard calls it (`dns.lookup` on the module), answering the test's names.
  const system = dns.lookup
  vi.spyOn(dns, 'lookup').mockImplementation(((hostname: string, options: unknown, callback?: unknown) => {
    const address = ANSWERS[hostname]
    if (!address) return (system as (...args: unknown[]) => void)(hostname, options, callback)
    const done = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all
    process.nextTick(() => (all ? done(null, [{ address, family: 4 }]) : done(null, address, 4)))
  }) as typeof dns.lookup)
  sandbox = await startSandbox({ apiKey: SECRET, taskDurationMs: 50, imageLongSide: 32 })
  const port = new URL(sandbox.url).port
  proxy = await startTestServer({
    handle: async (request) => {
      const upstream = await fetch(`${sandbox.url}${request.url}`, {
        method: request.method,
        headers: Object.entries(request.headers).flatMap(([name, value]) =>
          HOP_BY_HOP.has(name) || value === undefined ? [] : [[name, String(value)] as [string, string]],
        ),
        ...(request.bytes.length ? { body: new Uint8Array(request.bytes) } : {}),
      })
      const text = (await upstream.text()).replaceAll(sandbox.url, `http://images.rebind.test:${port}`)
      return { status: upstream.status, headers: { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }, body: text }
    },
  })
  dir = await mkdtemp(join(tmpdir(), 'nb-mcp-guard-'))
})
afterAll(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
  vi.restoreAllMocks()
  await Promise.all([sandbox?.close(), proxy?.close()])
  await rm(dir, { recursive: true, force: true })
})

const liveEnv = (ids: readonly string[]) =>
  Object.fromEntries(
    ids.flatMap((id) => {
      const p = providers[id as keyof typeof providers]
      return [
        [p.envKey, SECRET],
        [p.baseUrlEnvKey, sandbox.baseUrl(p.id).replace(sandbox.url, proxy.url.replace('127.0.0.1', 'api.rebind.test'))],
      ]
    }),
  )
const downloads = () => sandbox.requests.filter((r) => r.operation === 'download').length

describe('MCP server: the DNS guard', () => {
  it(`${taskProvider}: a result URL whose name resolves to 127.0.0.1 is refused, nothing downloaded, the task id in the answer`, async () => {
    const out = join(dir, 'live')
    const client = await connectServer(createRegistry({ sandbox: false, provider: taskProvider, env: liveEnv([taskProvider]) }), out)
    const before = downloads()
    const result = (await client.callTool({ name: 'generate_image', arguments: { prompt: 'a banana', provider: taskProvider } })) as CallToolResult
    expect(result.isError).toBe(true)
    expect(textOf(result)).toContain('images.rebind.test (resolves to 127.0.0.1): not a public address (loopback)')
    expect(textOf(result)).toMatch(/^task_id: \S+/m)
    expect(textOf(result)).not.toContain(SECRET)
    expect(downloads()).toBe(before)
    await expect(readdir(out)).resolves.toHaveLength(0)
  })

  it('a reference image URL whose name resolves to 127.0.0.1 is refused before the provider is called', async () => {
    expect(byteReader, 'a provider that reads reference URLs into bytes').toBeDefined()
    const client = await connectServer(createRegistry({ sandbox: false, provider: byteReader!, env: liveEnv([byteReader!]) }), join(dir, 'refs'))
    const before = proxy.requests.length
    const result = (await client.callTool({
      name: 'edit_image',
      arguments: { prompt: 'make it yellow', provider: byteReader, images: [`http://refs.rebind.test:${new URL(sandbox.url).port}/r.png`] },
    })) as CallToolResult
    expect(result.isError).toBe(true)
    expect(textOf(result)).toContain('refs.rebind.test (resolves to 127.0.0.1): not a public address (loopback)')
    expect(proxy.requests.length).toBe(before)
  })

  it('sandbox mode: results on the sandbox`s loopback host are still saved', async () => {
    const out = join(dir, 'sandbox')
    const client = await connectServer(createRegistry({ sandbox: true, provider: taskProvider, sandboxTaskMs: 50 }), out)
    const result = (await client.callTool({ name: 'generate_image', arguments: { prompt: 'a banana', provider: taskProvider } })) as CallToolResult
    expect(result.isError, textOf(result)).toBeFalsy()
    expect(textOf(result)).toMatch(/^status: succeeded$/m)
    expect(await readdir(out)).toHaveLength(1)
  })
})
