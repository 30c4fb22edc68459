import { BatchInputError } from '@nano-banana/queue'

/** Ends the command with an exit code; what needed saying was already printed. */
export class CliExit extends Error {
  override name = 'CliExit'
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`)
  }
}

/** Bad input (a jobs file, a flag): exit code 2 with the message, like a usage error. */
export class InputError extends Error {
  override name = 'InputError'
  readonly exitCode = 2
}

/** Rethrows a BatchInputError as an InputError (exit code 2); other errors pass unchanged. */
export function asInputError(error: unknown): never {
  throw error instanceof BatchInputError ? new InputError(error.message) : error
}

export function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${flag} needs a whole number >= 1, got "${value}"`)
  return n
}
