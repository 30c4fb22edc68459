// The fault matrix: every provider x phase (submit, poll, callback, download) x sandbox fault where
// the combination means something, each cell against its own sandbox. For each cell: the expected
// outcome (a recovered result or a named error class), no task id lost, no double submission, and
// (run with a distinctive API key) no trace of the key in any error or console output.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { format } from 'node:util'
import { DEFAULT_WEBHOOK_SECRET, type FaultRule, type Sandbox } from '@nano-banana/sandbox'
import { createCallbackHandler } from '../../src/callbacks.js'
import { AmbiguousSubmitError, NanoBananaError, taskFailure, type ProviderId, type Task } from '../../src/index.js'
import { callbackTaskId, FIXTURES, SYNC_FIXTURES } from '../support.js'
import {
  CALLBACK_PROVIDERS,
  decodeImage,
  fastSandbox,
  leaks,
  NO_CALLBACK_PROVIDERS,
  PROVIDERS,
  sandboxClient,
  SECRET_KEY,
  SYNC_PROVIDERS,
  serveHandler,
  sleep,
  until,
  type LocalHttp,
} from './support.js'

type Phase = 'submit' | 'poll' | 'callback' | 'download'
type Rule = Omit<FaultRule, 'provider'>

/**
 * The request timeout a `slow` row tests: only the request of the phase under test gets it (the `slow`
 * fault answers later). Every other request of the matrix must simply be answered, so it gets ANSWER_MS:
 * the matrix runs 16 cells at once with the sandbox in the same event loop, and on a loaded machine (load
 * 10+ on 2 cores) a loopback answer took longer than 1.2 s, which made a submit ambiguous in rows that
 * test something else (download 502, reset, expired URL).
 */
const REQUEST_TIMEOUT_MS = 1200
const SLOW_MS = 3000
/** A hang guard, not a budget: no request, wait or callback that must arrive comes near it. */
const ANSWER_MS = 60_000
/** How long a stuck task, or a poll failing on every try, is waited for. */
const SHORT_WAIT_MS = 500

interface Row {
  phase: Phase
  /** The fault as the table names it. */
  label: string
  rules: Rule[]
  /** 'recovered', or the error class name expected per provider. */
  expect: (provider: ProviderId) => string
  /** Providers where the cell means something (default: all). */
  only?: ProviderId[]
  /** Waits only this long (stuck task, persistent failure). */
  timeoutMs?: number
  /** After the error, clear the faults and resume with wait(taskId): must then recover. */
  resume?: boolean
  /** Tasks the sandbox must hold at the end (a refusal: 0; an ambiguous submit: 0 or 1). */
  tasks?: number
  /** Callback receiver behaviour for the first delivery. */
  receiver?: 'throw' | 'slow'
  /** Task duration in the sandbox, when the fault must find the task still running at the first poll. */
  taskDurationMs?: number
}

/** Longer than any first poll can take: a poll-phase task fault always finds the task running. */
const LONG_TASK_MS = 5000

const recovered = () => 'recovered'
const always = (name: string) => () => name
/** How each provider reports a failed task (a safety refusal or a plain failure): its fixture's failed example says. */
const failedTask = (p: ProviderId) => FIXTURES[p].failedClass.name
/** The shared expectation, unless the provider's fixture documents another outcome for this cell (`<phase> <label>`). */
const unless = (cell: string, otherwise: string) => (p: ProviderId) => (FIXTURES[p] ?? SYNC_FIXTURES[p])?.faultOutcomes?.[cell] ?? otherwise

