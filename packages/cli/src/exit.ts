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

// Digits only: `Number()` would also take "", " 5 ", "0x10", "1e3" and "Infinity", and a NaN would reach the SDK.
const WHOLE = /^[0-9]+$/
const DECIMAL = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/

export function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const n = WHOLE.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(n) || n < 1) throw new InputError(`${flag} needs a whole number >= 1, got "${value}"`)
  return n
}

/** A duration flag in seconds (decimals allowed, > 0), as milliseconds; undefined when the flag is absent. */
export function positiveSeconds(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const ms = DECIMAL.test(value) ? Math.round(Number(value) * 1000) : Number.NaN
  if (!Number.isSafeInteger(ms) || ms < 1) throw new InputError(`${flag} needs a number of seconds > 0 (e.g. 90 or 1.5), got "${value}"`)
  return ms
}
