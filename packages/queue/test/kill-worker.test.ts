// Test A: BullMQ on a real redis-server. A worker is SIGKILLed while it holds accepted, unfinished tasks;
// another worker retakes the stalled jobs and resumes their tasks: every image once, every task paid once.
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Queue } from 'bullmq'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { images, provider, providerEnv, tempDir, writeJobs } from './helpers/fixtures.js'
import { freezeWhenRecorded, runCli, startSandboxProcess, type Proc, type SandboxProcess } from './helpers/processes.js'

const JOBS = 20
const CONCURRENCY = 5
const redisUrl = inject('redisUrl')
let sandbox: SandboxProcess
let dir: string
const procs: Proc[] = []

beforeAll(async () => {
  sandbox = await startSandboxProcess({ durationMs: 500 })
  dir = await tempDir('bullmq')
})
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')))
  await sandbox?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('nano-banana worker on BullMQ', () => {
  it('a worker killed with SIGKILL mid-way, another started: 20 images, exactly 20 submissions', async () => {
    const { path, ids } = await writeJobs(dir, JOBS)
    const out = join(dir, 'out')
    const queueName = `kill-test-${process.pid}`
    const env = providerEnv(sandbox)
    // Short locks so a dead worker's jobs are retaken within seconds (BullMQ's default is 30 s).
    const workerArgs = [
      'worker',
      '--redis',
      redisUrl,
      '--queue',
      queueName,
      '--provider',
      provider,
      '--out',
      out,
      '--concurrency',
      String(CONCURRENCY),
      '--lock-duration',
      '3000',
      '--stalled-interval',
      '1000',
    ]
    const started = Date.now()

    const producer = runCli(['batch', path, '--redis', redisUrl, '--queue', queueName, '--json'], env)
    procs.push(producer)
    const first = runCli(workerArgs, env)
    procs.push(first)
    // Kill when some jobs are done and every lane holds a task id stored in its job: accepted,
    // unfinished tasks, and no submit in flight whose id Redis does not have yet.
    const inFlight = () => first.count('submitted ') - first.count('done ') - first.count('failed ')
    await freezeWhenRecorded(first, sandbox, provider, () => first.count('done ') >= 3 && inFlight() === CONCURRENCY)
    first.child.kill('SIGKILL')
    expect((await first.exited).signal).toBe('SIGKILL')
    const killedAt = Date.now()
    const doneByFirst = first.count('done ')

    const second = runCli(workerArgs, env)
    procs.push(second)
    const { code } = await producer.exited
    expect(code, producer.lines.join('\n')).toBe(0)
    const summary = JSON.parse(producer.stdout.join('\n')) as { done: number; failed: number; resumed: number; submissions: number }
    expect(summary).toMatchObject({ done: JOBS, failed: 0 })
    // The jobs the dead worker had accepted were resumed, not resubmitted.
    expect(summary.resumed).toBeGreaterThan(0)
    expect(second.count('resumed ')).toBe(summary.resumed)
    expect(summary.submissions + summary.resumed).toBe(JOBS)

    expect(await images(out)).toEqual(ids)
    expect(await sandbox.submissions(provider)).toBe(JOBS)
    const finishedAt = Date.now()

    // Enqueueing the same file again is idempotent: nothing new runs, nothing is paid.
    const again = runCli(['batch', path, '--redis', redisUrl, '--queue', queueName, '--json'], env)
    procs.push(again)
    expect((await again.exited).code).toBe(0)
    expect(JSON.parse(again.stdout.join('\n'))).toMatchObject({ done: JOBS, failed: 0 })
    const queue = new Queue(queueName, { connection: { url: redisUrl } })
    try {
      expect(await queue.getJobCounts('completed', 'waiting', 'active', 'failed')).toEqual({ completed: JOBS, waiting: 0, active: 0, failed: 0 })
      const stored = await queue.getJob(ids[0]!)
      expect(stored?.data.taskId).toEqual(expect.any(String))
    } finally {
      await queue.close()
    }
    expect(await sandbox.submissions(provider)).toBe(JOBS)

    await second.stop('SIGTERM')
    console.info(
      `[kill-worker] killed after ${killedAt - started} ms (${doneByFirst} done by the first worker); all done after ${finishedAt - started} ms; resumed ${summary.resumed}; sandbox submissions ${JOBS}`,
    )
  })
})
