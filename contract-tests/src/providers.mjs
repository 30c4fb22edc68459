// Every provider of the manifest: spec file, generated package, client factory, and the environment
// variables live mode reads (from its generated meta). Everything else (operations, codes,
// constraints) comes from the specs.
import { META, PROVIDER_IDS } from '@nano-banana/manifest'
import { SPECS_DIR, loadSpec } from './spec.mjs'

const capitalize = (s) => s[0].toUpperCase() + s.slice(1)

/** @type {import('./types.js').Provider[]} */
export const PROVIDERS = PROVIDER_IDS.map((id) => ({
  id,
  Id: capitalize(id),
  packageName: `@nano-banana/${id}`,
  clientFactory: `create${capitalize(id)}Client`,
  specPath: `${SPECS_DIR}/${id}.openapi.yaml`,
  keyEnv: META[id].envKey,
  // Overrides the spec's server URL (required where the spec has none).
  baseUrlEnv: META[id].baseUrlEnvKey,
}))

export function getProvider(id) {
  const provider = PROVIDERS.find((p) => p.id === id)
  if (!provider) throw new Error(`Unknown provider "${id}". Known providers: ${PROVIDERS.map((p) => p.id).join(', ')}`)
  return provider
}

/**
 * What live mode needs for a provider, from the environment: the key, the real base URL, and what
 * is missing (a message naming the variables), if anything.
 * @param {import('./types.js').Provider} provider
 * @param {Record<string, string | undefined>} [env]
 */
export function liveConfig(provider, env = process.env) {
  const spec = loadSpec(provider.specPath)
  const apiKey = env[provider.keyEnv] || undefined
  const missing = []
  if (!apiKey) missing.push(provider.keyEnv)
  let upstream
  if (spec.doc['x-base-url-required']) {
    upstream = env[provider.baseUrlEnv] || undefined
    if (!upstream) missing.push(provider.baseUrlEnv)
  } else {
    upstream = env[provider.baseUrlEnv] || spec.doc.servers?.[0]?.url
  }
  return { provider, spec, apiKey, upstream: upstream?.replace(/\/+$/, ''), missing }
}
