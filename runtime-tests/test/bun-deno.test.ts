// Bun and Deno from their npm packages: each runs src/save-every-provider.ts from source against a
// sandbox started here, in Node, and saves a real image from every provider.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { extname, join } from 'node:path'
import { providerIds } from '@nano-banana/sdk'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeImage } from '../src/images.js'
import { RUNTIMES, refusedUrl, run } from '../src/runtimes.js'

let sandbox: Sandbox
const dirs: string[] = []

beforeAll(async () => {
  sandbox = await startSandbox({ taskDurationMs: 50 })
})
afterAll(async () => {
  await sandbox?.close()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' }

describe.each(Object.entries(RUNTIMES))('%s', (runtime, { bin, args }) => {
  it('reports its version (the npm package brought a working binary)', async () => {
    const { code, stdout } = await run(bin, ['--version'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/\d+\.\d+\.\d+/)
  })

  it('generate() for every provider saves a real image with @nano-banana/sdk/node; a refused connection is "nothing was submitted"', async () => {
    const outDir = mkdtempSync(join(tmpdir(), `nb-${runtime}-`))
    dirs.push(outDir)
    const config = { baseUrls: sandbox.baseUrls(), apiKey: sandbox.apiKey, runtime, outDir, refusedUrl: await refusedUrl() }
    const { code, stdout, stderr } = await run(bin, [...args('src/save-every-provider.ts'), JSON.stringify(config)])
    expect(code, stderr).toBe(0)
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      saved: { provider: string; ok: boolean; taskId?: string; files?: string[]; error?: string }[]
      refused: string
      throughCore: { provider: string; ok: boolean; taskId?: string; byteLength?: number; error?: string }[]
    }
    expect(report.saved.map((s) => s.provider)).toEqual([...providerIds])
    for (const entry of report.saved) {
      expect(entry, JSON.stringify(entry)).toMatchObject({ ok: true })
      expect(entry.files!.length).toBeGreaterThan(0)
      for (const file of entry.files!) {
        expect(file.startsWith(join(outDir, entry.provider))).toBe(true)
        const type = TYPES[extname(file)]
        expect(type, file).toBeDefined()
        expect(decodeImage(readFileSync(file), type!).width).toBeGreaterThan(0)
      }
      expect(sandbox.tasks.get(entry.provider as never, entry.taskId!)?.prompt).toBe(`a nano banana in ${runtime}`)
    }
    expect(report.refused).toMatch(/^ConnectionError: .*nothing was submitted/)
    // `/core` + `lazy/<id>`: the engine and each adapter loaded through the runtime's import() of the built modules.
    expect(report.throughCore.map((s) => s.provider)).toEqual([...providerIds])
    for (const entry of report.throughCore) {
      expect(entry, JSON.stringify(entry)).toMatchObject({ ok: true })
      expect(entry.byteLength).toBeGreaterThan(0)
      expect(sandbox.tasks.get(entry.provider as never, entry.taskId!)?.prompt).toBe(`a nano banana through core in ${runtime}`)
    }
  })
})