const ROWS: Row[] = [
  // Submit: resent only after a certain refusal; anything that may have reached the provider is ambiguous.
  { phase: 'submit', label: '429 + Retry-After', rules: [{ phase: 'submit', fault: 'rate-limit' }], expect: recovered, tasks: 1 },
  { phase: 'submit', label: '500', rules: [{ phase: 'submit', fault: 'server-error' }], expect: always('ServerError'), tasks: 0 },
  // A gateway 502 is an upstream failure, unless the provider's envelope says otherwise (its fixture).
  { phase: 'submit', label: '502', rules: [{ phase: 'submit', fault: 'bad-gateway' }], expect: unless('submit 502', 'UpstreamError'), tasks: 0 },
  // Unavailable / maintenance is resent, unless the provider documents it as an upstream refusal (its fixture).
  { phase: 'submit', label: '503 / 455', rules: [{ phase: 'submit', fault: 'unavailable' }], expect: unless('submit 503 / 455', 'recovered') },
  { phase: 'submit', label: 'reset before accept', rules: [{ phase: 'submit', fault: 'reset-before-accept' }], expect: always('AmbiguousSubmitError'), tasks: 0 },
  { phase: 'submit', label: 'reset after accept', rules: [{ phase: 'submit', fault: 'reset-after-accept' }], expect: always('AmbiguousSubmitError'), tasks: 1 },
  {
    phase: 'submit',
    label: 'timeout (slow answer)',
    rules: [{ phase: 'submit', fault: 'slow', delayMs: SLOW_MS }],
    expect: always('AmbiguousSubmitError'),
    tasks: 1,
  },
  { phase: 'submit', label: 'malformed JSON (2xx)', rules: [{ phase: 'submit', fault: 'malformed-json' }], expect: always('AmbiguousSubmitError'), tasks: 1 },
  { phase: 'submit', label: 'HTML 502 page', rules: [{ phase: 'submit', fault: 'html-error' }], expect: always('UpstreamError'), tasks: 0 },
  // A synchronous answer without an image (the sandbox's failed task): a typed refusal carrying the answer's id, not resent.
  {
    phase: 'submit',
    label: 'answered without an image',
    rules: [{ phase: 'submit', fault: 'task-fail' }],
    expect: (p) => SYNC_FIXTURES[p]!.failedClass.name,
    only: [...SYNC_PROVIDERS],
    tasks: 1,
  },
  // Poll: a read, retried until the deadline; the task id is on every error.
  { phase: 'poll', label: '429 + Retry-After', rules: [{ phase: 'poll', fault: 'rate-limit' }], expect: recovered },
  { phase: 'poll', label: '500', rules: [{ phase: 'poll', fault: 'server-error' }], expect: recovered },
  { phase: 'poll', label: '502', rules: [{ phase: 'poll', fault: 'bad-gateway' }], expect: recovered },
  { phase: 'poll', label: '503 / 455', rules: [{ phase: 'poll', fault: 'unavailable' }], expect: recovered },
  { phase: 'poll', label: 'reset before accept', rules: [{ phase: 'poll', fault: 'reset-before-accept' }], expect: recovered },
  { phase: 'poll', label: 'reset after accept', rules: [{ phase: 'poll', fault: 'reset-after-accept' }], expect: recovered },
  { phase: 'poll', label: 'timeout (slow answer)', rules: [{ phase: 'poll', fault: 'slow', delayMs: SLOW_MS }], expect: recovered },
  { phase: 'poll', label: 'malformed JSON (2xx)', rules: [{ phase: 'poll', fault: 'malformed-json' }], expect: recovered },
  { phase: 'poll', label: 'HTML 502 page', rules: [{ phase: 'poll', fault: 'html-error' }], expect: recovered },
  { phase: 'poll', label: 'task failed', rules: [{ phase: 'poll', fault: 'task-fail' }], expect: failedTask, taskDurationMs: LONG_TASK_MS },
  {
    phase: 'poll',
    label: 'task stuck',
    rules: [{ phase: 'poll', fault: 'task-stuck' }],
    expect: always('TimeoutError'),
    timeoutMs: SHORT_WAIT_MS,
    taskDurationMs: LONG_TASK_MS,
  },
  {
    phase: 'poll',
    label: '500 on every poll, then wait()',
    rules: [{ phase: 'poll', fault: 'server-error', count: Infinity }],
    expect: always('TimeoutError → resumed'),
    timeoutMs: SHORT_WAIT_MS,
    resume: true,
  },
  // Callback: the sandbox POSTs to a local createCallbackHandler and retries on its schedule. A provider
  // whose spec documents no callback has its callbackUrl refused before anything is sent.
  { phase: 'callback', label: 'delivered late (slow)', rules: [{ phase: 'callback', fault: 'slow', delayMs: 150 }], expect: recovered },
  { phase: 'callback', label: 'malformed JSON', rules: [{ phase: 'callback', fault: 'malformed-json' }], expect: recovered },
  { phase: 'callback', label: 'reset (attempt lost)', rules: [{ phase: 'callback', fault: 'reset-before-accept' }], expect: recovered },
  { phase: 'callback', label: 'receiver answers 500', rules: [], expect: recovered, receiver: 'throw' },
  { phase: 'callback', label: 'receiver timeout', rules: [], expect: recovered, receiver: 'slow' },
  { phase: 'callback', label: 'task failed', rules: [{ phase: 'submit', fault: 'task-fail' }], expect: failedTask },
  { phase: 'callback', label: 'no callback documented', rules: [], expect: always('UnsupportedOptionError'), only: [...NO_CALLBACK_PROVIDERS], tasks: 0 },
  // Download: a GET of the result, retried; an expired URL is its own error.
  { phase: 'download', label: '429 + Retry-After', rules: [{ phase: 'download', fault: 'rate-limit' }], expect: recovered },
  { phase: 'download', label: '500', rules: [{ phase: 'download', fault: 'server-error' }], expect: recovered },
  { phase: 'download', label: '502', rules: [{ phase: 'download', fault: 'bad-gateway' }], expect: recovered },
  { phase: 'download', label: '503', rules: [{ phase: 'download', fault: 'unavailable' }], expect: recovered },
  { phase: 'download', label: 'reset', rules: [{ phase: 'download', fault: 'reset-before-accept' }], expect: recovered },
  { phase: 'download', label: 'timeout (slow answer)', rules: [{ phase: 'download', fault: 'slow', delayMs: SLOW_MS }], expect: recovered },
  { phase: 'download', label: 'truncated image', rules: [{ phase: 'download', fault: 'malformed-json' }], expect: recovered },
  { phase: 'download', label: 'HTML 502 page', rules: [{ phase: 'download', fault: 'html-error' }], expect: recovered },
  { phase: 'download', label: 'expired URL', rules: [{ phase: 'download', fault: 'expired-url' }], expect: always('ExpiredResultError') },
]

