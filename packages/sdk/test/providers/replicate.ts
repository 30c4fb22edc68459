import { expect, it } from 'vitest'
import {
  ContentPolicyError,
  ExpiredResultError,
  NotFoundError,
  RateLimitError,
  taskFailure,
  TaskFailedError,
  type NanoBananaError,
  type Task,
} from '../../src/index.js'
import type { Fixture } from '../fixture.js'

export const fixture: Fixture = {
  created: 'starting',
  sequence: ['starting', 'processing', 'succeeded'],
  failed: 'failed',
  // The documented failure is a safety refusal ("flagged as sensitive").
  failedClass: ContentPolicyError,
  withId: (body, taskId) => ({ ...body, id: taskId }),
  statusOf: (body) => ({ holder: body, key: 'status' }),
  taskIdOf: (b) => b.id,
  urlsOf: (b) => [b.output].flat(),
  // problem+json (RFC 9457) has no code: its `title` names the problem.
  errorCodeOf: (body) => body?.title,
  ignoredOption: { request: { model: 'google/nano-banana', resolution: '1K' }, option: 'resolution' },
  downloadRequest: { model: 'google/nano-banana-2', outputFormat: 'jpeg' },
  tests(kit) {
    it('replicate google/nano-banana-pro: {input: {prompt, aspect_ratio, resolution, output_format: jpg, image_input}, webhook, webhook_events_filter}', async () => {
      const body = kit.bodyOf('google/nano-banana-pro', {
        prompt: 'p',
        aspectRatio: '4:5',
        resolution: '4K',
        outputFormat: 'jpeg',
        images: kit.refs(2),
        callbackUrl: kit.https,
      })
      expect(body).toEqual({
        model: 'google/nano-banana-pro',
        input: { prompt: 'p', aspect_ratio: '4:5', resolution: '4K', output_format: 'jpg', image_input: kit.refs(2) },
        webhook: kit.https,
        webhook_events_filter: ['completed'],
      })
    })

    it('replicate: aborted is terminal (failed), canceled is canceled', () => {
      const aborted = kit.adapter.parseTask({ id: 't', status: 'aborted', output: null, error: null }) as Task
      expect(aborted.status).toBe('failed')
      expect(taskFailure(aborted)).toBeInstanceOf(TaskFailedError)
      expect((kit.adapter.parseTask({ id: 't', status: 'canceled' }) as Task).status).toBe('canceled')
    })

    it('replicate: a prediction whose files were deleted (after an hour) is an ExpiredResultError', () => {
      const removed = { id: 't', status: 'succeeded', output: null, data_removed: true }
      expect(kit.adapter.parseTask(removed)).toBeInstanceOf(ExpiredResultError)
      expect(kit.adapter.resultTtlSeconds).toBe(3600)
    })

    it('replicate: problem+json errors keep title and detail', () => {
      const throttled = kit.adapter.parseError(
        429,
        { detail: 'Request was throttled. Your rate limit resets in ~30s.', status: 429 },
        new Headers({ 'retry-after': '30' }),
      )
      expect(throttled).toBeInstanceOf(RateLimitError)
      expect(throttled.retryAfterMs).toBe(30_000)
      const missing = kit.adapter.parseError(404, { title: 'Not found', detail: 'The requested resource could not be found.', status: 404 }, new Headers())
      expect(missing).toBeInstanceOf(NotFoundError)
      expect((missing as NanoBananaError).code).toBe('Not found')
    })

    it('replicate: a failed prediction carries its error text', () => {
      const failed = kit.adapter.parseTask({ id: 't', status: 'failed', error: 'E6716: model crashed' }) as Task
      expect(failed.error).toEqual({ code: 'failed', message: 'E6716: model crashed' })
    })
  },
}
