// Which provider a benchmark runs against, chosen by what it can do, never by name: the first provider
// of the manifest whose sandboxed create answer carries a completion estimate and whose spec
// documents callbacks (what the completion benchmark compares), else the first provider.
import { META, PROVIDER_IDS } from '@nano-banana/manifest'
import { startSandbox } from '@nano-banana/sandbox'
import { createNanoBanana } from '@nano-banana/sdk'

let picked

export function pickBenchProvider() {
  picked ??= (async () => {
    const sandbox = await startSandbox({ estimatedTimeHints: true })
    try {
      for (const id of PROVIDER_IDS.filter((p) => META[p].callback)) {
        const nb = createNanoBanana({ provider: id, apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl(id) })
        const submission = await nb.submit({ prompt: 'which provider gives an estimate' }).catch(() => undefined)
        if (submission?.estimatedSeconds !== undefined) return id
      }
      return PROVIDER_IDS[0]
    } finally {
      await sandbox.close()
    }
  })()
  return picked
}
