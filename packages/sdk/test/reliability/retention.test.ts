// What a settled call leaves behind: nothing reachable from the client. Each provider's client runs
// generate() calls (and downloads their images) with one long-lived signal of the caller; once the caller
// drops its options, callbacks and results, a garbage collection must free every one of them while the client lives on, and the
// caller's signal must carry no listener of a settled call.
import { getEventListeners } from 'node:events'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '@nano-banana/sandbox'
import { fastSandbox, PROVIDERS, sandboxClient, sleep, SYNC_PROVIDERS } from './support.js'

// `gc()` without a command-line flag: the flag is set at run time and the function taken from a fresh context.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** Full collections across a few turns of the event loop (a WeakRef's target is kept until its job ends). */
async function collect(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    gc()
    await sleep(5)
  }
}

const CALLS = 6

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await fastSandbox()
})
afterAll(() => sandbox.close())

describe.each([...PROVIDERS, ...SYNC_PROVIDERS])('%s: a settled call keeps nothing alive', (provider) => {
  it('results and downloaded bytes are freed once the caller drops them; the caller signal keeps no listener', async () => {
    const nb = sandboxClient(sandbox, provider, { maxConcurrency: 3 })
    const caller = new AbortController()
    const refs: WeakRef<object>[] = []
    await (async () => {
      const results = await Promise.all(
        Array.from({ length: CALLS }, (_, i) => {
          // The caller's options and callback too: the client must not hold them once the call settled.
          const options = { prompt: `retention ${i}`, signal: caller.signal, onProgress: () => {} }
          refs.push(new WeakRef(options), new WeakRef(options.onProgress))
          return nb.generate(options)
        }),
      )
      for (const result of results) {
        refs.push(new WeakRef(result))
        const image = await result.images[0]!.download({ signal: caller.signal })
        refs.push(new WeakRef(image.bytes))
      }
    })()
    expect(refs).toHaveLength(CALLS * 4)
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0)
    await collect()
    expect(refs.filter((ref) => ref.deref() !== undefined)).toHaveLength(0)
    // The client is still alive and usable: what was freed was not needed by it.
    expect((await nb.generate({ prompt: 'after' })).images.length).toBeGreaterThan(0)
  })
})
