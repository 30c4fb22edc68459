// odkkk copies EvoLink's task API: the cancelled outcome of its callback docs is read as canceled.
import { expect, it } from 'vitest'
import { createNanoBanana } from '../../src/index.js'
import { BASE, KEY, recordingFetch } from './support.js'

it('odkkk: a task reported as "cancelled" is canceled', async () => {
  const { fetch } = recordingFetch(() => ({ body: { id: 'task-unified-1-abc', status: 'cancelled', model: 'nano-banana-2-lite', progress: 0 } }))
  const nb = createNanoBanana({ provider: 'odkkk', apiKey: KEY, baseUrl: BASE, fetch })
  expect((await nb.getTask('task-unified-1-abc')).status).toBe('canceled')
})
