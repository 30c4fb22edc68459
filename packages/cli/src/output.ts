// Every line the CLI prints goes through here, so secrets are removed at one choke point, and so are
// terminal controls: task ids, messages and URLs come from the provider, and an escape sequence in one
// could retitle the window, clear the screen or forge lines.
import stripAnsi from 'strip-ansi'

const secrets = new Set<string>()

/** Registers a value (an API key) that must never be printed. */
export function addSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value)
}

export function redact(text: string): string {
  let out = text
  for (const secret of secrets) out = out.split(secret).join('[redacted]')
  return out
}

/**
 * C0 controls but tab and newline, DEL, C1 controls (U+0080-U+009F, e.g. the one-byte CSI U+009B), line and
 * paragraph separators, and the bidirectional overrides that reorder what a terminal shows.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/** Text safe for a terminal: ANSI/OSC sequences removed first (so their payload goes too), then every other control. */
export function sanitize(text: string): string {
  return stripAnsi(text).replace(CONTROLS, '')
}

/** A provider-controlled value inside one line of human output: also without line breaks, which could fake lines. */
export function field(value: unknown): string {
  return sanitize(String(value)).replace(/[\t\n]+/g, ' ')
}

export const out = (line: string): void => {
  process.stdout.write(`${sanitize(redact(line))}\n`)
}

export const info = (line: string): void => {
  process.stderr.write(`${sanitize(redact(line))}\n`)
}

/** Characters JSON.stringify leaves raw that a terminal still acts on: written as \\u escapes, the JSON stays the same value. */
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/** `--json` output: exact JSON of `value` (no character removed), with terminal-active characters escaped. */
export const outJson = (value: unknown): void => {
  const text = JSON.stringify(value, null, 2).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  process.stdout.write(`${redact(text)}\n`)
}

/** The provider the running command talks to: resume hints name it when an error does not. */
let commandProvider: string | undefined
export function setCommandProvider(provider: string): void {
  commandProvider = provider
}

/** The CLI command that resumes waiting for a task. */
export const resumeCommand = (taskId: string, provider: string | undefined) => `nano-banana wait ${taskId}${provider ? ` --provider ${provider}` : ''}`

/**
 * One clear line for an error, plus the task id when the provider had accepted the task. The SDK's
 * resume hints name its API (`wait("id") resumes`): here they become the CLI command.
 */
export function printError(error: unknown): void {
  const e = error as { name?: string; message?: string; taskId?: string; provider?: string }
  const provider = e?.provider ?? commandProvider
  const raw = field(e?.message ?? String(error))
  const message = raw.replace(/(?:resume with )?wait\("([^"]+)"\)(?: resumes)?/g, (_, id: string) => `resume with: ${resumeCommand(id, provider)}`)
  info(`error: ${message}`)
  const taskId = e?.taskId === undefined ? undefined : field(e.taskId)
  if (taskId && !message.includes(resumeCommand(taskId, provider))) info(`task id: ${taskId} (resume with: ${resumeCommand(taskId, provider)})`)
}
