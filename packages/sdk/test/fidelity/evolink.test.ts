// EvoLink: the cancelled outcome its callback docs name, its documented beta models, Flash-Lite's
// ratios (no extreme ones) and the larger of the two documented prompt limits of gemini-2.5-flash-image.
import { describe, expect, it } from 'vitest'
import { createNanoBanana, UnsupportedOptionError } from '../../src/index.js'
import { BASE, KEY, recordingFetch } from './support.js'

const created = { id: 'task-unified-1-abc', status: 'pending', model: 'm', object: 'image.generation.task', created: 1, progress: 0 }

describe('evolink spec fidelity', () => {
  it('a task reported as "cancelled" is canceled, not an unknown status', async () => {
    const { fetch } = recordingFetch(() => ({ body: { ...created, status: 'cancelled' } }))
    const nb = createNanoBanana({ provider: 'evolink', apiKey: KEY, baseUrl: BASE, fetch })
    const task = await nb.getTask('task-unified-1-abc')
    expect(task.status).toBe('canceled')
  })

  it.each(['nano-banana-2-beta', 'nano-banana-beta'])('the documented beta model %s is accepted and sent', async (model) => {
    const { fetch, calls } = recordingFetch(() => ({ body: created }))
    const nb = createNanoBanana({ provider: 'evolink', apiKey: KEY, baseUrl: BASE, fetch })
    await nb.submit({ prompt: 'a cat', model })
    expect(calls[0]!.body.model).toBe(model)
  })

  it('gemini-3.1-flash-lite-image refuses an extreme ratio before any request', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: created }))
    const nb = createNanoBanana({ provider: 'evolink', apiKey: KEY, baseUrl: BASE, fetch })
    await expect(nb.submit({ prompt: 'a cat', model: 'gemini-3.1-flash-lite-image', aspectRatio: '1:4' })).rejects.toBeInstanceOf(UnsupportedOptionError)
    expect(calls).toHaveLength(0)
  })

  it('gemini-2.5-flash-image takes a 1500-character prompt (the FR page allows 2000)', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: created }))
    const nb = createNanoBanana({ provider: 'evolink', apiKey: KEY, baseUrl: BASE, fetch })
    await nb.submit({ prompt: 'x'.repeat(1500), model: 'gemini-2.5-flash-image' })
    expect(calls).toHaveLength(1)
  })
})
