// The providers whose specs the Prism-backed suites (requests, responses) run against. `pnpm test`
// takes one provider of each shape, `pnpm test:integration` (NB_CONTRACT_INTEGRATION=1) every
// provider: see vitest.config.ts.
import { META } from '@nano-banana/manifest'
import { sampleByTraits } from '@nano-banana/testkit'
import { PROVIDERS } from '../../src/providers.mjs'
import type { Provider } from '../../src/types.js'

export const ALL_PROVIDERS = process.env.NB_CONTRACT_INTEGRATION === '1'

/** A spec's shape: a synchronous API or a task API, documented callbacks, a cancel operation, a base URL of the user's own. */
const shape = (id: string) => {
  const meta = META[id as keyof typeof META] as { synchronous?: boolean; callback?: object; operations: { cancel?: object }; baseUrlRequired: boolean }
  return [Boolean(meta.synchronous), Boolean(meta.callback), Boolean(meta.operations.cancel), meta.baseUrlRequired]
}

const sampled = new Set(
  sampleByTraits(
    PROVIDERS.map((p) => p.id),
    shape,
  ),
)

export const TESTED_PROVIDERS: Provider[] = ALL_PROVIDERS ? PROVIDERS : PROVIDERS.filter((p) => sampled.has(p.id))
