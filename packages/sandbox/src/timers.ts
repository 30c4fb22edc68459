/** The longest delay setTimeout honours (2^31-1 ms, about 24.8 days); a longer one fires at once, with a warning. */
export const MAX_TIMER_MS = 2 ** 31 - 1

/** A delay setTimeout can take as it is: negative and NaN become 0, anything past the limit the limit. */
export function timerDelay(ms: number): number {
  return Number.isNaN(ms) ? 0 : Math.min(Math.max(0, ms), MAX_TIMER_MS)
}
