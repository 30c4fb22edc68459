import { expect, it } from 'vitest'
import { ContentPolicyError, NotFoundError, taskFailure, TaskFailedError, type Task } from '../../src/index.js'
import { uniallModelId } from '../../src/providers/uniall.js'
import type { Fixture } from '../fixture.js'

export const fixture: Fixture = {
  created: 'created',
  sequence: ['queued', 'running', 'succeeded'],
  failed: 'failed',
  failedClass: TaskFailedError,
  withId: (body, taskId) => ({ ...body, data: { ...body.data, task_id: taskId } }),
  statusOf: (body) => ({ holder: body.data, key: 'status' }),
  taskIdOf: (b) => b.data.task_id,
  urlsOf: (b) => [b.data.result_url],
  // The spec's 400 "model not enabled" example carries this code.
  errorOverrides: { model_not_found: NotFoundError },
  resolutionInModelId: true,
  ignoredOption: { request: { model: 'NanoBanana', resolution: '1K' }, option: 'resolution' },
  // Several images per task.
  downloadRequest: { n: 2 },
  tests(kit) {
    it('uniall: family + resolution -> tier id, one image -> image, several -> images', async () => {
      const one = await kit.sent({ prompt: 'p', resolution: '0.5K', images: kit.refs(1), aspectRatio: '16:9', outputFormat: 'jpeg', n: 2 })
      expect(one.body).toEqual({
        model: 'NanoBanana2-0.5K',
        prompt: 'p',
        task_type: 'image2image',
        image: kit.refs(1)[0],
        aspect_ratio: '16:9',
        output_format: 'jpeg',
        n: 2,
        response_format: 'url',
      })
      const several = await kit.sent({ prompt: 'p', model: 'NanoBananaPro', resolution: '4K', images: kit.refs(3) })
      expect(several.body).toMatchObject({ model: 'NanoBananaPro-4K', task_type: 'image2image', images: kit.refs(3) })
      expect(several.body).not.toHaveProperty('image')
      const plain = await kit.sent({ prompt: 'p' })
      expect(plain.body).toEqual({ model: 'NanoBanana2-1K', prompt: 'p', task_type: 'text2image', response_format: 'url' })
      const base = await kit.sent({ prompt: 'p', model: 'NanoBanana', outputFormat: 'webp' })
      expect(base.body).toMatchObject({ model: 'NanoBanana', output_format: 'webp' })
      expect(uniallModelId('NanoBanana2', '2K')).toBe('NanoBanana2-2K')
    })

    it('uniall: percentage strings', () => {
      const body = { code: 'success', data: { task_id: 't', status: 'running', progress: '40%' } }
      expect((kit.adapter.parseTask(body) as Task).progress).toBe(0.4)
    })

    it('uniall: a failed task naming the safety filter is a ContentPolicyError', () => {
      const task = kit.adapter.parseTask({ code: 'success', data: { task_id: 't', status: 'failed', error: 'prompt rejected by safety filter' } }) as Task
      expect(task.status).toBe('failed')
      const error = taskFailure(task)
      expect(error).toBeInstanceOf(ContentPolicyError)
      expect(error.taskId).toBe('t')
    })
  },
}