const callbackCapable = (p: ProviderId) => CALLBACK_PROVIDERS.includes(p)

interface Cell {
  row: Row
  provider: ProviderId
  name: string
}

// A synchronous provider has only the submit phase: its images come inline (no poll, no callback, no download request).
const applies = (row: Row, p: ProviderId) =>
  row.only ? row.only.includes(p) : SYNC_PROVIDERS.includes(p) ? row.phase === 'submit' : row.phase !== 'callback' || callbackCapable(p)

const CELLS: Cell[] = ROWS.flatMap((row) =>
  [...PROVIDERS, ...SYNC_PROVIDERS]
    .filter((p) => applies(row, p))
    .map((provider) => ({
      row,
      provider,
      name: `${row.phase} | ${row.label} | ${provider}`,
    })),
)

interface Outcome {
  outcome: string
  /** Faults the sandbox actually applied (requests answered with a fault, callback faults consumed). */
  injected: number
  tasksAccepted: number
  recovered: boolean
  /** Accepted tasks the caller has no id for and was not warned about. */
  lost: number
  /** Error task ids the sandbox does not know. */
  unknownIds: string[]
  /** Errors thrown after the provider accepted a task (not ambiguous submits) that lack its id. */
  untagged: string[]
  doubleSubmissions: number
  /** Ambiguous submits where a task did exist: flagged to the caller, never resent. */
  flagged: number
  submitAttempts: number
  ms: number
  detail?: string
}

const errors: unknown[] = []
const outcomes = new Map<string, Outcome>()
const consoleLines: string[] = []

