// The README's main-job command, as written in the root package.json, writes a valid image.
import { execFile } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { imageInfo } from '@nano-banana/testkit'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../../..')

describe('pnpm demo', () => {
  it('writes a PNG with the 16:9 aspect ratio and prints its path', async () => {
    await rm(join(root, 'out'), { recursive: true, force: true })
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$|^TURBO_/.test(k)))
    const { stdout } = await promisify(execFile)('pnpm', ['run', '--silent', 'demo'], {
      cwd: root,
      env: { ...env, TURBO_TELEMETRY_DISABLED: '1' },
      timeout: 120_000,
    })
    const path = stdout
      .trim()
      .split('\n')
      .filter((l) => l.endsWith('.png'))
      .at(-1)
    expect(path).toMatch(/^out\/.+\.png$/)
    const { format, width, height } = imageInfo(await readFile(join(root, path!)))
    expect(format).toBe('png')
    expect(width / height).toBeCloseTo(16 / 9, 1)
  }, 150_000)
})
