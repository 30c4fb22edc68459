// The five providers: spec file, generated package, client factory, and the environment variables
// live mode reads. Everything else (operations, codes, constraints) comes from the specs.
import { SPECS_DIR, loadSpec } from './spec.mjs'

const capitalize = (s) => s[0].toUpperCase() + s.slice(1)

/** @type {import('./types.js').Provider[]} */
export const PROVIDERS = ['odkkk', 'evolink', 'crun', 'uniall', 'aivideoapi'].map((id) => ({
  id,
  Id: capitalize(id),
  packageName: `@nano-banana/${id}`,
  clientFactory: `create${capitalize(id)}Client`,
  specPath: `${SPECS_DIR}${id}.openapi.yaml`,
  keyEnv: `${id.toUpperCase()}_API_KEY`,
  // Overrides the spec's server URL (required where the spec has none: UniAll's host is undocumented).
  baseUrlEnv: `${id.toUpperCase()}_BASE_URL`,
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
