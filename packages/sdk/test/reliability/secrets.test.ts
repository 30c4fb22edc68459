// Secrets: the API key never reaches an error (message, toString, toJSON, stack, cause chain, body), a log
// line or the CLI's output. The fault matrix searches every error it provokes; here: the search itself is
// checked, a provider that echoes the key back is redacted at the client's one choke point, and the CLI
// is run for real against the sandbox, once succeeding and twice failing.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '@nano-banana/sandbox'
import { createNanoBanana, NanoBananaError, providers, redactSecrets, type ProviderId } from '../../src/index.js'
import { fastSandbox, leaks, PROVIDERS, SECRET_KEY, serveHandler, type LocalHttp } from './support.js'

describe('the leak search finds a key wherever it hides', () => {
  it('message, body, cause chain, a plain-object cause, a custom field', () => {
    const inner = new Error(`upstream said ${SECRET_KEY}`)
    const cases: unknown[] = [
      new NanoBananaError(`bad key ${SECRET_KEY}`),
      new NanoBananaError('ok', { body: { error: { message: [`key=${SECRET_KEY}`] } } }),
      new NanoBananaError('ok', { cause: new Error('wrapper', { cause: inner }) }),
      new NanoBananaError('ok', { cause: { headers: { authorization: `Bearer ${SECRET_KEY}` } } }),
      Object.assign(new Error('ok'), { request: { headers: new Headers({ 'x-api-key': SECRET_KEY }) } }),
    ]
    for (const error of cases) expect(leaks([error], SECRET_KEY).length, String(error)).toBeGreaterThan(0)
  })

  it('redactSecrets removes it from all of those (except opaque objects such as Headers)', () => {
    const cases = [
      new NanoBananaError(`bad key ${SECRET_KEY}`, { suggestion: `rotate ${SECRET_KEY}` }),
      new NanoBananaError('ok', { body: { error: { message: [`key=${SECRET_KEY}`] } } }),
      new NanoBananaError('ok', { cause: new Error('wrapper', { cause: new Error(`upstream said ${SECRET_KEY}`) }) }),
      new NanoBananaError('ok', { cause: { headers: { authorization: `Bearer ${SECRET_KEY}` } } }),
    ]
    for (const error of cases) expect(leaks([redactSecrets(error, [SECRET_KEY])], SECRET_KEY), String(error)).toEqual([])
    expect(redactSecrets(new NanoBananaError(`k ${SECRET_KEY}`), [SECRET_KEY]).message).toBe('k [redacted]')
  })
})

describe('a provider that echoes the key back', () => {
  let echo: LocalHttp
  /** Answers like a provider refusing the key, quoting it in the message, the body and a header. */
  beforeAll(async () => {
    echo = await serveHandler(async (request) => {
      const key = request.headers.get('x-api-key') ?? request.headers.get('authorization')?.replace(/^Bearer /, '') ?? ''
      const url = new URL(request.url)
      if (url.searchParams.get('mode') === 'ok-unreadable' || url.pathname.includes('unreadable')) {
        return new Response(`<html>accepted for ${key}</html>`, { status: 200, headers: { 'content-type': 'text/html' } })
      }
      return Response.json(
        { code: 401, message: `Invalid API key ${key}`, msg: `Invalid API key ${key}`, error: { code: 'invalid_api_key', message: `Key ${key} is invalid`, type: 'authentication_error' } },
        { status: 401, headers: { 'x-echo': key } },
      )
    })
  })
  afterAll(() => echo.close())

  it.each(PROVIDERS)('%s: submit, getTask and wait errors carry no key', async (provider) => {
    const nb = createNanoBanana({ provider, apiKey: SECRET_KEY, baseUrl: `${echo.url}/${provider}`, retry: { submit: { maxRetries: 0 }, poll: { maxRetries: 0 } } })
    const errors = [
      await nb.submit({ prompt: 'echo' }).catch((e: unknown) => e),
      await nb.getTask('task-unified-1').catch((e: unknown) => e),
      await nb.wait('task-unified-1', { timeoutMs: 200 }).catch((e: unknown) => e),
    ]
    for (const error of errors) expect(error).toBeInstanceOf(NanoBananaError)
    // Without the choke point the adapter's error would carry it (so the test means something)...
    const raw = providers[provider].parseError(401, { message: `Invalid API key ${SECRET_KEY}`, error: { message: `Key ${SECRET_KEY}` } }, new Headers())
    expect(leaks([raw], SECRET_KEY).length).toBeGreaterThan(0)
    // ...while what the client throws carries none.
    expect(leaks(errors, SECRET_KEY)).toEqual([])
    expect(String((errors[0] as NanoBananaError).message)).toContain('[redacted]')
  })

  it('an unreadable 2xx that quotes the key: AmbiguousSubmitError without it', async () => {
    const nb = createNanoBanana({ provider: 'evolink', apiKey: SECRET_KEY, baseUrl: `${echo.url}/unreadable` })
    const error = await nb.submit({ prompt: 'echo' }).catch((e: unknown) => e)
    expect((error as Error).name).toBe('AmbiguousSubmitError')
    expect(leaks([error], SECRET_KEY)).toEqual([])
  })
})

// The CLI as a user runs it: `node packages/cli/dist/bin.js` with the key in the environment.
const BIN = fileURLToPath(new URL('../../../cli/dist/bin.js', import.meta.url))

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

describe('the CLI prints no key', () => {
  it('runs the built CLI (turbo builds packages/cli before this suite)', () => {
    expect(existsSync(BIN), `${BIN} is missing: run pnpm build`).toBe(true)
  })
  let sandbox: Sandbox
  let echo: LocalHttp
  let out: string
  beforeAll(async () => {
    sandbox = await fastSandbox({ taskDurationMs: 100 })
    echo = await serveHandler(async (request) =>
      Response.json({ error: { code: 401, message: `Invalid token ${request.headers.get('authorization')}`, type: 'authentication_error' } }, { status: 401 }),
    )
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
    sandbox.faults.add({ provider: 'crun', phase: 'submit', fault: 'task-fail' })
    const [ok, failed, echoed] = await Promise.all([
      runCli(['generate', 'A nano banana', '--provider', 'evolink', '--out', join(out, 'ok')], env('evolink', sandbox.baseUrl('evolink'))),
      runCli(['generate', 'A failing banana', '--provider', 'crun', '--out', join(out, 'failed')], env('crun', sandbox.baseUrl('crun'))),
      runCli(['generate', 'An echoing banana', '--provider', 'odkkk', '--out', join(out, 'echo')], env('odkkk', `${echo.url}/odkkk`)),
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
