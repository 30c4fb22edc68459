import { expect, it } from 'vitest'
import { ContentPolicyError } from '../../src/index.js'
import type { Fixture } from '../fixture.js'

export const fixture: Fixture = {
  created: 'task_created',
  sequence: ['pending', 'processing', 'completed'],
  failed: 'failed',
  failedClass: ContentPolicyError,
  withId: (body, taskId) => ({ ...body, id: taskId }),
  statusOf: (body) => ({ holder: body, key: 'status' }),
  taskIdOf: (b) => b.id,
  urlsOf: (b) => b.results,
  ignoredOption: { request: { n: 1 }, option: 'n' },
  tests(kit) {
    it('odkkk: flat body, size/quality/image_urls/callback_url', async () => {
      const { body } = await kit.sent({ prompt: 'p', aspectRatio: '21:9', resolution: '4K', images: kit.refs(2), callbackUrl: kit.https })
      expect(body).toEqual({ model: 'nano-banana-2-lite', prompt: 'p', size: '21:9', quality: '4K', image_urls: kit.refs(2), callback_url: kit.https })
    })
    it('odkkk: integer progress is a percentage', () => {
      expect(kit.adapter.parseTask({ id: 'task-unified-1', status: 'processing', progress: 55 })).toMatchObject({ progress: 0.55 })
    })
  },
}