/** A callback receiver: createCallbackHandler behind node:http, resolving per task id. */
async function receiver(provider: ProviderId, behaviour: Row['receiver'], keysFetch: typeof globalThis.fetch) {
  const delivered = new Map<string, Task[]>()
  const first = new Set<string>()
  /** A first delivery held open, released by the retry: the sandbox gave up on it (its callbackTimeoutMs) before. */
  const held = new Map<string, () => void>()
  const handler = createCallbackHandler({
    allowUnverified: true,
    seen: false,
    provider,
    // The sandbox signs the callbacks of providers that sign theirs with this secret.
    webhookSecret: DEFAULT_WEBHOOK_SECRET,
    // Signing keys (where the provider signs) come from the sandbox's stand-in.
    fetch: keysFetch,
    async onTask(task) {
      if (behaviour && !first.has(task.taskId)) {
        first.add(task.taskId)
        if (behaviour === 'throw') throw new Error('database unavailable')
        await new Promise<void>((release) => held.set(task.taskId, release))
      }
      held.get(task.taskId)?.()
      delivered.set(task.taskId, [...(delivered.get(task.taskId) ?? []), task])
    },
  })
  const http: LocalHttp = await serveHandler(handler)
  return {
    url: `${http.url}/hooks/nano-banana`,
    delivered,
    close: async () => {
      for (const release of held.values()) release()
      await http.close()
    },
    async next(taskId: string, timeoutMs = ANSWER_MS): Promise<Task> {
      const end = Date.now() + timeoutMs
      while (Date.now() < end) {
        const task = delivered.get(taskId)?.[0]
        if (task) return task
        await sleep(5)
      }
      throw new Error(`no callback for ${taskId} within ${timeoutMs} ms`)
    },
  }
}

const nameOf = (error: unknown) => (error instanceof Error ? error.name : typeof error)

