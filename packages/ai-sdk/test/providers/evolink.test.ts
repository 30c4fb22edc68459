// EvoLink's own adapter behaviour: extraBody and call headers on its wire body.
import { generateImage } from 'ai'
import { describe, expect, it } from 'vitest'
import { createNanoBananaProvider } from '../../src/index.js'
import { useSandbox } from '../support.js'

const context = useSandbox()

describe('evolink provider options', () => {
  it('merges extraBody into the provider request and sends the call headers', async () => {
    const sent: Array<{ url: string; body: unknown; headers: Headers }> = []
    const recording: typeof fetch = async (input, init) => {
      if (init?.method === 'POST')
        sent.push({ url: String(input instanceof Request ? input.url : input), body: JSON.parse(String(init.body)), headers: new Headers(init.headers) })
      return fetch(input, init)
    }
    const provider = createNanoBananaProvider({
      apiKeys: { evolink: context.sandbox.apiKey },
      baseUrls: { evolink: context.sandbox.baseUrl('evolink') },
      polling: { initialDelayMs: 20, minDelayMs: 20 },
      fetch: recording,
    })
    const result = await generateImage({
      model: provider.image('evolink/gemini-3.1-flash-image-preview'),
      prompt: 'A banana',
      aspectRatio: '21:9',
      headers: { 'x-trace-id': 'abc' },
      providerOptions: { 'nano-banana': { resolution: '4K', extraBody: { model_params: { web_search: true } } } },
    })
    expect(sent).toHaveLength(1)
    expect(sent[0]!.body).toMatchObject({
      model: 'gemini-3.1-flash-image-preview',
      prompt: 'A banana',
      size: '21:9',
      quality: '4K',
      model_params: { web_search: true },
    })
    expect(sent[0]!.headers.get('x-trace-id')).toBe('abc')
    expect(result.images).toHaveLength(1)
  })
})
