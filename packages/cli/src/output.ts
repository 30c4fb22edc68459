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
  const raw = e?.message ?? String(error)
  const message = raw.replace(/(?:resume with )?wait\("([^"]+)"\)(?: resumes)?/g, (_, id: string) => `resume with: ${resumeCommand(id, provider)}`)
  info(`error: ${message}`)
  if (e?.taskId && !message.includes(resumeCommand(e.taskId, provider))) info(`task id: ${e.taskId} (resume with: ${resumeCommand(e.taskId, provider)})`)
}
