import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { ProviderId } from '@nano-banana/sdk'
import { createRegistry } from './registry.js'
import { registerTools } from './tools.js'
import { version } from './version.js'

export interface ServerOptions {
  /** Serve every provider from the embedded offline sandbox (no key, no network, no credits). */
  sandbox?: boolean
  /** Provider used when a call names none. Default: the first one with a usable key (sandbox: the first one). */
  provider?: ProviderId
  /** Where images are saved. */
  outDir: string
  /** Images larger than this are returned as a file link instead of base64. */
  maxInlineBytes?: number
  /** Largest local reference image read, in bytes. */
  maxImageBytes?: number
  /** How long a call waits for its task before answering "running" with the task id. */
  waitSeconds?: number
  /** How long a sandbox task takes, in ms. */
  sandboxTaskMs?: number
  /** Log sink for one-line notes (stderr for the bin). */
  log?: (line: string) => void
}

/** 1 MiB: an inline PNG costs a third more as base64, and hosts cap the size of a tool result. */
export const DEFAULT_MAX_INLINE_BYTES = 1024 * 1024
export const DEFAULT_MAX_IMAGE_BYTES = 20 * 1024 * 1024
/** Below the 60 s request timeout many MCP clients use by default. */
export const DEFAULT_WAIT_SECONDS = 50

/** The MCP server, not yet connected to a transport; `close()` also stops the sandbox and file host. */
/**
 * What an embedder needs of the server: connect it to a transport (`StdioServerTransport`, ...). Typed
 * here rather than as the SDK's McpServer so that the published types compile without the DOM lib
 * (the MCP SDK's own declarations need it).
 */
export interface NanoBananaMcpServer {
  connect(transport: unknown): Promise<void>
  close(): Promise<void>
}

export function createNanoBananaMcpServer(options: ServerOptions): { server: NanoBananaMcpServer; close(): Promise<void> } {
  const registry = createRegistry({
    sandbox: options.sandbox ?? false,
    ...(options.provider ? { provider: options.provider } : {}),
    ...(options.sandboxTaskMs !== undefined ? { sandboxTaskMs: options.sandboxTaskMs } : {}),
  })
  const server = new McpServer(
    { name: 'nano-banana', version },
    {
      capabilities: { tools: {}, resources: {}, logging: {} },
      instructions:
        'Image generation with Nano Banana through several providers. Every accepted task has a task id: ' +
        'when a call answers "running" or is interrupted, resume with wait_task instead of generating again (that would be paid twice).',
    },
  )
  const tools = registerTools(server, {
    registry,
    outDir: options.outDir,
    maxInlineBytes: options.maxInlineBytes ?? DEFAULT_MAX_INLINE_BYTES,
    maxImageBytes: options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES,
    waitSeconds: options.waitSeconds ?? DEFAULT_WAIT_SECONDS,
    log: options.log ?? (() => undefined),
  })
  return {
    server,
    async close() {
      await server.close().catch(() => undefined)
      await tools.close()
      await registry.close()
    },
  }
}
