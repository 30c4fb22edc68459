import { expect, it } from 'vitest'
import { ContentPolicyError, taskFailure, TaskFailedError, type Task } from '../../src/index.js'
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
  ignoredOption: { request: { model: 'gemini-2.5-flash-image', resolution: '1K' }, option: 'resolution' },
  tests(kit) {
    it('evolink: 0.5K quality and extreme ratios on gemini-3.1-flash-image-preview, providerOptions merged', async () => {
      const { body } = await kit.sent({
        prompt: 'p',
        model: 'gemini-3.1-flash-image-preview',
        aspectRatio: '8:1',
        resolution: '0.5K',
        providerOptions: { model_params: { seed: 7 } },
      })
      expect(body).toEqual({ model: 'gemini-3.1-flash-image-preview', prompt: 'p', size: '8:1', quality: '0.5K', model_params: { seed: 7 } })
    })

    it('evolink: gemini-2.5-flash-image has no quality field, so 1K is not sent', async () => {
      const { body, submission } = await kit.sent({ prompt: 'p', model: 'gemini-2.5-flash-image', resolution: '1K', aspectRatio: '3:4' })
      expect(body).toEqual({ model: 'gemini-2.5-flash-image', prompt: 'p', size: '3:4' })
      expect(submission.warnings).toHaveLength(1)
    })

    it('evolink: the request schema rejects what the capability check rejects (schema and table agree at the edges)', () => {
      const evo = kit.adapter.models['gemini-3-pro-image-preview']!
      expect(kit.valid(kit.bodyOf(evo.id, { aspectRatio: '8:1' }))).toBe(false)
      expect(kit.valid(kit.bodyOf(evo.id, { resolution: '0.5K' }))).toBe(false)
      expect(kit.valid(kit.bodyOf(evo.id, { images: kit.refs(evo.maxImages + 1) }))).toBe(false)
    })

    it('evolink: integers are percentages (1 means 1 %), and the estimated time is read', () => {
      expect((kit.adapter.parseTask({ id: 'task-unified-1', status: 'processing', progress: 1 }) as Task).progress).toBe(0.01)
      expect((kit.adapter.parseTask({ id: 't', status: 'pending', task_info: { estimated_time: 30 } }) as Task).estimatedSeconds).toBe(30)
    })

    it('evolink: request_cancelled is a canceled task', () => {
      const task = kit.adapter.parseTask({ id: 't', status: 'failed', error: { code: 'request_cancelled', message: 'cancelled' } }) as Task
      expect(task.status).toBe('canceled')
      expect(taskFailure(task)).toBeInstanceOf(TaskFailedError)
    })

    it.each([
      [{ id: 't', status: 'failed', error: { code: 'content_policy_violation', message: 'blocked' } }, ContentPolicyError],
      [{ id: 't', status: 'failed', error: { code: 'generation_timeout', message: 'Generation timed out' } }, TaskFailedError],
    ] as const)('evolink failed task %j', (body, Class) => {
      const task = kit.adapter.parseTask(body) as Task
      expect(task.status).toBe('failed')
      const error = taskFailure(task)
      expect(error).toBeInstanceOf(Class)
      expect(error.taskId).toBe('t')
    })
  },
}
