// Run by Bun and Deno straight from source (each resolves `@nano-banana/sdk` from node_modules through
// its exports map, as an app would): generate() for every provider against the sandbox, save the
// images with `@nano-banana/sdk/node`, and try one submit to a port nobody listens on. Prints one
// JSON line. Usage: <runtime> save-every-provider.ts '<json config>'
import { createNanoBanana, providerIds } from '@nano-banana/sdk'
import type { LazyProvider } from '@nano-banana/sdk/core'
import { saveImages } from '@nano-banana/sdk/node'
import { generateThroughCore } from './core-scenario.js'
import { describe } from './scenario.js'

interface Config {
  baseUrls: Record<string, string>
  apiKey: string
  runtime: string
  outDir: string
  /** http://127.0.0.1:<a closed port> */
  refusedUrl: string
}

const argv = (globalThis as { Deno?: { args: string[] } }).Deno?.args ?? (globalThis as { process?: { argv: string[] } }).process!.argv.slice(2)
const config = JSON.parse(argv[0]!) as Config
const polling = { initialDelayMs: 20, minDelayMs: 20, maxDelayMs: 100 }

const saved: { provider: string; ok: boolean; taskId?: string; files?: string[]; error?: string }[] = []
for (const provider of providerIds) {
  try {
    const nb = createNanoBanana({ provider, apiKey: config.apiKey, baseUrl: config.baseUrls[provider], polling })
    const result = await nb.generate({ prompt: `a nano banana in ${config.runtime}` })
    saved.push({ provider, ok: true, taskId: result.taskId, files: await saveImages(result, `${config.outDir}/${provider}`) })
  } catch (error) {
    saved.push({ provider, ok: false, error: describe(error) })
  }
}

// The one-provider way: `/core` with each lazy provider, its adapter and the engine loaded by the runtime's own import().
const lazyProviders = Object.fromEntries(
  await Promise.all(providerIds.map(async (id) => [id, ((await import(`@nano-banana/sdk/lazy/${id}`)) as Record<string, LazyProvider>)[id]!] as const)),
)
const throughCore = (await generateThroughCore({ baseUrls: config.baseUrls, apiKey: config.apiKey, runtime: config.runtime }, lazyProviders)).map((outcome) =>
  outcome.ok ? { provider: outcome.provider, ok: true, taskId: outcome.taskId, byteLength: outcome.byteLength } : outcome,
)

// Nothing listens there: the connection is refused, so nothing can have been submitted.
const provider = providerIds[0]!
const refused = await createNanoBanana({ provider, apiKey: config.apiKey, baseUrl: config.refusedUrl, retry: { submit: { maxRetries: 0 } } })
  .submit({ prompt: 'refused' })
  .then(
    () => 'submitted',
    (error: unknown) => describe(error),
  )

console.log(JSON.stringify({ saved, refused, throughCore }))
