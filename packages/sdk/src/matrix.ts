import type { ProviderAdapter } from './adapter.js'

export interface CapabilityRow {
  provider: string
  model: string
  isDefault: boolean
  family: string
  aspectRatios: string
  resolutions: string
  outputFormats: string
  maxImages: number
  maxN: number
  maxPromptLength: number
}

/** One row per provider model, straight from the adapters' capability tables. */
export function capabilityRows(adapters: readonly ProviderAdapter[]): CapabilityRow[] {
  return adapters.flatMap((adapter) =>
    Object.values(adapter.models).map((m) => ({
      provider: adapter.id,
      model: m.id,
      isDefault: m.id === adapter.defaultModel,
      family: m.family,
      aspectRatios: m.aspectRatios.join(' '),
      resolutions: m.resolutions.join(' '),
      outputFormats: m.outputFormats.join(' ') || '-',
      maxImages: m.maxImages,
      maxN: m.maxN,
      maxPromptLength: m.maxPromptLength,
    })),
  )
}

/** The capability matrix as a Markdown table (README, `nano-banana providers`). */
export function capabilityMatrixMarkdown(adapters: readonly ProviderAdapter[]): string {
  const head = ['provider', 'model', 'family', 'aspect ratios', 'resolutions', 'formats', 'ref. images', 'n', 'prompt chars']
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`]
  for (const r of capabilityRows(adapters)) {
    lines.push(
      `| ${[r.provider, `\`${r.model}\`${r.isDefault ? ' (default)' : ''}`, r.family, r.aspectRatios, r.resolutions, r.outputFormats, r.maxImages, r.maxN, r.maxPromptLength].join(' | ')} |`,
    )
  }
  return lines.join('\n')
}
