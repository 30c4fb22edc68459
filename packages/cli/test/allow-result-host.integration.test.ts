// `--allow-result-host` end to end. Against the sandbox reached as http://0.0.0.0 (not loopback by name, so
// its 127.0.0.1 result URLs are refused as they would be from a real provider), the download is refused
// without the flag and saved with it, by `wait` (resuming the refused task) and by `generate`.
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { providerIds, providers } from '@nano-banana/sdk'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from './helpers.js'

const SECRET = 'sk-cli-result-host-81d4'
/** A provider whose results are URLs (a task provider), not inline bytes. */
const provider = providerIds.find((id) => !providers[id].synchronous)!

describe('--allow-result-host lets result images come from the host', () => {
  let sandbox: Sandbox
  let dir: string
  beforeAll(async () => {
    sandbox = await startSandbox({ apiKey: SECRET, taskDurationMs: 50, imageLongSide: 32 })
    dir = await mkdtemp(join(tmpdir(), 'nb-cli-result-host-'))
  })
  afterAll(async () => {
    await sandbox?.close()
    await rm(dir, { recursive: true, force: true })
  })

  // 0.0.0.0 reaches this machine's listeners without being a loopback name: the sandbox looks like a remote API.
  const flags = () => ['--provider', provider, '--api-key', SECRET, '--base-url', sandbox.baseUrl(provider).replace('127.0.0.1', '0.0.0.0')]

  it('without the flag the 127.0.0.1 result is refused; `wait` with it saves the same task, and so does generate', async () => {
    const refusedOut = join(dir, 'refused')
    const refused = await run(['generate', 'a banana', ...flags(), '--out', refusedOut])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/127\.0\.0\.1 is a loopback host/)
    const taskId = /nano-banana wait (\S+)/.exec(refused.stderr)?.[1]
    expect(taskId).toBeDefined()
    const downloads = () => sandbox.requests.filter((r) => r.operation === 'download' && r.status === 200).length
    const before = downloads()

    const waited = await run(['wait', taskId!, ...flags(), '--allow-result-host', '127.0.0.1', '--out', join(dir, 'waited'), '--json'])
    expect(waited.code, waited.stderr).toBe(0)
    expect((JSON.parse(waited.stdout) as { files: string[] }).files).toHaveLength(1)
    expect(await readdir(join(dir, 'waited'))).toHaveLength(1)

    const generated = await run(['generate', 'a banana', ...flags(), '--allow-result-host', '127.0.0.1', '--out', join(dir, 'generated')])
    expect(generated.code, generated.stderr).toBe(0)
    expect(await readdir(join(dir, 'generated'))).toHaveLength(1)
    expect(downloads()).toBe(before + 2)
  })
})
