// The CLI prints no key: the built CLI runs for real against the sandbox, once succeeding and twice
// failing (a failed task, a provider quoting the key it refused), with a distinctive key in the
// environment; its output must not contain it. (The client's own redaction is tested in packages/sdk.)
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { providerIds, providers, type ProviderId } from '@nano-banana/sdk'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'

/** A key no code path could produce by accident: any hit in the output is a leak. */
const SECRET_KEY = 'sk-nbleak-7Qm2Zr9XwK4vT8pL'
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url))

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$|_BASE_URL$/.test(k)))
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...clean, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

/** Answers every request like a provider refusing the key, quoting it (in every envelope shape the providers use). */
async function echoServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const key = String(req.headers['x-api-key'] ?? req.headers.authorization ?? '')
      const message = `Invalid token ${key}`
      res.writeHead(401, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ code: 401, message, msg: message, error: { code: 'invalid_api_key', message, type: 'authentication_error' } }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

// Three providers, whichever they are: one succeeds, one fails its task, one quotes the key.
const [OK, FAILING, ECHOING] = [providerIds[0]!, providerIds[1 % providerIds.length]!, providerIds[2 % providerIds.length]!]

describe('the CLI prints no key', () => {
  it('runs the built CLI (turbo builds packages/cli before its tests)', () => {
    expect(existsSync(BIN), `${BIN} is missing: run pnpm build`).toBe(true)
  })
  let sandbox: Sandbox
  let echo: Awaited<ReturnType<typeof echoServer>>
  let out: string
  beforeAll(async () => {
    sandbox = await startSandbox({ apiKey: SECRET_KEY, taskDurationMs: 100, estimatedTimeHints: false, callbackDelayScale: 0.001, imageLongSide: 32 })
    echo = await echoServer()
    out = await mkdtemp(join(tmpdir(), 'nb-secrets-cli-'))
  })
  afterAll(async () => {
    await Promise.all([sandbox.close(), echo.close(), rm(out, { recursive: true, force: true })])
  })

  const env = (provider: ProviderId, baseUrl: string) => ({
    [providers[provider].envKey]: SECRET_KEY,
    [providers[provider].baseUrlEnvKey]: baseUrl,
  })

  it('a succeeding run, a failed task and a provider quoting the key: exit codes right, 0 hits', async () => {
    sandbox.faults.add({ provider: FAILING, phase: 'submit', fault: 'task-fail' })
    const [ok, failed, echoed] = await Promise.all([
      runCli(['generate', 'A nano banana', '--provider', OK, '--out', join(out, 'ok')], env(OK, sandbox.baseUrl(OK))),
      runCli(['generate', 'A failing banana', '--provider', FAILING, '--out', join(out, 'failed')], env(FAILING, sandbox.baseUrl(FAILING))),
      runCli(['generate', 'An echoing banana', '--provider', ECHOING, '--out', join(out, 'echo')], env(ECHOING, `${echo.url}/${ECHOING}`)),
    ])
    expect(ok.code, ok.output).toBe(0)
    expect(await readdir(join(out, 'ok'))).toHaveLength(1)
    expect(failed.code, failed.output).toBe(1)
    expect(failed.output).toMatch(/error: .*failed/)
    expect(echoed.code, echoed.output).toBe(1)
    expect(echoed.output).toMatch(/Invalid token/)
    for (const run of [ok, failed, echoed]) {
      expect(run.output).not.toContain(SECRET_KEY)
      expect(run.output).not.toContain(SECRET_KEY.slice(3))
    }
  }, 20_000)
})
