// The CLI as a user runs it: a spawned `node dist/bin.js`, real output, real exit codes.
// The suites run concurrently (each CLI run mostly waits for its first poll): a test that counts
// submissions or queues a fault gets a sandbox of its own, so that no other test's run can touch its numbers.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Sandbox } from '@nano-banana/sandbox'
import { createNanoBanana, providerIds, providers, type ProviderId } from '@nano-banana/sdk'
import { imageInfo, once, waitFor } from '@nano-banana/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { BIN, run, useSandboxes } from './helpers.js'

const SECRET = 'sk-cli-test-secret-4f9a2b7c'

const dimensions = (bytes: Buffer) => imageInfo(bytes)

/** The first provider whose default model can do all of `aspects` (and `format`, when given). */
function providerFor(aspects: string[], format?: string): ProviderId {
  const found = providerIds.find((id) => {
    const model = providers[id].models[providers[id].defaultModel]
    return (
      model &&
      aspects.every((a) => (model.aspectRatios as readonly string[]).includes(a)) &&
      (!format || (model.outputFormats as readonly string[]).includes(format))
    )
  })
  if (!found) throw new Error(`no provider's default model does ${aspects.join(', ')} ${format ?? ''}`)
  return found
}

// Chosen by capability: the PNG tests need 16:9 and PNG on the default model, the JSON test 9:16 as JPEG.
const MAIN = providerFor(['16:9'], 'png')
const JPEG = providerFor(['9:16'], 'jpeg')
const envOf = (id: ProviderId, on: Sandbox = sandbox) => ({ [providers[id].envKey]: SECRET, [providers[id].baseUrlEnvKey]: on.baseUrl(id) })

const sandboxes = useSandboxes({ apiKey: SECRET, taskDurationMs: 300 })
/** Shared by the tests that neither count submissions nor queue faults. */
let sandbox: Sandbox
let out: string
const env = (on: Sandbox = sandbox) => envOf(MAIN, on)

beforeAll(async () => {
  sandbox = await sandboxes.fresh()
  out = await mkdtemp(join(tmpdir(), 'nb-cli-'))
})
afterAll(async () => {
  await rm(out, { recursive: true, force: true })
})

