// Small statistics shared by the benchmarks: these machines are noisy, so report medians and ratios.
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  if (!sorted.length) return NaN
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits

export function machine() {
  return { node: process.version, cores: (globalThis.navigator?.hardwareConcurrency ?? 0) || undefined }
}
