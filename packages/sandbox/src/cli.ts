import { PROVIDERS } from './providers/index.js'
import { startSandbox, type Sandbox } from './server.js'
import { PROVIDER_IDS, type SandboxOptions } from './types.js'

/** Flags of options a provider's file declares under an older name (`fooBar` -> `--foo-bar`), still accepted. */
const LEGACY_FLAGS = new Map<string, string>(
  PROVIDER_IDS.flatMap((id) =>
    Object.entries(PROVIDERS[id].legacyOptions ?? {}).map(([legacy, generic]) => [`--${legacy.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, generic] as const),
  ),
)

/** The lines a foreground sandbox prints: where it listens, the key, and each provider's base URL. */
export function describeSandbox(sandbox: Sandbox): string {
  const width = Math.max(...PROVIDER_IDS.map((id) => id.length))
  return [`Nano Banana sandbox on ${sandbox.url} (API key: ${sandbox.apiKey})`, ...PROVIDER_IDS.map((id) => `  ${id.padEnd(width)}  ${sandbox.baseUrl(id)}`)].join(
    '\n',
  )
}

const USAGE = `Usage: nano-banana-sandbox [--port N] [--host H] [--key KEY] [--duration-ms N] [--image-long-side N] [--http-status-errors] [--allow-external-callbacks]

Runs every provider's sandbox API in the foreground until Ctrl+C.`

export interface CliIo {
  out: (line: string) => void
  err: (line: string) => void
}

/** Parses the CLI flags into sandbox options; throws on an unknown flag or a bad number. */
export function parseSandboxArgs(argv: readonly string[]): SandboxOptions & { help?: boolean } {
  const options: SandboxOptions & { help?: boolean } = {}
  const number = (flag: string, value: string | undefined): number => {
    const parsed = Number(value)
    if (value === undefined || !Number.isInteger(parsed) || parsed < 0) throw new Error(`${flag} needs a whole number, got "${value ?? ''}"`)
    return parsed
  }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    const next = (): string | undefined => argv[++i]
    if (flag === '--help' || flag === '-h') options.help = true
    else if (flag === '--port') options.port = number(flag, next())
    else if (flag === '--host') options.host = next() ?? '127.0.0.1'
    else if (flag === '--key') options.apiKey = next() ?? ''
    else if (flag === '--duration-ms') options.taskDurationMs = number(flag, next())
    else if (flag === '--image-long-side') options.imageLongSide = number(flag, next())
    else if (flag === '--http-status-errors' || LEGACY_FLAGS.get(flag) === 'httpStatusErrors') options.httpStatusErrors = true
    else if (flag === '--allow-external-callbacks') options.allowExternalCallbacks = true
    else throw new Error(`unknown option ${flag}\n${USAGE}`)
  }
  return options
}

/**
 * Runs the sandbox in the foreground: starts it, prints each provider's base URL, and closes it on SIGINT or
 * SIGTERM. Resolves with the running sandbox (or undefined after `--help`).
 */
export async function runSandboxCli(
  argv: readonly string[] = process.argv.slice(2),
  io: CliIo = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) },
): Promise<Sandbox | undefined> {
  const { help, ...options } = parseSandboxArgs(argv)
  if (help) {
    io.out(USAGE)
    return undefined
  }
  const sandbox = await startSandbox(options)
  io.out(describeSandbox(sandbox))
  io.out('Press Ctrl+C to stop.')
  const close = sandbox.close.bind(sandbox)
  const stop = (): void => {
    void sandbox.close().then(() => io.err('sandbox stopped'))
  }
  // Closing by hand (an embedding CLI, a test) also drops the signal handlers.
  sandbox.close = () => {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    return close()
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  return sandbox
}
