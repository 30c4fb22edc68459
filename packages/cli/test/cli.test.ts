// The CLI as a user runs it: a spawned `node dist/bin.js`, real output, real exit codes.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from './helpers.js'

const SECRET = 'sk-cli-test-secret-4f9a2b7c'

/** Width and height from a PNG's IHDR or a JPEG's SOF marker. */
function dimensions(bytes: Buffer): { type: string; width: number; height: number } {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { type: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    for (let i = 2; i < bytes.length; ) {
      const marker = bytes[i + 1]!
      const length = bytes.readUInt16BE(i + 2)
      if (marker >= 0xc0 && marker <= 0xc2) return { type: 'jpeg', height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) }
      i += 2 + length
    }
  }
  throw new Error('not a PNG or JPEG')
}

let sandbox: Sandbox
let out: string
const env = () => ({ EVOLINK_API_KEY: SECRET, EVOLINK_BASE_URL: sandbox.baseUrl('evolink') })

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: SECRET, taskDurationMs: 300 })
  out = await mkdtemp(join(tmpdir(), 'nb-cli-'))
})
afterAll(async () => {
  await sandbox.close()
  await rm(out, { recursive: true, force: true })
})

describe('nano-banana generate', () => {
  it('without a key, runs on the embedded sandbox, says so in one line, and writes a real image with the requested aspect ratio', async () => {
    const dir = join(out, 'demo')
    const r = await run(['generate', 'a nano banana', '--provider', 'evolink', '--aspect', '16:9', '--out', dir])
    expect(r.code).toBe(0)
    expect(r.stderr.split('\n').filter((l) => l.includes('embedded offline sandbox'))).toHaveLength(1)
    const files = await readdir(dir)
    expect(files).toHaveLength(1)
    expect(r.stdout.trim()).toBe(join(dir, files[0]!))
    const image = dimensions(await readFile(join(dir, files[0]!)))
    expect(image.type).toBe('png')
    expect(image.width / image.height).toBeCloseTo(16 / 9, 1)
  })

  it('--json prints a parseable summary, JPEG when asked, with the task id', async () => {
    const dir = join(out, 'json')
    const r = await run(['generate', 'a red cube', '--provider', 'aivideoapi', '--aspect', '9:16', '--format', 'jpeg', '--json', '--out', dir], {
      AIVIDEOAPI_API_KEY: SECRET,
      AIVIDEOAPI_BASE_URL: sandbox.baseUrl('aivideoapi'),
    })
    expect(r.code).toBe(0)
    const summary = JSON.parse(r.stdout) as { taskId: string; provider: string; files: string[] }
    expect(summary.provider).toBe('aivideoapi')
    expect(summary.taskId).toMatch(/\S/)
    const image = dimensions(await readFile(summary.files[0]!))
    expect(image.type).toBe('jpeg')
    expect(image.height / image.width).toBeCloseTo(16 / 9, 1)
  })

  it('with a key, uses the configured API and never prints the key', async () => {
    const before = sandbox.submissions('evolink')
    const r = await run(['generate', 'a lighthouse', '--provider', 'evolink', '--out', join(out, 'keyed')], env())
    expect(r.code).toBe(0)
    expect(sandbox.submissions('evolink')).toBe(before + 1)
    expect(r.stderr).not.toContain('embedded')
    expect(r.stdout + r.stderr).not.toContain(SECRET)
  })

  it('rejects a bad aspect ratio in one line listing the allowed values, exit 1, nothing sent', async () => {
    const before = sandbox.submissions()
    const r = await run(['generate', 'x', '--provider', 'evolink', '--aspect', '7:3', '--out', join(out, 'bad')], env())
    expect(r.code).toBe(1)
    const lines = r.stderr.trim().split('\n')
    expect(lines.at(-1)).toMatch(/^error: .*aspectRatio "7:3" is not supported; allowed: auto, 1:1/)
    expect(sandbox.submissions()).toBe(before)
  })

  it('reports a failed task in one line with its task id, exit 1', async () => {
    sandbox.faults.add({ provider: 'evolink', phase: 'submit', fault: 'task-fail' })
    const r = await run(['generate', 'x', '--provider', 'evolink', '--out', join(out, 'failed')], env())
    expect(r.code).toBe(1)
    const error = r.stderr.split('\n').find((l) => l.startsWith('error: '))
    expect(error).toMatch(/task task-unified-\S+ failed/)
    expect(r.stdout + r.stderr).not.toContain(SECRET)
  })

  it('rejects an unknown provider with exit 1', async () => {
    const r = await run(['generate', 'x', '--provider', 'nope'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/unknown provider "nope"; choose one of: aivideoapi, crun, evolink, odkkk, uniall/)
  })
})

describe('nano-banana status / wait', () => {
  it('without a key, says which variable is missing, exit 1', async () => {
    const r = await run(['status', 'task-unified-1-x', '--provider', 'evolink'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^error: EVOLINK_API_KEY is not set/)
  })

  it('resumes a task submitted elsewhere: status, then wait saves the image', async () => {
    const created = await fetch(`${sandbox.baseUrl('evolink')}/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gemini-3-pro-image-preview', prompt: 'resume me' }),
    })
    const { id } = (await created.json()) as { id: string }
    const status = await run(['status', id, '--provider', 'evolink', '--json'], env())
    expect(status.code).toBe(0)
    expect(['queued', 'running', 'succeeded']).toContain((JSON.parse(status.stdout) as { status: string }).status)
    const dir = join(out, 'resumed')
    const waited = await run(['wait', id, '--provider', 'evolink', '--out', dir], env())
    expect(waited.code).toBe(0)
    expect(await readdir(dir)).toEqual([`${id}-1.png`])
  })
})

describe('nano-banana providers', () => {
  it('prints the capability matrix', async () => {
    const r = await run(['providers'])
    expect(r.code).toBe(0)
    for (const id of ['odkkk', 'evolink', 'crun', 'uniall', 'aivideoapi']) expect(r.stdout).toContain(`| ${id} |`)
  })

  it('usage errors exit 2', async () => {
    const r = await run(['generate'])
    expect(r.code).toBe(2)
  })
})
