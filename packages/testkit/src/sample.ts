/**
 * The providers a quick run covers: the first (in the given order) of each distinct shape, where
 * `traits` says what makes a provider's shape (synchronous or not, callbacks, cancel...). Suites that
 * run every provider against servers use it in `pnpm test` and the full list in `pnpm test:integration`,
 * so every shape is exercised on every run and every provider still gates CI.
 */
export function sampleByTraits<Id extends string>(ids: readonly Id[], traits: (id: Id) => readonly unknown[]): Id[] {
  const seen = new Set<string>()
  return ids.filter((id) => {
    const shape = JSON.stringify(traits(id))
    if (seen.has(shape)) return false
    seen.add(shape)
    return true
  })
}
