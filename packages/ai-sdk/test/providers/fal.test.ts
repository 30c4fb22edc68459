// fal through the AI SDK: a model id with slashes of its own (`fal/fal-ai/nano-banana-2`), the model in the path,
// and the output read from the result after the COMPLETED status.
import { generateImage } from 'ai'
import { describe, expect, it } from 'vitest'
import { createNanoBananaProvider } from '../../src/index.js'
import { useSandbox } from '../support.js'

const context = useSandbox()

describe('fal through generateImage', () => {
  it('generates through the queue: POST to the model path, then status and result', async () => {
    const seen: string[] = []
    const recording: typeof fetch = async (input, init) => {
      seen.push(`${init?.method ?? 'GET'} ${new URL(String(input instanceof Request ? input.url : input)).pathname}`)
      return fetch(input, init)
    }
    const provider = createNanoBananaProvider({
      apiKeys: { fal: context.sandbox.apiKey },
      baseUrls: { fal: context.sandbox.baseUrl('fal') },
      polling: { initialDelayMs: 20, minDelayMs: 20 },
      fetch: recording,
    })
    const result = await generateImage({ model: provider.image('fal/fal-ai/nano-banana-2'), prompt: 'A banana', aspectRatio: '21:9', n: 2 })
    expect(result.images).toHaveLength(2)
    expect(seen[0]).toBe('POST /fal/fal-ai/nano-banana-2')
    expect(seen.some((line) => /^GET \/fal\/fal-ai\/nano-banana-2\/requests\/[0-9a-f-]+\/status$/.test(line))).toBe(true)
    expect(seen.some((line) => /^GET \/fal\/fal-ai\/nano-banana-2\/requests\/[0-9a-f-]+$/.test(line))).toBe(true)
  })
})
