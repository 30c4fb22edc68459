// Every line the CLI prints goes through here, so secrets are removed at one choke point.
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

export const out = (line: string): void => {
  process.stdout.write(`${redact(line)}\n`)
}

export const info = (line: string): void => {
  process.stderr.write(`${redact(line)}\n`)
}

/** One clear line for an error, plus the task id when the provider had accepted the task. */
export function printError(error: unknown): void {
  const e = error as { name?: string; message?: string; taskId?: string }
  const message = e?.message ?? String(error)
  info(`error: ${message}`)
  if (e?.taskId && !message.includes(e.taskId)) info(`task id: ${e.taskId} (resume with: nano-banana wait ${e.taskId})`)
}
