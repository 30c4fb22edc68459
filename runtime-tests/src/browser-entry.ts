// The page's script: the scenario, plus what only a page shows (failover and validation through the
// page's own fetch). Exposed on `window` for the test to call with page.evaluate.
import { createNanoBanana, providerIds, InvalidRequestError, UnsupportedOptionError } from '@nano-banana/sdk'
import { describe, generateEveryProvider, type ScenarioConfig } from './scenario.js'

/** A first provider refusing the key, a second serving: the failover client moves on. */
async function failover(config: ScenarioConfig) {
  const [first, second] = providerIds as [string, string]
  const nb = createNanoBanana({
    providers: [
      { provider: first as (typeof providerIds)[number], apiKey: `${config.apiKey}-wrong`, baseUrl: config.baseUrls[first] },
      { provider: second as (typeof providerIds)[number], apiKey: config.apiKey, baseUrl: config.baseUrls[second] },
    ],
    polling: { initialDelayMs: 20, minDelayMs: 20, maxDelayMs: 100 },
  })
  const result = await nb.generate({ prompt: 'failover in a browser' })
  return { served: result.provider, skipped: result.failover.map((step) => `${step.provider}:${step.reason}`) }
}

/** Bad input is refused before any request: an empty prompt, an unknown aspect ratio. */
async function validation(config: ScenarioConfig) {
  const provider = providerIds[0]!
  const nb = createNanoBanana({ provider, apiKey: config.apiKey, baseUrl: config.baseUrls[provider] })
  const empty = await nb.submit({ prompt: '' }).catch((error: unknown) => error)
  const ratio = await nb.submit({ prompt: 'p', aspectRatio: '1:99' as never }).catch((error: unknown) => error)
  return {
    empty: empty instanceof InvalidRequestError ? empty.param : describe(empty),
    ratio: ratio instanceof UnsupportedOptionError || ratio instanceof InvalidRequestError ? ratio.param : describe(ratio),
  }
}

/** A submit to a server that answers no CORS preflight: what the SDK reports. */
async function corsBlocked(config: ScenarioConfig & { blockedBaseUrl: string }) {
  const provider = providerIds[0]!
  const nb = createNanoBanana({ provider, apiKey: config.apiKey, baseUrl: config.blockedBaseUrl, retry: { submit: { maxRetries: 0 } } })
  const error = await nb.submit({ prompt: 'blocked' }).then(
    () => undefined,
    (e: unknown) => e,
  )
  return { name: (error as Error | undefined)?.name, described: describe(error) }
}

const globals = globalThis as Record<string, unknown>
globals.nanoBananaTests = { generateEveryProvider, failover, validation, corsBlocked }