async function runCell({ row, provider }: Cell): Promise<Outcome> {
  const started = Date.now()
  const sandbox: Sandbox = await fastSandbox({ slowMs: SLOW_MS, callbackTimeoutMs: 250, ...(row.taskDurationMs ? { taskDurationMs: row.taskDurationMs } : {}) })
  const hook = row.phase === 'callback' && callbackCapable(provider) ? await receiver(provider, row.receiver, sandbox.fetch) : undefined
  const cellErrors: unknown[] = []
  let outcome = ''
  let resultTaskId: string | undefined
  let detail: string | undefined
  const slowRow = row.rules.some((rule) => rule.fault === 'slow' && rule.phase === row.phase)
  try {
    for (const rule of row.rules) sandbox.faults.add({ provider, ...rule })
    // The wait outlasts the task itself (a long task's failure arrives at its end), whatever the row's duration.
    const client = (requestTimeoutMs: number) => sandboxClient(sandbox, provider, { requestTimeoutMs, timeoutMs: (row.taskDurationMs ?? 0) + ANSWER_MS })
    const nb = client(row.phase === 'submit' && slowRow ? REQUEST_TIMEOUT_MS : ANSWER_MS)
    try {
      if (row.phase === 'callback') {
        const submission = await nb.submit({
          prompt: `fault matrix ${row.label}`,
          callbackUrl: hook ? hook.url : 'https://hooks.example.com/nano-banana',
        })
        resultTaskId = submission.taskId
        const task = await hook!.next(callbackTaskId(provider, submission.taskId))
        // The receiver matched the callback to this submission (a callback may name less than the submit's id).
        if (task.status !== 'succeeded') throw taskFailure({ ...task, taskId: submission.taskId })
        if (task.urls.length === 0) throw new Error('callback task without URLs')
        outcome = 'recovered'
      } else if (row.phase === 'poll' && slowRow) {
        // Submitted without the short timeout; only the polls (the phase under test) have it.
        const submission = await nb.submit({ prompt: `fault matrix ${row.label}` })
        resultTaskId = submission.taskId
        await client(REQUEST_TIMEOUT_MS).wait(submission.taskId)
        outcome = 'recovered'
      } else {
        const result = await nb.generate({ prompt: `fault matrix ${row.label}`, ...(row.timeoutMs ? { timeoutMs: row.timeoutMs } : {}) })
        resultTaskId = result.taskId
        if (row.phase === 'download') {
          const image = await result.images[0]!.download(slowRow ? { timeoutMs: REQUEST_TIMEOUT_MS } : {})
          decodeImage(image.bytes)
        }
        outcome = 'recovered'
      }
    } catch (error) {
      cellErrors.push(error)
      outcome = nameOf(error)
      const taskId = (error as NanoBananaError).taskId
      if (row.resume && taskId) {
        sandbox.faults.clear()
        try {
          const result = await nb.wait(taskId)
          resultTaskId = result.taskId
          outcome += ' → resumed'
        } catch (again) {
          cellErrors.push(again)
          outcome += ` → ${nameOf(again)}`
        }
      }
      if (!(error instanceof NanoBananaError)) detail = String(error)
    }
  } finally {
    await hook?.close()
  }
  // The client may have given up (its timeout fired) before the sandbox, in the same loaded event loop, read
  // the request: the accounting waits until the sandbox has applied the row's faults and holds the tasks the
  // row expects, rather than reading its records too early.
  await until(
    () => (sandbox.faults.pending().every((rule) => rule.count === Infinity) && sandbox.tasks.list(provider).length >= (row.tasks ?? 0) ? true : undefined),
    ANSWER_MS,
    'the sandbox to apply the faults',
  ).catch((error: unknown) => {
    detail ??= String(error)
  })
  // Accounting, from the sandbox's own records.
  const tasks = sandbox.tasks.list(provider)
  const requestFaults = sandbox.requests.filter((r) => r.faults.length > 0).length
  const callbackRules = row.rules.filter((r) => r.phase === 'callback').length
  const callbackPending = sandbox.faults.pending().filter((r) => r.phase === 'callback').length
  const receiverFaults = row.receiver ? 1 : 0
  const ambiguous = cellErrors.some((e) => e instanceof AmbiguousSubmitError)
  const known = new Set([resultTaskId, ...cellErrors.map((e) => (e as NanoBananaError).taskId)].filter(Boolean))
  const lost = tasks.filter((t) => !known.has(t.id) && !ambiguous).length
  const unknownIds = cellErrors.map((e) => (e as NanoBananaError).taskId).filter((id): id is string => typeof id === 'string' && !sandbox.tasks.get(provider, id))
  const untagged = tasks.length > 0 ? cellErrors.filter((e) => !(e instanceof AmbiguousSubmitError) && !(e as NanoBananaError).taskId).map((e) => String(e)) : []
  const submitAttempts = sandbox.requests.filter((r) => r.phase === 'submit').length
  await sandbox.close()
  errors.push(...cellErrors)
  return {
    outcome,
    injected: requestFaults + (callbackRules - callbackPending) + receiverFaults,
    tasksAccepted: tasks.length,
    recovered: outcome === 'recovered' || outcome.endsWith('→ resumed'),
    lost,
    unknownIds,
    untagged,
    doubleSubmissions: Math.max(0, tasks.length - 1),
    flagged: ambiguous ? tasks.filter((t) => !known.has(t.id)).length : 0,
    submitAttempts,
    ms: Date.now() - started,
    ...(detail ? { detail } : {}),
  }
}

/** Runs `jobs` with at most `limit` in flight. */
async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, jobs.length) }, async () => {
      while (next < jobs.length) {
        const index = next++
        results[index] = await jobs[index]!()
      }
    }),
  )
  return results
}

let elapsedMs = 0

beforeAll(async () => {
  // Everything the SDK (or this run) prints is captured, to be searched for the key.
  const capture =
    (level: string) =>
    (...args: unknown[]) => {
      consoleLines.push(`${level}: ${format(...args)}`)
    }
  const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((level) => vi.spyOn(console, level).mockImplementation(capture(level)))
  const started = Date.now()
  try {
    const results = await pool(
      CELLS.map((cell) => () => runCell(cell)),
      16,
    )
    CELLS.forEach((cell, i) => outcomes.set(cell.name, results[i]!))
  } finally {
    for (const spy of spies) spy.mockRestore()
  }
  elapsedMs = Date.now() - started
  // A hang guard above every cell's own (ANSWER_MS): a loaded machine makes the whole run slower, never a cell fail.
}, 5 * ANSWER_MS)

