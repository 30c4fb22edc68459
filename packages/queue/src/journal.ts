import { open, readFile, truncate, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'

/** The error a journal keeps: never a stack, never a request body (keys are already redacted by the SDK). */
export interface JournalError {
  name: string
  message: string
  code?: string
}

/**
 * One line of the journal. `submitted`: the provider accepted the task (written before waiting).
 * `done`: the files are on disk. `failed`: the job failed; `final` when resubmitting would pay for the
 * same refusal again or the task itself failed. `ambiguous`: the submit may have reached the provider
 * (AmbiguousSubmitError); never resubmitted automatically.
 */
export type JournalRecord =
  | { v: 1; at: string; id: string; event: 'submitted'; provider: string; taskId: string }
  | { v: 1; at: string; id: string; event: 'done'; provider: string; taskId: string; files: string[] }
  | { v: 1; at: string; id: string; event: 'failed'; provider: string; taskId?: string; final: boolean; error: JournalError }
  | { v: 1; at: string; id: string; event: 'ambiguous'; provider: string; error: JournalError }

type Body<R> = R extends unknown ? Omit<R, 'v' | 'at'> : never
export type JournalEntry = Body<JournalRecord>

/** What a rerun does with a job, from the journal's last word on it. */
export type JobState =
  | { state: 'new' }
  | { state: 'accepted'; provider: string; taskId: string }
  | { state: 'done'; provider: string; taskId: string; files: string[] }
  | { state: 'failed'; provider: string; taskId?: string; error: JournalError }
  | { state: 'ambiguous'; provider: string; error: JournalError }

export class JournalCorruptError extends Error {
  override name = 'JournalCorruptError'
}

export interface Replay {
  records: JournalRecord[]
  /** Bytes of a torn last line (a crash mid-write) that were dropped; 0 when the file ended cleanly. */
  tornBytes: number
  /** Length in bytes of the valid prefix: the file is cut back to it before the next append. */
  validLength: number
  /** The last record is whole but lacks its newline: one is added before the next append. */
  unterminated: boolean
}

const isRecord = (value: unknown): value is JournalRecord =>
  !!value && typeof value === 'object' && typeof (value as JournalRecord).id === 'string' && typeof (value as JournalRecord).event === 'string'

/**
 * Parses a journal's text. Every complete line must be a record; only an unterminated last line may be
 * unreadable (the process died mid-write) and it is dropped.
 */
export function replayJournal(text: string, path = 'journal'): Replay {
  const records: JournalRecord[] = []
  const end = text.lastIndexOf('\n') + 1
  for (const [index, line] of text.slice(0, end).split('\n').entries()) {
    if (line.trim() === '') continue
    let record: unknown
    try {
      record = JSON.parse(line)
    } catch {
      record = undefined
    }
    if (!isRecord(record)) {
      throw new JournalCorruptError(
        `${path}:${index + 1}: unreadable record in the middle of the journal; move the file aside to start over (its task ids would then be lost)`,
      )
    }
    records.push(record)
  }
  const tail = text.slice(end)
  if (tail.trim() === '') return { records, tornBytes: 0, validLength: Buffer.byteLength(text), unterminated: false }
  let last: unknown
  try {
    last = JSON.parse(tail)
  } catch {
    last = undefined
  }
  if (isRecord(last)) {
    // Whole but for its newline: keep it (it may be the only copy of a task id).
    records.push(last)
    return { records, tornBytes: 0, validLength: Buffer.byteLength(text), unterminated: true }
  }
  const tornBytes = Buffer.byteLength(tail)
  return { records, tornBytes, validLength: Buffer.byteLength(text) - tornBytes, unterminated: false }
}

/** The state of every job id from its records, last word wins (`accepted` survives a non-final failure). */
export function jobStates(records: readonly JournalRecord[]): Map<string, JobState> {
  const states = new Map<string, JobState>()
  for (const r of records) {
    const previous = states.get(r.id)
    if (r.event === 'submitted') states.set(r.id, { state: 'accepted', provider: r.provider, taskId: r.taskId })
    else if (r.event === 'done') states.set(r.id, { state: 'done', provider: r.provider, taskId: r.taskId, files: r.files })
    else if (r.event === 'ambiguous') states.set(r.id, { state: 'ambiguous', provider: r.provider, error: r.error })
    else if (r.final) states.set(r.id, { state: 'failed', provider: r.provider, ...(r.taskId ? { taskId: r.taskId } : {}), error: r.error })
    // A transient failure after acceptance (wait timed out, download failed): the task id still resumes.
    else if (previous?.state === 'accepted') continue
    else states.set(r.id, { state: 'new' })
  }
  return states
}

/**
 * An append-only JSON-lines file; each record is one write followed by fsync, so once `append()`
 * resolved the record survives a SIGKILL or a power cut.
 */
export class Journal {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly replay: Replay,
  ) {}

  private chain: Promise<void> = Promise.resolve()

  /** Opens (creating when missing) and replays the journal; a torn last line is cut off. */
  static async open(path: string): Promise<Journal> {
    let text = ''
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    const replay = replayJournal(text, path)
    if (replay.tornBytes > 0) await truncate(path, replay.validLength)
    const created = text === ''
    const handle = await open(path, 'a')
    if (replay.unterminated) await handle.write('\n')
    if (created) await syncDirectory(dirname(path))
    return new Journal(path, handle, replay)
  }

  /** Appends one record and fsyncs it; appends are serialized. */
  append(entry: JournalEntry): Promise<void> {
    const record = { v: 1, at: new Date().toISOString(), ...entry }
    const line = `${JSON.stringify(record)}\n`
    const next = this.chain.then(async () => {
      await this.handle.write(line)
      await this.handle.sync()
    })
    // One failed write must not wedge the ones after it; the caller of that append sees the error.
    this.chain = next.catch(() => undefined)
    return next
  }

  async close(): Promise<void> {
    await this.chain
    await this.handle.close()
  }
}

/** A new file's directory entry must reach the disk too, or the whole journal can vanish with a power cut. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined)
  if (!handle) return
  try {
    await handle.sync()
  } catch {
    // Some file systems refuse fsync on a directory; the data itself is synced per record.
  } finally {
    await handle.close()
  }
}
