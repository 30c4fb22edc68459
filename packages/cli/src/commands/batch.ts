import { BatchInputError, enqueueBatch, followBatch, JOURNAL_FILE, readJobsFile, runBatch, validateJobs, type BatchFailure } from '@nano-banana/queue'
import { providers } from '@nano-banana/sdk'
import { join } from 'node:path'
import { connect, providerOf } from '../connect.js'
import { CliExit, InputError, positiveInt, positiveSeconds } from '../exit.js'
import { createBatchView } from '../batch-view.js'
import { field, info, out, outJson } from '../output.js'

/** Rethrows a BatchInputError as an InputError (exit code 2); other errors pass unchanged. */
function asInputError(error: unknown): never {
  throw error instanceof BatchInputError ? new InputError(error.message) : error
}

export interface BatchFlags {
  provider?: string
  out: string
  concurrency?: string
  redis?: string
  queue?: string
  attempts?: string
  timeout?: string
  json?: boolean
}

interface Totals {
  total: number
  done: number
  failed: number
  ambiguous?: number
  resumed: number
  submissions: number
  skipped?: number
  failures: BatchFailure[]
}

/** The summary, the failed jobs with their errors, and exit code 1 unless every job succeeded. */
function report(summary: Totals, json: boolean | undefined, extra: Record<string, unknown>): void {
  if (json) outJson({ ...summary, ...extra })
  else {
    const parts = [`done ${summary.done}/${summary.total}`, `failed ${summary.failed}`]
    if (summary.ambiguous !== undefined) parts.push(`ambiguous ${summary.ambiguous}`)
    parts.push(`resumed ${summary.resumed}`, `submissions ${summary.submissions}`)
    if (summary.skipped !== undefined) parts.push(`already done ${summary.skipped}`)
    out(parts.join(', '))
    for (const f of summary.failures) {
      const task = f.taskId ? ` (task ${f.taskId})` : ''
      const hint = f.kind === 'ambiguous' ? ' [ambiguous: the task may exist at the provider; check its dashboard, it was not resubmitted]' : ''
      out(`  ${f.id}${field(task)}: ${f.error.name}: ${field(f.error.message)}${hint}`)
    }
  }
  if (summary.done !== summary.total) throw new CliExit(1)
}

/** `nano-banana batch <jobs.jsonl>`: the embedded journal on this machine, or enqueue + follow with --redis. */
export async function batchCommand(file: string, flags: BatchFlags): Promise<void> {
  const jobs = await readJobsFile(file).catch(asInputError)
  const concurrency = positiveInt('--concurrency', flags.concurrency, 4)
  if (flags.redis) {
    // The worker validates again against its own provider; with --provider the file is checked here too.
    if (flags.provider) {
      try {
        validateJobs(jobs, providers[providerOf(flags.provider)], file)
      } catch (error) {
        asInputError(error)
      }
    }
    const connection = { url: flags.redis }
    const queue = flags.queue
    await enqueueBatch(jobs, { connection, ...(queue ? { queue } : {}), attempts: positiveInt('--attempts', flags.attempts, 3) })
    info(`${jobs.length} jobs in queue ${queue ?? 'nano-banana'} (already queued ids are left as they are); following until every job ended...`)
    const view = createBatchView(jobs.length, 0, !flags.json)
    try {
      const summary = await followBatch(
        jobs.map((j) => j.id),
        {
          connection,
          ...(queue ? { queue } : {}),
          onEvent: (e) => {
            if (e.type === 'submitted') view.event(`submitted ${e.id} task ${e.taskId}`)
            else if (e.type === 'done') view.event(`done ${e.id} ${e.result.files.join(' ')}`, true)
            else view.event(`failed ${e.id}: ${e.reason}`, true)
          },
        },
      )
      view.stop()
      report(summary, flags.json, { queue: queue ?? 'nano-banana' })
    } finally {
      view.stop()
    }
    return
  }
  if (!flags.provider) throw new InputError('--provider is required (or --redis to enqueue for workers)')
  const provider = providerOf(flags.provider)
  const { client } = await connect(provider, { allowSandbox: false })
  let view = createBatchView(jobs.length, 0, false)
  try {
    const summary = await runBatch(jobs, {
      client,
      out: flags.out,
      concurrency,
      source: file,
      ...(flags.timeout !== undefined ? { timeoutMs: positiveSeconds('--timeout', flags.timeout) as number } : {}),
      onEvent: (e) => {
        if (e.type === 'plan') {
          if (!flags.json)
            info(
              `${e.total} jobs: ${e.toSubmit} to submit, ${e.toResume} to resume, ${e.alreadyDone} already done${e.alreadyFailed ? `, ${e.alreadyFailed} failed before (not resubmitted)` : ''}`,
            )
          view = createBatchView(e.total, e.alreadyDone + e.alreadyFailed, !flags.json)
        } else if (e.type === 'submitted' || e.type === 'resumed') view.event(`${e.type} ${e.id} task ${e.taskId}`)
        else if (e.type === 'done') view.event(`done ${e.id} ${e.files.join(' ')}`, true)
        else if (e.type === 'failed' || e.type === 'ambiguous') view.event(`${e.type} ${e.id}: ${e.error.name}: ${e.error.message}`, true)
      },
    }).catch(asInputError)
    view.stop()
    report(summary, flags.json, { provider, journal: join(flags.out, JOURNAL_FILE) })
  } finally {
    view.stop()
  }
}
