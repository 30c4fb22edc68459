import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { providerIds, type ProviderId } from '@nano-banana/sdk'
import { Command, InvalidArgumentError, Option } from 'commander'
import { version } from './version.js'
import { createNanoBananaMcpServer, DEFAULT_MAX_IMAGE_BYTES, DEFAULT_MAX_INLINE_BYTES, DEFAULT_WAIT_SECONDS, type ServerOptions } from './server.js'

const positive = (name: string) => (value: string) => {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`)
  return n
}

/** Reads the command line into server options (commander prints --help and refuses bad values). */
export function parseArgs(argv: readonly string[]): ServerOptions {
  const program = new Command('nano-banana-mcp')
    .description('MCP server (stdio) for Nano Banana image generation through any supported provider')
    .addOption(new Option('--provider <id>', 'provider used when a call names none').choices(providerIds))
    .option('--sandbox', 'serve every provider from the embedded offline sandbox (no key, no network, no credits)')
    .option('--out <dir>', 'where images are saved', join(tmpdir(), 'nano-banana-mcp'))
    .option('--max-inline-bytes <n>', 'larger images are returned as a file link instead of base64', positive('--max-inline-bytes'), DEFAULT_MAX_INLINE_BYTES)
    .option('--max-image-bytes <n>', 'largest local reference image read', positive('--max-image-bytes'), DEFAULT_MAX_IMAGE_BYTES)
    .option('--wait-seconds <s>', 'how long a call waits before answering "running" with the task id', positive('--wait-seconds'), DEFAULT_WAIT_SECONDS)
    .option('--sandbox-task-ms <ms>', 'how long a sandbox task takes', positive('--sandbox-task-ms'))
    .helpOption('-h, --help')
    .version(version)
    .exitOverride()
  program.parse(argv, { from: 'node' })
  const o = program.opts<{
    provider?: ProviderId
    sandbox?: boolean
    out: string
    maxInlineBytes: number
    maxImageBytes: number
    waitSeconds: number
    sandboxTaskMs?: number
  }>()
  return {
    ...(o.provider ? { provider: o.provider } : {}),
    sandbox: o.sandbox ?? false,
    outDir: resolve(o.out),
    maxInlineBytes: o.maxInlineBytes,
    maxImageBytes: o.maxImageBytes,
    waitSeconds: o.waitSeconds,
    ...(o.sandboxTaskMs !== undefined ? { sandboxTaskMs: o.sandboxTaskMs } : {}),
  }
}

/** Runs the server on stdin/stdout until the client closes stdin (or SIGINT/SIGTERM). Logs go to stderr. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: ServerOptions
  try {
    options = parseArgs(argv)
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode
    return typeof code === 'number' ? code : 2
  }
  const log = (line: string) => process.stderr.write(`nano-banana-mcp: ${line}\n`)
  const { server, close } = createNanoBananaMcpServer({ ...options, log })
  const transport = new StdioServerTransport()
  let closing: Promise<void> | undefined
  const stop = () => (closing ??= close())
  const stopped = new Promise<void>((done) => {
    for (const event of ['SIGINT', 'SIGTERM'] as const) process.once(event, () => void stop().then(done))
    process.stdin.once('end', () => void stop().then(done))
    process.stdin.once('close', () => void stop().then(done))
  })
  await server.connect(transport)
  log(`ready (${options.sandbox ? 'sandbox: offline' : 'live'}, images saved to ${options.outDir})`)
  await stopped
  return 0
}
