// Live mode: the real provider API through `prism proxy <spec> <real base url> --errors`.
// Runs only under `pnpm contract:live --provider <id>` with the provider's key set; in `pnpm test`
// every live check is listed as skipped, with the reason in its name.
import { describe, inject, it } from 'vitest'
import { createLiveContext, planLiveChecks } from '../src/live-checks.mjs'
import { PROVIDERS, liveConfig } from '../src/providers.mjs'

const active = process.env.CONTRACT_LIVE_PROVIDER
const create = process.env.CONTRACT_LIVE_CREATE === '1'

for (const provider of PROVIDERS) {
  if (active && active !== provider.id) continue
  const config = liveConfig(provider)
  const reason = config.missing.length ? `${config.missing.join(' and ')} not set` : active !== provider.id ? `run pnpm contract:live --provider ${provider.id}` : ''
  describe(`${provider.id} live (prism proxy -> ${config.upstream ?? 'no base URL'})`, () => {
    for (const check of planLiveChecks({ spec: config.spec, create })) {
      it.skipIf(reason !== '')(`${check.name}${reason ? ` [skipped: ${reason}]` : ''}`, async ({ expect, task }) => {
        task.meta.contract = { provider: provider.id, kind: 'live' }
        const context = await createLiveContext({ providerId: provider.id, baseUrl: inject('prism')[`live:${provider.id}`]!.url, apiKey: config.apiKey! })
        const result = await check.run(context)
        expect(result.problems, `HTTP ${result.status}`).toEqual([])
      })
    }
    if (!create) it.skip(`createImageTask [skipped: costs credits; pass --create to include it]`, () => {})
  })
}
