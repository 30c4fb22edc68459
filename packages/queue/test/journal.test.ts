import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Journal, JournalCorruptError, jobStates, replayJournal, type JournalEntry } from '../src/index.js'
import { tempDir } from './helpers/fixtures.js'

const rec = (r: JournalEntry): string => `${JSON.stringify({ v: 1, at: '2026-12-01T00:00:00.000Z', ...r })}\n`
const submitted = (id: string, taskId: string) => rec({ id, event: 'submitted', provider: 'p', taskId })

let dir: string
beforeAll(async () => {
  dir = await tempDir('journal-unit')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('replayJournal', () => {
  it('drops a torn last line (a crash mid-write) and says how much', () => {
    const good = submitted('a', 't1')
    const torn = '{"v":1,"at":"2026-12-01T00:00:00.000Z","id":"b","event":"subm'
    const replay = replayJournal(good + torn)
    expect(replay.records.map((r) => r.id)).toEqual(['a'])
    expect(replay.tornBytes).toBe(Buffer.byteLength(torn))
    expect(replay.validLength).toBe(Buffer.byteLength(good))
  })

  it('keeps a whole last record that only lacks its newline', () => {
    const replay = replayJournal(submitted('a', 't1') + submitted('b', 't2').trimEnd())
    expect(replay.records.map((r) => r.id)).toEqual(['a', 'b'])
    expect(replay).toMatchObject({ tornBytes: 0, unterminated: true })
  })

  it('refuses an unreadable line in the middle, naming it', () => {
    expect(() => replayJournal(submitted('a', 't1') + 'garbage\n' + submitted('b', 't2'), 'j.jsonl')).toThrow(JournalCorruptError)
    expect(() => replayJournal(submitted('a', 't1') + 'garbage\n' + submitted('b', 't2'), 'j.jsonl')).toThrow(/^j\.jsonl:2: /)
  })
})

describe('jobStates', () => {
  it('is the last word per job: accepted resumes, done skips, final failures and ambiguous submits stay', () => {
    const error = { name: 'X', message: 'm' }
    const text = [
      submitted('resume-me', 't1'),
      submitted('done', 't2'),
      rec({ id: 'done', event: 'done', provider: 'p', taskId: 't2', files: ['done.png'] }),
      submitted('timed-out', 't3'),
      rec({ id: 'timed-out', event: 'failed', provider: 'p', taskId: 't3', final: false, error }),
      submitted('task-failed', 't4'),
      rec({ id: 'task-failed', event: 'failed', provider: 'p', taskId: 't4', final: true, error }),
      rec({ id: 'refused', event: 'failed', provider: 'p', final: false, error }),
      rec({ id: 'unsure', event: 'ambiguous', provider: 'p', error }),
    ].join('')
    const states = jobStates(replayJournal(text).records)
    expect(Object.fromEntries(states)).toEqual({
      'resume-me': { state: 'accepted', provider: 'p', taskId: 't1' },
      done: { state: 'done', provider: 'p', taskId: 't2', files: ['done.png'] },
      // Waiting ran out or a download failed: the task id still resumes, nothing is resubmitted.
      'timed-out': { state: 'accepted', provider: 'p', taskId: 't3' },
      'task-failed': { state: 'failed', provider: 'p', taskId: 't4', error },
      // Refused before acceptance (no task id): submitted again by a rerun.
      refused: { state: 'new' },
      unsure: { state: 'ambiguous', provider: 'p', error },
    })
  })
})

describe('Journal', () => {
  it('cuts a torn tail before appending, so the file stays one record per line', async () => {
    const path = join(dir, 'torn.jsonl')
    await writeFile(path, submitted('a', 't1') + '{"v":1,"id":"b","ev')
    const journal = await Journal.open(path)
    expect(journal.replay.records.map((r) => r.id)).toEqual(['a'])
    await journal.append({ id: 'c', event: 'submitted', provider: 'p', taskId: 't3' })
    await journal.close()
    const replay = replayJournal(await readFile(path, 'utf8'))
    expect(replay.records.map((r) => [r.id, r.event])).toEqual([
      ['a', 'submitted'],
      ['c', 'submitted'],
    ])
    expect(replay.tornBytes).toBe(0)
  })

  it('terminates a whole unterminated last record before appending', async () => {
    const path = join(dir, 'unterminated.jsonl')
    await writeFile(path, submitted('a', 't1').trimEnd())
    const journal = await Journal.open(path)
    await journal.append({ id: 'b', event: 'submitted', provider: 'p', taskId: 't2' })
    await journal.close()
    expect(replayJournal(await readFile(path, 'utf8')).records.map((r) => r.id)).toEqual(['a', 'b'])
  })

  it('keeps concurrent appends whole and in call order', async () => {
    const path = join(dir, 'concurrent.jsonl')
    const journal = await Journal.open(path)
    await Promise.all(Array.from({ length: 50 }, (_, i) => journal.append({ id: `j${i}`, event: 'submitted', provider: 'p', taskId: `t${i}` })))
    await journal.close()
    const text = await readFile(path, 'utf8')
    expect(text.endsWith('\n')).toBe(true)
    expect(replayJournal(text).records.map((r) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => `j${i}`))
  })
})
