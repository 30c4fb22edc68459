import { providerIds, providers, type ProviderAdapter } from '@nano-banana/sdk'

/** Every value any model of any provider accepts, in first-seen order; the sdk then checks the chosen model. */
function union<T>(pick: (model: ProviderAdapter['models'][string]) => readonly T[]): T[] {
  const seen = new Set<T>()
  for (const id of providerIds) for (const model of Object.values(providers[id].models)) for (const value of pick(model)) seen.add(value)
  return [...seen]
}

const max = (pick: (model: ProviderAdapter['models'][string]) => number) => Math.max(...providerIds.flatMap((id) => Object.values(providers[id].models).map(pick)))

/**
 * The bounds of the tool schemas, read from the capability tables that validate requests. The schema
 * catches what no model takes; what one model lacks is refused by the sdk's check (`UnsupportedOptionError`).
 */
export const capabilityUnion = {
  providers: providerIds,
  models: union((m) => [m.id]),
  aspectRatios: union((m) => m.aspectRatios),
  resolutions: union((m) => m.resolutions),
  outputFormats: union((m) => m.outputFormats),
  maxImages: max((m) => m.maxImages),
  maxN: max((m) => m.maxN),
  maxPromptLength: max((m) => m.maxPromptLength),
}

/** One line per provider: its default model and what each model takes, for tool descriptions and list_providers. */
export function describeModels(adapter: ProviderAdapter): string[] {
  return Object.values(adapter.models).map(
    (m) =>
      `${m.id}${m.id === adapter.defaultModel ? ' (default)' : ''} [${m.family}]: aspect ratios ${m.aspectRatios.join(' ')}; resolutions ${m.resolutions.join(' ')}; ` +
      `output formats ${m.outputFormats.join(' ') || 'not selectable'}; up to ${m.maxImages} reference images, n <= ${m.maxN}, prompt <= ${m.maxPromptLength} chars`,
  )
}
