// `nano-banana batch` as users run it: exit codes, what is printed, and that bad input submits nothing.
import { readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { Queue } from 'bullmq'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { adapter, images, provider, tempDir } from './helpers/fixtures.js'
import { cleanEnv, runCli } from './helpers/processes.js'

const KEY = 'sk-queue-cli-secret-51c0'
let sandbox: Sandbox
let dir: string
let env: NodeJS.ProcessEnv
const redisUrl = inject('redisUrl')

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, taskDurationMs: 200 })
  env = cleanEnv({ [adapter.envKey]: KEY, [adapter.baseUrlEnvKey]: sandbox.baseUrl(provider) })
  dir = await tempDir('cli')
})
afterAll(async () => {
  await sandbox?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const lines = (...values: unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n') + '\n'

describe('nano-banana batch: input errors', () => {
  const badFile = async (name: string) => {
    const path = join(dir, name)
    await writeFile(path, lines({ id: 'a', prompt: 'x' }, { id: 'b', prompt: 'y' }, '', { id: 'a', prompt: 'again' }))
    return path
  }

  it('a bad line: a clear error naming the line, exit 2, nothing submitted, no journal', async () => {
    const path = await badFile('dup.jsonl')
    const out = join(dir, 'dup-out')
    const run = runCli(['batch', path, '--provider', provider, '--out', out], env)
    expect((await run.exited).code).toBe(2)
    expect(run.lines.join('\n')).toContain(`${path}:4: duplicate id "a" (first on line 1)`)
    expect(sandbox.submissions(provider)).toBe(0)
    expect(await readdir(out).catch(() => [])).toEqual([])
  })

  it('with --redis: exit 2 and nothing enqueued', async () => {
    const path = await badFile('dup-redis.jsonl')
    const queueName = `cli-bad-${process.pid}`
    const run = runCli(['batch', path, '--redis', redisUrl, '--queue', queueName], env)
    expect((await run.exited).code).toBe(2)
    expect(run.lines.join('\n')).toContain(':4: duplicate id')
    const queue = new Queue(queueName, { connection: { url: redisUrl } })
    try {
      expect(await queue.count()).toBe(0)
    } finally {
      await queue.close()
    }
  })

  it('a job the provider cannot do: exit 2 before anything is submitted', async () => {
    const path = join(dir, 'unsupported.jsonl')
    await writeFile(path, lines({ id: 'a', prompt: 'x' }, { id: 'b', prompt: 'y', model: 'not-a-model-of-anyone' }))
    const run = runCli(['batch', path, '--provider', provider, '--out', join(dir, 'unsupported-out')], env)
    expect((await run.exited).code).toBe(2)
    expect(run.lines.join('\n')).toMatch(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: job "b": `))
    expect(sandbox.submissions(provider)).toBe(0)
  })
})

describe('nano-banana batch: results', () => {
  it('exit 1 when a job failed, listed with its error; the others are saved; the key is never printed', async () => {
    const path = join(dir, 'mixed.jsonl')
    await writeFile(path, lines({ id: 'doomed', prompt: 'x' }, { id: 'fine', prompt: 'y' }))
    const out = join(dir, 'mixed-out')
    sandbox.faults.add({ provider, phase: 'submit', fault: 'task-fail' })
    const run = runCli(['batch', path, '--provider', provider, '--out', out, '--concurrency', '1'], env)
    expect((await run.exited).code).toBe(1)
    const stdout = run.stdout.join('\n')
    expect(stdout).toMatch(/^done 1\/2, failed 1, ambiguous 0, resumed 0, submissions 2, already done 0$/m)
    expect(stdout).toMatch(/^ {2}doomed \(task \S+\): (TaskFailedError|ContentPolicyError): /m)
    expect(await images(out)).toEqual(['fine'])
    expect([...run.lines, ...run.stdout].join('\n')).not.toContain(KEY)
  })
})
