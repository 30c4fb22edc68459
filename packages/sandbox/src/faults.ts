import { FAULT_NAMES, type FaultName, type FaultPhase, type FaultRule, type ProviderId } from './types.js'

export const FAULT_HEADER = 'x-sandbox-fault'
export const DELAY_HEADER = 'x-sandbox-delay-ms'

/** Faults answered instead of the real operation: nothing is created or changed. */
export const REFUSING_FAULTS: ReadonlySet<FaultName> = new Set(['rate-limit', 'server-error', 'bad-gateway', 'unavailable', 'reset-before-accept', 'html-error'])

/** Faults that mark the task itself rather than the HTTP exchange. */
export const TASK_FAULTS: ReadonlySet<FaultName> = new Set(['task-fail', 'task-stuck', 'expired-url'])

export function isFaultName(value: string): value is FaultName {
  return (FAULT_NAMES as readonly string[]).includes(value)
}

/** `x-sandbox-fault: task-fail, slow` -> the known names; unknown names are reported, not silently dropped. */
export function parseFaultHeader(header: string | string[] | undefined): { faults: FaultName[]; unknown: string[] } {
  const raw = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean)
  const faults: FaultName[] = []
  const unknown: string[] = []
  for (const name of raw) (isFaultName(name) ? faults : unknown).push(name as FaultName)
  return { faults, unknown }
}

interface QueuedRule extends FaultRule {
  remaining: number
}

/** Programmatic faults: a FIFO of rules, each consumed by the next `count` matching requests. */
export class FaultQueue {
  private rules: QueuedRule[] = []

  add(rule: FaultRule): void {
    if (!isFaultName(rule.fault)) throw new Error(`unknown fault "${String(rule.fault)}" (known: ${FAULT_NAMES.join(', ')})`)
    if (!['submit', 'poll', 'download', 'callback'].includes(rule.phase)) throw new Error(`unknown fault phase "${String(rule.phase)}"`)
    const remaining = rule.count ?? 1
    if (!(remaining > 0)) return
    this.rules.push({ ...rule, remaining })
  }

  /** The first rule matching this provider and phase, consumed once; undefined when none. */
  take(provider: ProviderId | undefined, phase: FaultPhase): FaultRule | undefined {
    const index = this.rules.findIndex((rule) => rule.phase === phase && (rule.provider === undefined || rule.provider === provider))
    if (index < 0) return undefined
    const rule = this.rules[index]!
    rule.remaining -= 1
    if (rule.remaining <= 0) this.rules.splice(index, 1)
    const { remaining: _remaining, ...plain } = rule
    return plain
  }

  /** Rules not yet used up (copies). */
  pending(): FaultRule[] {
    return this.rules.map(({ remaining, ...rule }) => ({ ...rule, count: remaining }))
  }

  clear(): void {
    this.rules = []
  }
}

/** The page a proxy in front of the API shows when the upstream is down (the `html-error` fault). */
export const PROXY_ERROR_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'
