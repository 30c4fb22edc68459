// The failure paths, in process against the sandbox: what is journaled, what a rerun does, what BullMQ
// retries. Each case counts the tasks the sandbox accepted: a job is never paid twice.
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createNanoBanana, providerIds, type NanoBananaClient } from '@nano-banana/sdk'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { Queue } from 'bullmq'
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { BatchInputError, createBatchWorker, enqueueBatch, followBatch, JOURNAL_FILE, parseJobs, runBatch, type BatchJob } from '../src/index.js'
import { images, provider, tempDir } from './helpers/fixtures.js'

const KEY = 'sk-queue-failures-secret-93ab'
let sandbox: Sandbox
let client: NanoBananaClient
let dir: string
let n = 0
const jobs = (...ids: string[]): BatchJob[] => parseJobs(ids.map((id) => JSON.stringify({ id, prompt: `prompt of ${id}` })).join('\n'))
const fresh = () => join(dir, `case-${++n}`)
// The sandbox's `task-fail` ends the task with the provider's failure shape, which some providers word as a
// content refusal: both are final (retrying would pay for the same refusal).
const FINAL = /^(TaskFailedError|ContentPolicyError)$/

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, taskDurationMs: 200 })
  client = createNanoBanana({ provider, apiKey: KEY, baseUrl: sandbox.baseUrl(provider), polling: { initialDelayMs: 50, minDelayMs: 50 } })
  dir = await tempDir('failures')
})
afterAll(async () => {
  await sandbox?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('runBatch (embedded journal)', () => {
  let base = 0
  beforeEach(() => {
    base = sandbox.submissions(provider)
  })
  const submitted = () => sandbox.submissions(provider) - base

  it('journals an ambiguous submit, reports it, and a rerun never resubmits it', async () => {
    const out = fresh()
    sandbox.faults.add({ provider, phase: 'submit', fault: 'reset-after-accept' })
    const first = await runBatch(jobs('unsure', 'fine'), { client, out, concurrency: 1 })
    expect(first).toMatchObject({ done: 1, ambiguous: 1, failed: 0, submissions: 1 })
    expect(first.failures).toEqual([{ id: 'unsure', kind: 'ambiguous', error: expect.objectContaining({ name: 'AmbiguousSubmitError' }) }])
    expect(submitted()).toBe(2) // the reset came after the sandbox created the task

    const rerun = await runBatch(jobs('unsure', 'fine'), { client, out, concurrency: 1 })
    expect(rerun).toMatchObject({ done: 1, skipped: 1, ambiguous: 1, submissions: 0, resumed: 0 })
    expect(submitted()).toBe(2)
    expect(await readFile(join(out, JOURNAL_FILE), 'utf8')).not.toContain(KEY)
  })

  it('a failed task is final: reported with its task id, not resubmitted by a rerun', async () => {
    const out = fresh()
    sandbox.faults.add({ provider, phase: 'submit', fault: 'task-fail' })
    const first = await runBatch(jobs('doomed', 'fine'), { client, out, concurrency: 1 })
    expect(first).toMatchObject({ done: 1, failed: 1, submissions: 2 })
    expect(first.failures[0]).toMatchObject({ id: 'doomed', kind: 'failed', taskId: expect.any(String), error: { name: expect.stringMatching(FINAL) } })
    const rerun = await runBatch(jobs('doomed', 'fine'), { client, out, concurrency: 1 })
    expect(rerun).toMatchObject({ done: 1, failed: 1, submissions: 0 })
    expect(submitted()).toBe(2)
    expect(await images(out)).toEqual(['fine'])
  })

  it('a refusal before acceptance (no task) is submitted again by a rerun', async () => {
    const out = fresh()
    sandbox.faults.add({ provider, phase: 'submit', fault: 'server-error' })
    const first = await runBatch(jobs('refused', 'fine'), { client, out, concurrency: 1 })
    expect(first).toMatchObject({ done: 1, failed: 1, submissions: 1 })
    expect(first.failures[0]).toMatchObject({ id: 'refused', kind: 'failed', error: { name: 'ServerError' } })
    expect(first.failures[0]!.taskId).toBeUndefined()
    const rerun = await runBatch(jobs('refused', 'fine'), { client, out, concurrency: 1 })
    expect(rerun).toMatchObject({ done: 2, failed: 0, skipped: 1, submissions: 1 })
    expect(submitted()).toBe(2)
    expect(await images(out)).toEqual(['fine', 'refused'])
  })

  it('refuses to resume a task another provider accepted, before submitting anything', async () => {
    const out = fresh()
    const other = providerIds.find((p) => p !== provider)!
    await runBatch(jobs('first'), { client, out })
    const journal = join(out, JOURNAL_FILE)
    await writeFile(
      journal,
      `${await readFile(journal, 'utf8')}${JSON.stringify({ v: 1, at: new Date().toISOString(), id: 'second', event: 'submitted', provider: other, taskId: 'elsewhere-1' })}\n`,
    )
    const before = submitted()
    await expect(runBatch(jobs('first', 'second', 'third'), { client, out })).rejects.toThrow(BatchInputError)
    await expect(runBatch(jobs('first', 'second', 'third'), { client, out })).rejects.toThrow(`accepted by ${other} as task elsewhere-1`)
    expect(submitted()).toBe(before)
  })

  it('validates every job before submitting any', async () => {
    const out = fresh()
    const bad = parseJobs([JSON.stringify({ id: 'ok', prompt: 'x' }), JSON.stringify({ id: 'bad', prompt: 'x', model: 'no-such-model' })].join('\n'), 'f.jsonl')
    await expect(runBatch(bad, { client, out, source: 'f.jsonl' })).rejects.toThrow(/^f\.jsonl:2: job "bad": /)
    expect(submitted()).toBe(0)
  })
})

describe('createBatchWorker (BullMQ)', () => {
  const connection = { url: inject('redisUrl') }

  async function runQueue(name: string, batch: BatchJob[], workerOptions: Partial<Parameters<typeof createBatchWorker>[0]> = {}) {
    const out = fresh()
    const base = sandbox.submissions(provider)
    await enqueueBatch(batch, { connection, queue: name, attempts: 3, backoffMs: 10 })
    const worker = createBatchWorker({ connection, queue: name, client, out, concurrency: 1, ...workerOptions })
    const queue = new Queue(name, { connection })
    try {
      const summary = await followBatch(
        batch.map((j) => j.id),
        { connection, queue: name },
      )
      const stored = Object.fromEntries(await Promise.all(batch.map(async (j) => [j.id, await queue.getJob(j.id)] as const)))
      return { summary, stored, submitted: sandbox.submissions(provider) - base, out }
    } finally {
      await worker.close()
      await queue.close()
    }
  }

  it('a failed task (or refused content) fails the job at once (UnrecoverableError) with its class and task id kept', async () => {
    sandbox.faults.add({ provider, phase: 'submit', fault: 'task-fail' })
    const { summary, stored, submitted } = await runQueue(`failures-task-${process.pid}`, jobs('doomed', 'fine'))
    expect(summary).toMatchObject({ done: 1, failed: 1, submissions: 1 })
    expect(summary.failures[0]).toMatchObject({ id: 'doomed', kind: 'failed', taskId: expect.any(String), error: { name: expect.stringMatching(FINAL) } })
    expect(stored.doomed!.attemptsMade).toBe(1)
    expect(stored.doomed!.failedReason).toMatch(new RegExp(`^${FINAL.source.slice(1, -1)}: `))
    expect(submitted).toBe(2)
  })

  it('an ambiguous submit fails the job at once and marks it, never resubmitted', async () => {
    sandbox.faults.add({ provider, phase: 'submit', fault: 'reset-after-accept' })
    const { summary, stored, submitted } = await runQueue(`failures-ambiguous-${process.pid}`, jobs('unsure'))
    expect(summary).toMatchObject({ done: 0, failed: 1 })
    expect(summary.failures[0], JSON.stringify([summary, stored.unsure])).toMatchObject({ id: 'unsure', kind: 'ambiguous', error: { name: 'AmbiguousSubmitError' } })
    expect(stored.unsure!.attemptsMade).toBe(1)
    expect(stored.unsure!.data.ambiguous).toMatchObject({ name: 'AmbiguousSubmitError' })
    expect(submitted).toBe(1)
  })

  it('a refusal before acceptance is retried by BullMQ and then succeeds, paid once', async () => {
    sandbox.faults.add({ provider, phase: 'submit', fault: 'server-error' })
    const { summary, stored, submitted, out } = await runQueue(`failures-retry-${process.pid}`, jobs('retried'))
    expect(summary).toMatchObject({ done: 1, failed: 0, submissions: 1 })
    expect(stored.retried!.attemptsMade).toBe(2)
    expect(submitted).toBe(1)
    expect(await images(out)).toEqual(['retried'])
  })

  it("the limiter spaces the provider's submissions across the queue", async () => {
    const { summary, stored, submitted } = await runQueue(`failures-limiter-${process.pid}`, jobs('l1', 'l2', 'l3'), {
      concurrency: 3,
      limiter: { max: 1, duration: 400 },
    })
    expect(summary).toMatchObject({ done: 3, failed: 0, submissions: 3 })
    expect(submitted).toBe(3)
    // When each job started (BullMQ's processedOn, set as the limiter lets it become active): at most one
    // start per 400 ms window, although three could run at once. The sandbox's arrival times would add
    // each job's own start-up delay, which a loaded machine makes uneven.
    const started = Object.values(stored)
      .map((job) => job?.processedOn ?? Number.NaN)
      .sort((a, b) => a - b)
    expect(started).toHaveLength(3)
    for (let i = 1; i < started.length; i++) expect(started[i]! - started[i - 1]!).toBeGreaterThanOrEqual(380)
  })
})
