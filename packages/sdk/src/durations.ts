// Learned task durations: per provider + model (+ resolution) the durations a client has seen, so that
// waiting polls around them instead of backing off blindly. Optionally persisted through a store the
// caller passes, so that a new process starts informed.

/** Where learned durations persist between processes (a Map, localStorage, Redis...): seconds per key. */
export interface DurationStore {
  get(key: string): unknown
  set(key: string, seconds: readonly number[]): unknown
}

/** What the scheduler expects of a task's total duration, in ms since it was accepted. */
export interface ExpectedDuration {
  /** The first poll goes here: near the low quantile of what was seen. */
  readonly lowMs: number
  /** Past this, the task is slower than usual: back off. */
  readonly highMs: number
  /** How many durations this stands on; 0 for a prior (the spec's typical duration), which only sets the first poll. */
  readonly samples: number
}

/** How long a wait holds its first poll for the store's answer: a store that hangs must not hold the task. */
const LOAD_WAIT_MS = 200

/** Samples kept per key: enough for quantiles, few enough that a drifting provider is followed. */
const KEEP = 16

/**
 * Keys a book remembers (samples and store reads), the least recently used forgotten first: a key holds a
 * model and resolution that `wait()` takes from its caller unchecked, so a long-lived client must not
 * grow with every distinct one it is shown. Far above the models x resolutions of any provider.
 */
export const MAX_KEYS = 256

const valid = (value: unknown): number[] =>
  Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0 && v < 86_400).slice(-KEEP) : []

/** The q-quantile of sorted values, interpolated. */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q
  const below = Math.floor(at)
  const above = Math.min(sorted.length - 1, below + 1)
  return (sorted[below] as number) + ((sorted[above] as number) - (sorted[below] as number)) * (at - below)
}

export const durationKey = (provider: string, model: string | undefined, resolution: string | undefined): string =>
  `${provider}/${model ?? ''}${resolution ? `/${resolution}` : ''}`

export interface DurationBook {
  /** Reads the store's figures for `key` once, waiting at most `LOAD_WAIT_MS`; a failing or slow store is ignored (it is only a cache). */
  load(key: string): Promise<void>
  /** What to expect for `key`, from what was seen, else from the prior (typical seconds). */
  expect(key: string, priorSeconds?: number): ExpectedDuration | undefined
  /** Records one observed duration, in seconds. */
  record(key: string, seconds: number): void
}

export function createDurationBook(store?: DurationStore): DurationBook {
  const seen = new Map<string, number[]>()
  const loads = new Map<string, Promise<void>>()
  // Keys in order of last use; a forgotten key is dropped from both maps together (a later load reads
  // the store again, without mixing its figures into ones already merged).
  const recent = new Set<string>()
  const use = (key: string) => {
    recent.delete(key)
    recent.add(key)
    if (recent.size <= MAX_KEYS) return
    const oldest = recent.values().next().value as string
    recent.delete(oldest)
    seen.delete(oldest)
    loads.delete(oldest)
  }
  return {
    load(key) {
      if (!store) return Promise.resolve()
      use(key)
      let loading = loads.get(key)
      if (!loading) {
        loading = (async () => {
          try {
            const stored = valid(await store.get(key))
            // Figures seen in this process before the store answered come last (they are newer).
            if (stored.length && loads.get(key) === loading) seen.set(key, [...stored, ...(seen.get(key) ?? [])].slice(-KEEP))
          } catch {}
        })()
        loads.set(key, loading)
      }
      let timer: ReturnType<typeof setTimeout> | undefined
      return Promise.race([loading, new Promise<void>((resolve) => (timer = setTimeout(resolve, LOAD_WAIT_MS)))]).finally(() => clearTimeout(timer))
    },
    expect(key, priorSeconds) {
      const samples = seen.get(key)
      if (samples?.length) {
        const sorted = [...samples].sort((a, b) => a - b)
        // A margin around the quantiles: few samples understate the spread.
        const spread = samples.length < 4 ? 0.1 : 0.05
        return { lowMs: quantile(sorted, 0.1) * (1 - spread) * 1000, highMs: quantile(sorted, 0.9) * (1 + spread) * 1000, samples: samples.length }
      }
      if (priorSeconds !== undefined && priorSeconds > 0) return { lowMs: priorSeconds * 600, highMs: priorSeconds * 2000, samples: 0 }
      return undefined
    },
    record(key, seconds) {
      if (!(Number.isFinite(seconds) && seconds > 0)) return
      use(key)
      const samples = [...(seen.get(key) ?? []), seconds].slice(-KEEP)
      seen.set(key, samples)
      if (store) {
        try {
          void Promise.resolve(store.set(key, samples)).catch(() => {})
        } catch {}
      }
    },
  }
}

/**
 * The duration a finished wait observed, in seconds: the task ended after the last poll that saw it
 * running and before the one that saw it done. The provider's own figure wins where it falls inside
 * that window; else the middle. A task already done at the first poll gives only an upper bound: a
 * little under it, so that a first poll set too late moves earlier next time.
 */
export function observedSeconds(lastPendingMs: number | undefined, doneMs: number, providerSeconds?: number): number {
  const low = lastPendingMs ?? 0
  if (providerSeconds !== undefined && providerSeconds > 0) {
    const ms = providerSeconds * 1000
    if (ms >= low && ms <= doneMs) return providerSeconds
  }
  return (lastPendingMs === undefined ? doneMs * 0.85 : (low + doneMs) / 2) / 1000
}
