// Replicate's own client: predictions.create + predictions.get (what its run() polls with, every 500 ms).
import { byHand, installed } from './index.mjs'

const MODEL = 'google/nano-banana'
const prediction = (status) => ({
  id: 'p-1',
  model: MODEL,
  version: 'hidden',
  input: { prompt: 'A cat playing in the grass' },
  status,
  output: status === 'succeeded' ? 'https://replicate.delivery/p-1.png' : null,
  urls: { get: 'https://api.replicate.com/v1/predictions/p-1', cancel: 'https://api.replicate.com/v1/predictions/p-1/cancel' },
})

export const peers = [
  {
    name: installed('replicate'),
    bundle: `
      import Replicate from 'replicate'
      const replicate = new Replicate({ auth: 'k' })
      export const run = (prompt) => replicate.run('${MODEL}', { input: { prompt } })`,
    overhead: {
      answer: (method) => prediction(method === 'POST' ? 'starting' : 'succeeded'),
      async sides(url) {
        const { default: Replicate } = await import('replicate')
        const replicate = new Replicate({ auth: 'sk-bench', baseUrl: `${url}/v1` })
        const input = { prompt: 'A cat playing in the grass' }
        const peer = async () => {
          const created = await replicate.predictions.create({ model: MODEL, input })
          const got = await replicate.predictions.get(created.id)
          if (got.status !== 'succeeded') throw new Error('unexpected')
        }
        const headers = { authorization: 'Bearer sk-bench' }
        const fetchSide = byHand(url, headers, {
          create: `/v1/models/${MODEL}/predictions`,
          body: { input },
          get: (id) => `/v1/predictions/${id}`,
          done: (t) => t.status === 'succeeded',
        })
        return { peer, fetch: fetchSide }
      },
    },
  },
]
