import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { providerIds, providers } from '@nano-banana/sdk'
import { cleanEnv, type SandboxProcess } from './processes.js'

/** Every test runs against one provider from the SDK's own list; the batch code is provider-neutral. */
export const provider = providerIds[0]!
export const adapter = providers[provider]

export const tempDir = (prefix: string) => mkdtemp(join(tmpdir(), `nb-queue-${prefix}-`))

/** `count` jobs with distinct ids and prompts, written as JSON lines. */
export async function writeJobs(dir: string, count: number): Promise<{ path: string; ids: string[] }> {
  const ids = Array.from({ length: count }, (_, i) => `job-${String(i + 1).padStart(2, '0')}`)
  const path = join(dir, 'jobs.jsonl')
  await writeFile(path, ids.map((id, i) => JSON.stringify({ id, prompt: `a nano banana, picture ${i + 1}` })).join('\n') + '\n')
  return { path, ids }
}

/** The provider's key and base URL pointing at the sandbox process. */
export const providerEnv = (sandbox: SandboxProcess) => cleanEnv({ [adapter.envKey]: sandbox.apiKey, [adapter.baseUrlEnvKey]: sandbox.baseUrl(provider) })

/**
 * The job ids that left an image in `dir` (`<id>.<ext>`); the extension is whatever format the provider
 * returns by default, so it is not part of the comparison.
 */
export async function images(dir: string): Promise<string[]> {
  const files = (await readdir(dir).catch(() => [])).filter((f) => /\.(png|jpe?g|webp)$/.test(f))
  for (const file of files) {
    // A whole image, not a stub or a half-written file: the format's signature is at the start.
    const head = (await readFile(join(dir, file))).subarray(0, 8)
    const png = head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    const jpeg = head[0] === 0xff && head[1] === 0xd8
    if (!png && !jpeg) throw new Error(`${file} is not a PNG or JPEG`)
  }
  return files.map((f) => f.replace(/\.[a-z]+$/, '')).sort()
}
