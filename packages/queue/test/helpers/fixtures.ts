import { mkdtemp, readdir, writeFile } from 'node:fs/promises'
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
export const providerEnv = (sandbox: SandboxProcess) =>
  cleanEnv({ [adapter.envKey]: sandbox.apiKey, [adapter.baseUrlEnvKey]: sandbox.baseUrl(provider) })

/** Image files in `dir` (what a job leaves when it is done). */
export async function images(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [])).filter((f) => /\.(png|jpe?g|webp)$/.test(f)).sort()
}
