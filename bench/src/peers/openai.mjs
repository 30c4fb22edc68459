// openai-node: a background response (submit) and its retrieval (one poll), the SDK's own submit + poll.
import { byHand, installed } from './index.mjs'

const response = (status) => ({ id: 'resp_1', object: 'response', created_at: 1, status, model: 'gpt-image-1', output: [] })

export const peers = [
  {
    name: installed('openai'),
    bundle: `
      import OpenAI from 'openai'
      const openai = new OpenAI({ apiKey: 'k', dangerouslyAllowBrowser: true })
      export const run = (prompt) => openai.images.generate({ model: 'gpt-image-1', prompt })`,
    overhead: {
      answer: (method) => response(method === 'POST' ? 'queued' : 'completed'),
      async sides(url) {
        const { default: OpenAI } = await import('openai')
        const openai = new OpenAI({ apiKey: 'sk-bench', baseURL: `${url}/v1` })
        const body = { model: 'gpt-image-1', input: 'A cat playing in the grass', background: true }
        const peer = async () => {
          const created = await openai.responses.create(body)
          const got = await openai.responses.retrieve(created.id)
          if (got.status !== 'completed') throw new Error('unexpected')
        }
        const headers = { authorization: 'Bearer sk-bench' }
        const fetchSide = byHand(url, headers, { create: '/v1/responses', body, get: (id) => `/v1/responses/${id}`, done: (t) => t.status === 'completed' })
        return { peer, fetch: fetchSide }
      },
    },
  },
]
