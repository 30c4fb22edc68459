// Test B: the embedded journal. The batch process is SIGKILLed while tasks are accepted and unfinished,
// then the same command is run again: every image exactly once, every task paid exactly once.
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JOURNAL_FILE, jobStates, replayJournal } from '../src/index.js'
import { images, provider, providerEnv, tempDir, writeJobs } from './helpers/fixtures.js'
import { freezeWhenRecorded, runCli, startSandboxProcess, type SandboxProcess } from './helpers/processes.js'

const JOBS = 20
const CONCURRENCY = 5
let sandbox: SandboxProcess
let dir: string

beforeAll(async () => {
  sandbox = await startSandboxProcess({ durationMs: 500 })
  dir = await tempDir('journal')
})
afterAll(async () => {
  await sandbox?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('nano-banana batch with the embedded journal', () => {
  it('killed with SIGKILL mid-way and rerun: 20 images, exactly 20 submissions, the rerun resumes accepted tasks', async () => {
    const { path, ids } = await writeJobs(dir, JOBS)
    const out = join(dir, 'out')
    const args = ['batch', path, '--provider', provider, '--out', out, '--concurrency', String(CONCURRENCY)]
    const env = providerEnv(sandbox)
    const started = Date.now()

    const first = runCli(args, env)
    // Kill when some jobs are done and every lane holds a journaled task id: accepted, unfinished tasks,
    // and no submit in flight whose answer the journal has not recorded yet.
    const inFlight = () => first.count('submitted ') - first.count('done ') - first.count('failed ')
    await freezeWhenRecorded(first, sandbox, provider, () => first.count('done ') >= 3 && inFlight() === CONCURRENCY)
    first.child.kill('SIGKILL')
    const killed = await first.exited
    expect(killed.signal).toBe('SIGKILL')
    const killedAt = Date.now()

    const journalText = await readFile(join(out, JOURNAL_FILE), 'utf8')
    const before = jobStates(replayJournal(journalText).records)
    const acceptedBefore = [...before.values()].filter((s) => s.state === 'accepted').length
    const doneBefore = [...before.values()].filter((s) => s.state === 'done').length
    expect(acceptedBefore).toBeGreaterThan(0)
    expect(doneBefore).toBeLessThan(JOBS)

    const rerun = runCli([...args, '--json'], env)
    const { code } = await rerun.exited
    expect(code, rerun.lines.join('\n')).toBe(0)
    const summary = JSON.parse(rerun.stdout.join('\n')) as { done: number; failed: number; resumed: number; submissions: number; skipped: number }
    expect(summary).toMatchObject({ done: JOBS, failed: 0, skipped: doneBefore })
    expect(summary.resumed).toBeGreaterThan(0)
    expect(summary.resumed).toBe(acceptedBefore)
    expect(summary.submissions).toBe(JOBS - doneBefore - acceptedBefore)

    expect(await images(out)).toEqual(ids)
    expect(await sandbox.submissions(provider)).toBe(JOBS)

    const after = jobStates(replayJournal(await readFile(join(out, JOURNAL_FILE), 'utf8')).records)
    expect(ids.every((id) => after.get(id)?.state === 'done')).toBe(true)
    console.info(
      `[kill-journal] killed after ${killedAt - started} ms with ${doneBefore} done, ${acceptedBefore} accepted; total ${Date.now() - started} ms; sandbox submissions ${JOBS}`,
    )
  })
})