describe.concurrent('nano-banana generate', () => {
  it('without a key, runs on the embedded sandbox, says so in one line, and writes a real image with the requested aspect ratio', async () => {
    const dir = join(out, 'demo')
    const r = await run(['generate', 'a nano banana', '--provider', MAIN, '--aspect', '16:9', '--format', 'png', '--out', dir])
    expect(r.code).toBe(0)
    expect(r.stderr.split('\n').filter((l) => l.includes('embedded offline sandbox'))).toHaveLength(1)
    const files = await readdir(dir)
    expect(files).toHaveLength(1)
    expect(r.stdout.trim()).toBe(join(dir, files[0]!))
    const image = dimensions(await readFile(join(dir, files[0]!)))
    expect(image.format).toBe('png')
    expect(image.width / image.height).toBeCloseTo(16 / 9, 1)
  })

  it('--json prints a parseable summary, JPEG when asked, with the task id', async () => {
    const dir = join(out, 'json')
    const r = await run(['generate', 'a red cube', '--provider', JPEG, '--aspect', '9:16', '--format', 'jpeg', '--json', '--out', dir], envOf(JPEG))
    expect(r.code).toBe(0)
    const summary = JSON.parse(r.stdout) as { taskId: string; provider: string; files: string[] }
    expect(summary.provider).toBe(JPEG)
    expect(summary.taskId).toMatch(/\S/)
    const image = dimensions(await readFile(summary.files[0]!))
    expect(image.format).toBe('jpeg')
    expect(image.height / image.width).toBeCloseTo(16 / 9, 1)
  })

  it('a synchronous provider on the embedded sandbox: its inline images are saved as files, and --json lists them without data: URLs', async () => {
    const sync = providerIds.find((id) => providers[id].synchronous && providers[id].models[providers[id].defaultModel]!.maxN >= 2)!
    const dir = join(out, 'inline')
    const r = await run(['generate', 'a nano banana', '--provider', sync, '--sandbox', '--n', '2', '--json', '--out', dir])
    expect(r.code, r.stderr).toBe(0)
    const summary = JSON.parse(r.stdout) as { provider: string; files: string[]; images: { inline?: boolean; url?: string; bytes?: number }[] }
    expect(summary.provider).toBe(sync)
    expect(summary.files).toHaveLength(2)
    for (const [i, file] of summary.files.entries()) {
      const bytes = await readFile(file)
      expect(dimensions(bytes).format).toBe('png')
      expect(summary.images[i]).toEqual({ inline: true, contentType: 'image/png', bytes: bytes.byteLength })
    }
    expect(r.stdout).not.toContain('data:image')
  })

  it('with a key, uses the configured API and never prints the key', async () => {
    const own = await sandboxes.fresh()
    const r = await run(['generate', 'a lighthouse', '--provider', MAIN, '--out', join(out, 'keyed')], env(own))
    expect(r.code).toBe(0)
    expect(own.submissions(MAIN)).toBe(1)
    expect(r.stderr).not.toContain('embedded')
    expect(r.stdout + r.stderr).not.toContain(SECRET)
  })

  it('rejects a bad aspect ratio in one line listing the allowed values, exit 1, nothing sent', async () => {
    const own = await sandboxes.fresh()
    const r = await run(['generate', 'x', '--provider', MAIN, '--aspect', '7:3', '--out', join(out, 'bad')], env(own))
    expect(r.code).toBe(1)
    const lines = r.stderr.trim().split('\n')
    const allowed = providers[MAIN].models[providers[MAIN].defaultModel]!.aspectRatios.join(', ')
    expect(lines.at(-1)).toContain(`aspectRatio "7:3" is not supported; allowed: ${allowed}`)
    expect(lines.at(-1)).toMatch(/^error: /)
    expect(own.submissions()).toBe(0)
    expect(own.requests).toHaveLength(0)
  })

  it('reports a failed task in one line with its task id, exit 1', async () => {
    const own = await sandboxes.fresh()
    own.faults.add({ provider: MAIN, phase: 'submit', fault: 'task-fail' })
    const r = await run(['generate', 'x', '--provider', MAIN, '--out', join(out, 'failed')], env(own))
    expect(r.code).toBe(1)
    const error = r.stderr.split('\n').find((l) => l.startsWith('error: '))
    expect(error).toMatch(/task \S+ failed/)
    expect(r.stdout + r.stderr).not.toContain(SECRET)
  })

  it('rejects an unknown provider with exit 1', async () => {
    const r = await run(['generate', 'x', '--provider', 'nope'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`unknown provider "nope"; choose one of: ${providerIds.join(', ')}`)
  })
})

describe.concurrent('nano-banana status / wait', () => {
  it('without a key, says which variable is missing, exit 1', async () => {
    const r = await run(['status', 'task-1-x', '--provider', MAIN])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(new RegExp(`^error: ${providers[MAIN].envKey} is not set`))
  })

  it('resumes a task submitted elsewhere: status, then wait saves the image', async () => {
    // Submitted by another client (another process in real life): only the task id reaches the CLI.
    const elsewhere = createNanoBanana({ provider: MAIN, apiKey: SECRET, baseUrl: sandbox.baseUrl(MAIN) })
    const { taskId: id } = await elsewhere.submit({ prompt: 'resume me', outputFormat: 'png' })
    const status = await run(['status', id, '--provider', MAIN, '--json'], env())
    expect(status.code).toBe(0)
    expect(['queued', 'running', 'succeeded']).toContain((JSON.parse(status.stdout) as { status: string }).status)
    const dir = join(out, 'resumed')
    const waited = await run(['wait', id, '--provider', MAIN, '--out', dir], env())
    expect(waited.code).toBe(0)
    expect(await readdir(dir)).toEqual([`${id}-1.png`])
  })
})

describe.concurrent('nano-banana providers', () => {
  it('prints the capability matrix', async () => {
    const r = await run(['providers'])
    expect(r.code).toBe(0)
    for (const id of providerIds) expect(r.stdout).toContain(`| ${id} |`)
  })

  it('--json lists every provider of the manifest', async () => {
    const r = await run(['providers', '--json'])
    expect(r.code).toBe(0)
    const listed = JSON.parse(r.stdout) as unknown
    expect(JSON.stringify(listed)).toSatisfy((text: string) => providerIds.every((id) => text.includes(`"${id}"`)))
  })

  it('usage errors exit 2', async () => {
    const r = await run(['generate'])
    expect(r.code).toBe(2)
  })
})

describe.concurrent('default provider', () => {
  it('without --provider, uses the first provider whose key is set', async () => {
    const id = providerIds.at(-1)!
    const own = await sandboxes.fresh()
    const r = await run(['generate', 'which provider', '--json', '--out', join(out, 'default')], envOf(id, own))
    expect(r.code).toBe(0)
    expect((JSON.parse(r.stdout) as { provider: string }).provider).toBe(id)
    expect(own.submissions(id)).toBe(1)
  })

  it('with no key set, the first provider of the manifest on the sandbox, and the help says so', async () => {
    const r = await run(['generate', 'which provider', '--json', '--out', join(out, 'default-none')])
    expect(r.code).toBe(0)
    expect((JSON.parse(r.stdout) as { provider: string }).provider).toBe(providerIds[0])
    const help = await run(['generate', '--help'])
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(`${providerIds.join(' | ')} (default: the first provider whose API key is set, else ${providerIds[0]})`)
  })
})

describe.concurrent('nano-banana sandbox', () => {
  it("runs the sandbox package's foreground runner: every provider's URL, answers, stops on SIGTERM", async () => {
    const child = spawn(process.execPath, [BIN, 'sandbox', '--port', '0', '--duration', '1'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const exited = once<number | null>(child, 'exit', { timeoutMs: 20_000 })
    try {
      await waitFor(() => providerIds.every((id) => new RegExp(`\\b${id}\\s+http://`).test(stdout)), {
        timeoutMs: 20_000,
        what: 'the sandbox URLs',
        context: () => ({ stdout, stderr }),
      })
      const apiKey = /API key: (\S+)\)/.exec(stdout)![1]!
      const id = providerIds[0]!
      const baseUrl = new RegExp(`\\b${id}\\s+(http://\\S+)`).exec(stdout)![1]!
      const task = await createNanoBanana({ provider: id, apiKey, baseUrl }).submit({ prompt: 'foreground' })
      expect(task.taskId).toMatch(/\S/)
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
    expect(stderr).toContain('sandbox stopped')
  }, 30_000)
})
