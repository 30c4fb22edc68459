// The CLI's edges, spawned as a user runs it: every error path exits (the embedded sandbox closed),
// Ctrl-C restores the terminal and prints a resume command that works, hints are CLI commands,
// --api-key/--base-url, every provider's variables in the help, `providers --json`, `--version`.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { providerIds, providers } from '@nano-banana/sdk'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN, run, start } from './helpers.js'

const SECRET = 'sk-cli-polish-secret-7d1e'
const provider = providerIds[1]!
const { envKey, baseUrlEnvKey } = providers[provider]

let quick: Sandbox
/** Tasks that take long enough to be interrupted (and then finish, for the resume). */
let slow: Sandbox
let out: string

beforeAll(async () => {
  quick = await startSandbox({ apiKey: SECRET, taskDurationMs: 200 })
  slow = await startSandbox({ apiKey: SECRET, taskDurationMs: 4000 })
  out = await mkdtemp(join(tmpdir(), 'nb-cli-polish-'))
})
afterAll(async () => {
  await Promise.all([quick.close(), slow.close()])
  await rm(out, { recursive: true, force: true })
})

describe('error paths exit', () => {
  it('generate --image ./missing.png prints the error and exits 2 before the embedded sandbox starts', async () => {
    const r = await run(['generate', 'x', '--provider', provider, '--image', './missing.png', '--out', join(out, 'missing')])
    expect(r.code).toBe(2)
    expect(r.stderr).not.toContain('embedded offline sandbox')
    expect(r.stderr.trim().split('\n').at(-1)).toBe('error: --image ./missing.png: no such file')
  })

  it('a local --image with a real provider that takes URLs only is refused, exit 2, nothing submitted', async () => {
    const before = quick.submissions()
    const r = await run(['generate', 'x', '--provider', provider, '--image', './ref.png'], { [envKey]: SECRET, [baseUrlEnvKey]: quick.baseUrl(provider) })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error: --image \.\/ref\.png: .*public http\(s\) URL/m)
    expect(quick.submissions()).toBe(before)
  })
})

describe('--api-key and --base-url', () => {
  it('generate and status use them without any variable, and never print the key', async () => {
    const before = quick.submissions(provider)
    const flags = ['--provider', provider, '--api-key', SECRET, '--base-url', quick.baseUrl(provider)]
    const r = await run(['generate', 'a flagged banana', ...flags, '--json', '--out', join(out, 'flags')])
    expect(r.code, r.stderr).toBe(0)
    expect(quick.submissions(provider)).toBe(before + 1)
    expect(r.stderr).not.toContain('embedded')
    const { taskId } = JSON.parse(r.stdout) as { taskId: string }
    const status = await run(['status', taskId, ...flags, '--json'])
    expect(status.code).toBe(0)
    expect(JSON.parse(status.stdout)).toMatchObject({ taskId, status: 'succeeded' })
    expect(r.stdout + r.stderr + status.stdout + status.stderr).not.toContain(SECRET)
  })

  it('--api-key wins over the variable', async () => {
    const r = await run(['status', 'nope', '--provider', provider, '--api-key', 'sk-wrong-key', '--base-url', quick.baseUrl(provider)], { [envKey]: SECRET })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^error: .*(key|auth|401)/im)
    expect(r.stderr).not.toContain('sk-wrong-key')
  })
})

describe('Ctrl-C and resume hints', () => {
  const env = () => ({ [envKey]: SECRET, [baseUrlEnvKey]: slow.baseUrl(provider) })

  it('SIGINT while waiting: exit 130 and a resume command with --provider that then saves the image', async () => {
    const cli = start(process.execPath, [BIN, 'generate', 'interrupt me', '--provider', provider, '--out', join(out, 'interrupted')], env())
    const [, taskId] = await cli.until(/task (\S+) submitted/)
    cli.child.kill('SIGINT')
    const r = await cli.done
    expect(r.code).toBe(130)
    const resume = `nano-banana wait ${taskId} --provider ${provider}`
    expect(r.stderr).toContain(resume)
    expect(r.stderr).not.toMatch(/wait\("/)
    // The hint, run as printed (plus where to save), finishes the same task: nothing resubmitted.
    const submissions = slow.submissions(provider)
    const dir = join(out, 'resumed')
    const resumed = await run([...resume.split(' ').slice(1), '--out', dir], env())
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(await readdir(dir)).toHaveLength(1)
    expect(slow.submissions(provider)).toBe(submissions)
  })

  it('Ctrl-C on a terminal (a pty through `script`): the cursor the progress bar hid is shown again, exit 130', async () => {
    const command = [process.execPath, BIN, 'generate', 'tty banana', '--provider', provider, '--out', join(out, 'tty')].map((a) => `'${a}'`).join(' ')
    const cli = start('script', ['-qfec', command, '/dev/null'], env())
    await cli.until(/submitted/)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for the terminal's hide-cursor escape
    await cli.until(/\u001b\[\?25l/)
    cli.child.stdin.write('\u0003')
    const r = await cli.done
    expect(r.code).toBe(130)
    const output = r.stdout + r.stderr
    expect(output.lastIndexOf('\u001b[?25h')).toBeGreaterThan(output.lastIndexOf('\u001b[?25l'))
    expect(output).toContain(`--provider ${provider}`)
  })

  it('a wait that times out names the CLI command that resumes it', async () => {
    const r = await run(['generate', 'too slow', '--provider', provider, '--timeout', '1', '--out', join(out, 'timeout')], env())
    expect(r.code).toBe(1)
    const taskId = /task (\S+) submitted/.exec(r.stderr)?.[1]
    expect(taskId).toBeDefined()
    expect(r.stderr).toContain(`nano-banana wait ${taskId} --provider ${provider}`)
    expect(r.stderr).not.toMatch(/wait\("/)
  })
})

describe('help, providers --json, --version', () => {
  it('the help documents every provider key and base-URL variable', async () => {
    for (const args of [['--help'], ['generate', '--help'], ['wait', '--help']]) {
      const r = await run(args)
      expect(r.code).toBe(0)
      for (const adapter of Object.values(providers)) {
        expect(r.stdout).toContain(adapter.envKey)
        expect(r.stdout).toContain(adapter.baseUrlEnvKey)
      }
      if (args[0] !== '--help') expect(r.stdout).toMatch(/--api-key <key>[\s\S]*--base-url <url>/)
    }
  })

  it('providers --json: one entry per model, lists as arrays', async () => {
    const r = await run(['providers', '--json'])
    expect(r.code).toBe(0)
    const rows = JSON.parse(r.stdout) as { provider: string; id: string; aspectRatios: unknown; resolutions: unknown; outputFormats: unknown }[]
    expect(rows).toHaveLength(Object.values(providers).reduce((n, a) => n + Object.keys(a.models).length, 0))
    expect(new Set(rows.map((row) => row.provider))).toEqual(new Set(providerIds))
    for (const row of rows) {
      const model = providers[row.provider as (typeof providerIds)[number]].models[row.id]!
      expect(row.aspectRatios).toEqual([...model.aspectRatios])
      expect(row.resolutions).toEqual([...model.resolutions])
      expect(row.outputFormats).toEqual([...model.outputFormats])
    }
  })

  it('--version is the version in package.json', async () => {
    const { version } = JSON.parse(await readFile(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string }
    const r = await run(['--version'])
    expect([r.code, r.stdout.trim()]).toEqual([0, version])
  })
})
