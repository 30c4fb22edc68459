// Spawning the CLI as a user runs it: `node dist/bin.js`, a clean environment (no provider keys or
// base URLs from the machine), real output and exit codes.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { join } from 'node:path'
import { startSandbox, type Sandbox, type SandboxOptions } from '@nano-banana/sandbox'
import { afterAll } from 'vitest'

export const BIN = join(import.meta.dirname, '../dist/bin.js')

export interface Run {
  code: number | null
  stdout: string
  stderr: string
}

export function cleanEnv(env: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$|_BASE_URL$/.test(k)))
  return { ...clean, ...env }
}

export function run(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** A running CLI whose output can be awaited line by line. */
export interface Live {
  child: ChildProcessWithoutNullStreams
  output(): string
  /** Resolves once the combined output matches. */
  until(pattern: RegExp): Promise<RegExpMatchArray>
  done: Promise<Run>
}

export function start(command: string, args: string[], env: Record<string, string | undefined> = {}): Live {
  const child = spawn(command, args, { env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = []
  const check = () => {
    for (const waiter of [...waiters]) {
      const match = (stdout + stderr).match(waiter.pattern)
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(match)
      }
    }
  }
  child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), check()))
  child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), check()))
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
  return {
    child,
    output: () => stdout + stderr,
    until: (pattern) =>
      new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve })
        check()
        void done.then(() => reject(new Error(`exited before ${pattern}: ${stdout + stderr}`)))
      }),
    done,
  }
}

/**
 * Sandboxes for a file whose tests run concurrently: `fresh()` starts one (a few ms once the first is up),
 * so a test that counts submissions or queues a fault owns its numbers; all are closed after the file.
 */
export function useSandboxes(options: SandboxOptions): { fresh(): Promise<Sandbox> } {
  const started: Sandbox[] = []
  afterAll(async () => {
    await Promise.all(started.splice(0).map((sandbox) => sandbox.close()))
  })
  return {
    async fresh() {
      const sandbox = await startSandbox(options)
      started.push(sandbox)
      return sandbox
    },
  }
}
