// openapi-fetch: the small typed fetch wrapper (no retries, no polling), against task paths of its own.
import { byHand, installed } from './index.mjs'

const TASK = { id: 'task-1', status: 'done', output: ['https://example.test/1.png'] }

export const peers = [
  {
    name: installed('openapi-fetch'),
    bundle: `
      import createClient from 'openapi-fetch'
      const client = createClient({ baseUrl: 'https://example.test', headers: { authorization: 'Bearer k' } })
      export const run = (prompt) => client.POST('/v1/tasks', { body: { prompt } })`,
    overhead: {
      answer: (method) => (method === 'POST' ? { ...TASK, status: 'queued' } : TASK),
      async sides(url) {
        const { default: createClient } = await import('openapi-fetch')
        const headers = { authorization: 'Bearer sk-bench' }
        const client = createClient({ baseUrl: url, headers })
        const peer = async () => {
          const { data: created } = await client.POST('/v1/tasks', { body: { prompt: 'A cat playing in the grass' } })
          const { data: task } = await client.GET('/v1/tasks/{id}', { params: { path: { id: created.id } } })
          if (task.status !== 'done') throw new Error('unexpected')
        }
        const fetchSide = byHand(url, headers, {
          create: '/v1/tasks',
          body: { prompt: 'A cat playing in the grass' },
          get: (id) => `/v1/tasks/${id}`,
          done: (t) => t.status === 'done',
        })
        return { peer, fetch: fetchSide }
      },
    },
  },
]
