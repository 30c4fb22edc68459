// Real processes for the tests: redis-server, the sandbox's own bin, and the nano-banana CLI.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const here = import.meta.dirname
export const CLI_BIN = join(here, '../../../cli/dist/bin.js')
export const SANDBOX_BIN = join(here, '../../../sandbox/dist/bin.js')

/** A free loopback port (the OS picks it; released just before use). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** A spawned process with its output split into lines, and a way to wait for a line condition. */
export class Proc {
  readonly lines: string[] = []
  readonly stdout: string[] = []
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  private waiters: { test: () => boolean; resolve: () => void }[] = []

  constructor(readonly child: ChildProcess) {
    const watch = (stream: NodeJS.ReadableStream | null, into: string[]) => {
      if (!stream) return
      createInterface({ input: stream }).on('line', (line) => {
        into.push(line)
        if (into !== this.lines) this.lines.push(line)
        this.waiters = this.waiters.filter((w) => (w.test() ? (w.resolve(), false) : true))
      })
    }
    watch(child.stderr, this.lines)
    watch(child.stdout, this.stdout)
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  }

  /** Resolves when `test()` holds after some output line; rejects if the process exits first. */
  waitFor(test: () => boolean, what: string): Promise<void> {
    if (test()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      this.waiters.push({ test, resolve })
      void this.exited.then(({ code, signal }) => {
        if (!test()) reject(new Error(`process exited (${code ?? signal}) before ${what}; output:\n${this.lines.join('\n')}`))
      })
    })
  }

  count(prefix: string): number {
    return this.lines.filter((l) => l.startsWith(prefix)).length
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal)
    await this.exited
  }
}

export function spawnProc(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Proc {
  return new Proc(spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }))
}

/** The environment without any provider key or base URL of the developer's shell. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$|_BASE_URL$/.test(k)))
  return { ...clean, ...extra }
}

export function runCli(args: string[], env: NodeJS.ProcessEnv): Proc {
  return spawnProc(process.execPath, [CLI_BIN, ...args], env)
}

export interface RedisServer {
  url: string
  stop(): Promise<void>
}

/** redis-server on a free loopback port, no persistence, in a temp dir. */
export async function startRedis(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'nb-redis-'))
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const proc = spawnProc('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir])
    try {
      await proc.waitFor(() => proc.stdout.some((l) => l.includes('Ready to accept connections')), 'redis-server was ready')
      return {
        url: `redis://127.0.0.1:${port}`,
        stop: async () => {
          await proc.stop('SIGTERM')
          await rm(dir, { recursive: true, force: true })
        },
      }
    } catch (error) {
      // Another process may have taken the port between the probe and the bind: try another one.
      await proc.stop('SIGKILL')
      if (attempt >= 3) throw error
    }
  }
}

export interface SandboxProcess {
  url: string
  apiKey: string
  baseUrl(provider: string): string
  /** Tasks the sandbox accepted (its own counter, read over HTTP). */
  submissions(provider: string): Promise<number>
  stop(): Promise<void>
}

/** The sandbox in its own process (`nano-banana-sandbox --port 0`), so no test process shares its state. */
export async function startSandboxProcess(options: { durationMs: number; apiKey?: string }): Promise<SandboxProcess> {
  const apiKey = options.apiKey ?? 'sk-queue-test-key-7d1e'
  const proc = spawnProc(process.execPath, [SANDBOX_BIN, '--port', '0', '--duration-ms', String(options.durationMs), '--key', apiKey])
  let url = ''
  await proc.waitFor(() => {
    const match = proc.stdout.map((l) => /sandbox on (http:\/\/\S+)/.exec(l)).find(Boolean)
    if (match) url = match[1]!
    return url !== ''
  }, 'the sandbox printed its URL')
  const root = async () => (await (await fetch(`${url}/`)).json()) as { providers: Record<string, string>; submissions: Record<string, number> }
  const { providers } = await root()
  return {
    url,
    apiKey,
    baseUrl: (provider) => providers[provider]!,
    submissions: async (provider) => (await root()).submissions[provider] ?? 0,
    stop: () => proc.stop('SIGTERM'),
  }
}

/**
 * Freezes `proc` (SIGSTOP) at a moment when `ready()` holds and every task the sandbox accepted from it
 * has been reported by it (so recorded in its journal or job): no submit whose answer it has not
 * recorded is on the wire. A frozen process sends nothing new, so the two counts can be compared at
 * leisure; when they do not agree (a submit was in flight), it is resumed and the next chance awaited.
 */
export async function freezeWhenRecorded(proc: Proc, sandbox: SandboxProcess, provider: string, ready: () => boolean): Promise<void> {
  for (let chance = 0; chance < 100; chance++) {
    await proc.waitFor(ready, 'the kill condition')
    proc.child.kill('SIGSTOP')
    // The counts settle within milliseconds (output already written, requests already served); the
    // bound only decides when to give this chance up.
    const until = Date.now() + 1000
    while (Date.now() < until) {
      if ((await sandbox.submissions(provider)) === proc.count('submitted ')) return
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    proc.child.kill('SIGCONT')
  }
  throw new Error('never found a moment with every accepted task recorded')
}
