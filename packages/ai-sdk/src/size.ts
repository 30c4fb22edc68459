import type { AspectRatio } from '@nano-banana/sdk'

const ratioOf = (value: string): number | undefined => {
  const match = /^(\d+(?:\.\d+)?)[:x](\d+(?:\.\d+)?)$/.exec(value)
  if (!match) return undefined
  const w = Number(match[1])
  const h = Number(match[2])
  return w > 0 && h > 0 ? w / h : undefined
}

/**
 * The supported aspect ratio closest to a `WxH` size (compared on a log scale, so 2:1 and 1:2 are
 * equally far from 1:1); undefined when the size is malformed or the model lists no fixed ratio.
 */
export function nearestAspectRatio(size: string, supported: readonly AspectRatio[]): AspectRatio | undefined {
  const target = ratioOf(size)
  if (target === undefined) return undefined
  let best: AspectRatio | undefined
  let bestDistance = Infinity
  for (const candidate of supported) {
    const ratio = ratioOf(candidate)
    if (ratio === undefined) continue // 'auto'
    const distance = Math.abs(Math.log(ratio / target))
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}
