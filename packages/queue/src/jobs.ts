import { readFile } from 'node:fs/promises'
import { validateRequest, type GenerateRequest, type ProviderAdapter } from '@nano-banana/sdk'

/** One line of a jobs file: an id of the caller's choosing plus the request. */
export interface BatchJob {
  id: string
  request: GenerateRequest
  /** Where the job came from in its jobs file (1-based), for error messages. */
  line?: number
}

/** The generate options a jobs line may carry besides `id` and `prompt`. */
const OPTION_KEYS = ['model', 'aspectRatio', 'resolution', 'images', 'n', 'outputFormat'] as const
const KNOWN_KEYS = new Set<string>(['id', 'prompt', ...OPTION_KEYS])

/** A jobs file the batch refuses before submitting anything; `line` is 1-based (0 when not about one line). */
export class BatchInputError extends Error {
  override name = 'BatchInputError'
  constructor(
    message: string,
    readonly line: number,
    readonly source: string,
  ) {
    super(message)
  }
}

/**
 * An id is a file-name stem, a journal key and a BullMQ job id at once: letters, digits, `.`, `_`, `-`.
 * BullMQ refuses custom ids that read as integers, so `"7"` is refused here too (the same file must work
 * in both modes).
 */
function idProblem(id: unknown): string | undefined {
  if (typeof id !== 'string' || id === '') return '"id" must be a non-empty string'
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id))
    return `"id" ${JSON.stringify(id.slice(0, 40))} may only use letters, digits, ".", "_" and "-" (at most 128, not starting with "." "_" "-")`
  if (`${parseInt(id, 10)}` === id) return `"id" ${JSON.stringify(id)} reads as an integer, which BullMQ reserves for its own ids: use e.g. "job-${id}"`
  return undefined
}

/** Checks the shape of one parsed line; the provider's capabilities are checked by `validateJobs`. */
function toJob(value: unknown, line: number, source: string): BatchJob {
  const fail = (message: string): never => {
    throw new BatchInputError(`${source}:${line}: ${message}`, line, source)
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return fail('expected a JSON object')
  const record = value as Record<string, unknown>
  const unknown = Object.keys(record).filter((k) => !KNOWN_KEYS.has(k))
  if (unknown.length)
    fail(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; allowed: ${[...KNOWN_KEYS].join(', ')}`)
  const badId = idProblem(record.id)
  if (badId) fail(badId)
  if (typeof record.prompt !== 'string' || record.prompt.trim() === '') fail('"prompt" must be a non-empty string')
  for (const key of ['model', 'aspectRatio', 'resolution', 'outputFormat'] as const) {
    if (record[key] !== undefined && typeof record[key] !== 'string') fail(`"${key}" must be a string`)
  }
  if (record.n !== undefined && (typeof record.n !== 'number' || !Number.isInteger(record.n) || record.n < 1)) fail('"n" must be a whole number >= 1')
  if (record.images !== undefined && (!Array.isArray(record.images) || !record.images.every((u) => typeof u === 'string')))
    fail('"images" must be an array of URL strings')
  const request: Record<string, unknown> = { prompt: record.prompt }
  for (const key of OPTION_KEYS) if (record[key] !== undefined) request[key] = record[key]
  return { id: record.id as string, request: request as unknown as GenerateRequest, line }
}

/**
 * Parses JSON lines into jobs: blank lines are skipped, every other line must be a job object, ids are
 * unique. Throws BatchInputError naming the first bad line.
 */
export function parseJobs(text: string, source = 'jobs'): BatchJob[] {
  const jobs: BatchJob[] = []
  const seen = new Map<string, number>()
  text.split('\n').forEach((raw, index) => {
    const line = index + 1
    if (raw.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch (error) {
      throw new BatchInputError(`${source}:${line}: not valid JSON (${error instanceof Error ? error.message : String(error)})`, line, source)
    }
    const job = toJob(value, line, source)
    const first = seen.get(job.id)
    if (first !== undefined) throw new BatchInputError(`${source}:${line}: duplicate id ${JSON.stringify(job.id)} (first on line ${first})`, line, source)
    seen.set(job.id, line)
    jobs.push(job)
  })
  if (jobs.length === 0) throw new BatchInputError(`${source}: no jobs (one JSON object per line)`, 0, source)
  return jobs
}

/** Reads and parses a jobs file (see parseJobs). */
export async function readJobsFile(path: string): Promise<BatchJob[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new BatchInputError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 0, path)
  }
  return parseJobs(text, path)
}

/**
 * Checks every job against the provider's capabilities (model, aspect ratio, resolution, n, format) with
 * the SDK's own validation, so that nothing is submitted when one line would be refused.
 */
export function validateJobs(jobs: readonly BatchJob[], provider: ProviderAdapter, source = 'jobs'): void {
  for (const [index, job] of jobs.entries()) {
    try {
      validateRequest(provider, job.request)
    } catch (error) {
      const line = job.line ?? index + 1
      throw new BatchInputError(`${source}:${line}: job ${JSON.stringify(job.id)}: ${error instanceof Error ? error.message : String(error)}`, line, source)
    }
  }
}
