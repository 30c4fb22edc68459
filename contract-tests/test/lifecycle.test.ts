// The Prism lifecycle itself: servers from the global setup run in their own process groups, a spec
// Prism cannot load fails with an error naming that spec, and a Prism whose parent is SIGKILLed
// (no exit handler can run) is taken down by its watchdog.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { waitFor } from '@nano-banana/testkit'
import { describe, inject, it } from 'vitest'
import { startPrismServers } from '../src/prism.mjs'
import { PROVIDERS } from '../src/providers.mjs'
import { withFixture } from './support/fixtures.js'
import { TESTED_PROVIDERS } from './support/sample.js'

/** Alive and not a zombie (a reaped-late child still answers kill(pid, 0)). */
function alive(pid: number) {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}
const processGroup = (pid: number) =>
  Number(
    readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ')[2],
  )

describe.concurrent('prism lifecycle', () => {
  it('every Prism of the global setup answers and leads its own process group', async ({ expect }) => {
    const servers = Object.entries(inject('prism'))
    const expected = [...TESTED_PROVIDERS.map((p) => p.id), ...withFixture('proxy').map(([id]) => `proxy:${id}`)]
    expect(servers.map(([name]) => name).sort()).toEqual(expected.sort())
    for (const [, server] of servers) {
      expect(alive(server.pid!)).toBe(true)
      expect(processGroup(server.pid!)).toBe(server.pid)
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    }
    expect(inject('prismStartupMs')).toBeGreaterThan(0)
  })

  it('a spec Prism cannot load fails startup with an error naming that spec', async ({ expect }) => {
    const dir = mkdtempSync(join(tmpdir(), 'contract-broken-'))
    const broken = join(dir, 'broken.openapi.yaml')
    writeFileSync(broken, 'openapi: 3.1.0\ninfo: [this is not\n')
    try {
      const error = await startPrismServers([{ specPath: broken, timeoutMs: 20_000 }]).catch((e: Error) => e)
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toContain(broken)
      expect((error as Error).message).toMatch(/exited \(code \d+\) before answering/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a Prism whose parent is SIGKILLed dies with it (watchdog)', async ({ expect, onTestFinished }) => {
    const prismModule = pathToFileURL(join(import.meta.dirname, '../src/prism.mjs')).href
    // The helper exits when its stdin closes, so it cannot outlive this test worker either.
    const script = `import { startPrism } from ${JSON.stringify(prismModule)}
      process.stdin.on('end', () => process.exit(0)); process.stdin.resume()
      const s = await startPrism({ specPath: ${JSON.stringify(PROVIDERS[0]!.specPath)} })
      console.log(s.pid)`
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] })
    onTestFinished(() => {
      if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL')
    })
    const pid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())))
      parent.once('exit', (code) => reject(new Error(`parent exited early (${code})`)))
    })
    expect(alive(pid)).toBe(true)
    parent.kill('SIGKILL')
    await waitFor(() => !alive(pid), { timeoutMs: 5_000, intervalMs: 50, what: `prism ${pid} to exit after its SIGKILLed parent` })
  })
})