afterAll(() => {
  const phases: Phase[] = ['submit', 'poll', 'callback', 'download']
  const width = 20
  const pad = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text.padEnd(n))
  const lines: string[] = []
  lines.push(`Fault matrix: ${CELLS.length} cells, ${(elapsedMs / 1000).toFixed(1)} s, API key ${SECRET_KEY.slice(0, 3)}… (searched in every error and output)`)
  const columns = [...PROVIDERS, ...SYNC_PROVIDERS]
  lines.push(`${pad('phase', 9)}${pad('fault', 31)}${columns.map((p) => pad(p, width)).join('')}`)
  for (const phase of phases) {
    for (const row of ROWS.filter((r) => r.phase === phase)) {
      const cells = columns.map((provider) => {
        const o = outcomes.get(`${row.phase} | ${row.label} | ${provider}`)
        if (!o) return pad('·', width)
        const mark = o.outcome === row.expect(provider) ? '✓' : '✗'
        const text = o.outcome === 'recovered' ? 'recovered' : o.outcome.replace(/Error\b/g, '')
        return pad(`${mark} ${text}`, width - 1) + ' '
      })
      lines.push(`${pad(phase, 9)}${pad(row.label, 31)}${cells.join('')}`)
    }
  }
  const all = [...outcomes.values()]
  const sum = (f: (o: Outcome) => number) => all.reduce((n, o) => n + f(o), 0)
  lines.push('')
  lines.push(
    [
      `faults injected: ${sum((o) => o.injected)}`,
      `tasks accepted: ${sum((o) => o.tasksAccepted)}`,
      `tasks recovered: ${sum((o) => (o.recovered ? 1 : 0))}`,
      `tasks lost: ${sum((o) => o.lost)}`,
      `double submissions: ${sum((o) => o.doubleSubmissions)}`,
      `ambiguous submits flagged (task exists, not resent): ${sum((o) => o.flagged)}`,
      `errors thrown: ${errors.length}`,
    ].join(' | '),
  )
  lines.push('✓ = the expected outcome; a class name = the error thrown (…Error shortened), with the task id when a task existed.')
  console.log(lines.join('\n'))
})

describe('fault matrix', () => {
  it.each(CELLS.map((cell) => [cell.name, cell] as const))('%s', (_, cell) => {
    const o = outcomes.get(cell.name)!
    expect(o, 'cell ran').toBeDefined()
    expect(o.outcome, o.detail).toBe(cell.row.expect(cell.provider))
    if (cell.row.rules.length > 0 || cell.row.receiver) expect(o.injected, 'the fault was really injected').toBeGreaterThan(0)
    expect(o.lost, 'task ids lost').toBe(0)
    expect(o.unknownIds, 'error task ids the sandbox does not know').toEqual([])
    expect(o.untagged, 'errors after acceptance without the task id').toEqual([])
    expect(o.doubleSubmissions, 'double submissions').toBe(0)
    if (cell.row.tasks !== undefined) expect(o.tasksAccepted, 'tasks the sandbox accepted').toBe(cell.row.tasks)
  })

  it('a refusal was resent and an ambiguous submit never was', () => {
    for (const provider of [...PROVIDERS, ...SYNC_PROVIDERS]) {
      expect(outcomes.get(`submit | 429 + Retry-After | ${provider}`)!.submitAttempts).toBe(2)
      for (const label of ['reset before accept', 'reset after accept', 'timeout (slow answer)', 'malformed JSON (2xx)', '500', '502', 'HTML 502 page']) {
        expect(outcomes.get(`submit | ${label} | ${provider}`)!.submitAttempts, `${label} ${provider}`).toBe(1)
      }
    }
  })

  it(`no error, toString, toJSON, cause, body or console line carries the API key`, () => {
    expect(errors.length).toBeGreaterThan(50)
    expect(leaks(errors, SECRET_KEY)).toEqual([])
    expect(consoleLines.filter((line) => line.includes(SECRET_KEY))).toEqual([])
  })
})
