import { expect, it } from 'vitest'
import { ContentPolicyError, InsufficientCreditsError, taskFailure, UpstreamError, type Task } from '../../src/index.js'
import type { Fixture } from '../fixture.js'

export const fixture: Fixture = {
  created: 'success',
  sequence: ['pending', 'processing', 'completed'],
  failed: 'failed',
  failedClass: ContentPolicyError,
  withId: (body, taskId) => ({ ...body, id: taskId }),
  statusOf: (body) => ({ holder: body, key: 'status' }),
  taskIdOf: (b) => b.data.taskId,
  urlsOf: (b) => b.output.urls,
  // seed 004: 429 is also the spend limit, 503 is the upstream provider.
  errorOverrides: { spend_limit_exceeded: InsufficientCreditsError, upstream_error: UpstreamError },
  ignoredOption: { request: { model: 'nano-banana-2-lite', outputFormat: 'jpeg' }, option: 'outputFormat' },
  // Its 503 is `upstream_error` (often the content itself), which is not resent.
  faultOutcomes: { 'submit 503 / 455': 'UpstreamError' },
  tests(kit) {
    it('openrouter: {model, input: {..., resolution, output_format jpg}, callback_url}; lite sends no format', async () => {
      const full = await kit.sent({ prompt: 'p', aspectRatio: '4:5', resolution: '4K', outputFormat: 'jpeg', images: kit.refs(1), callbackUrl: kit.https })
      expect(full.body).toEqual({
        model: 'nano-banana-2',
        input: { prompt: 'p', aspect_ratio: '4:5', resolution: '4K', output_format: 'jpg', image_urls: kit.refs(1) },
        callback_url: kit.https,
      })
      const lite = await kit.sent({ prompt: 'p', model: 'nano-banana-2-lite', resolution: '1K', outputFormat: 'jpeg' })
      expect(lite.body).toEqual({ model: 'nano-banana-2-lite', input: { prompt: 'p', resolution: '1K' } })
      expect(lite.submission.warnings).toEqual([expect.objectContaining({ option: 'outputFormat' })])
      expect(kit.valid(kit.bodyOf('nano-banana-2-lite', { resolution: '2K' }))).toBe(false)
    })

    it('openrouter: no warnings for options that are sent', async () => {
      const { submission } = await kit.sent({ prompt: 'p', model: 'nano-banana-2', outputFormat: 'jpeg', resolution: '2K', aspectRatio: '16:9' })
      expect(submission.warnings).toEqual([])
    })

    it('openrouter: no progress when the provider gives none', () => {
      expect((kit.adapter.parseTask({ id: 't', status: 'pending' }) as Task).progress).toBeUndefined()
    })

    it('openrouter: a failed task with upstream_error naming sensitive input is a ContentPolicyError', () => {
      const task = kit.adapter.parseTask({
        id: 't',
        status: 'failed',
        error: { code: 'upstream_error', message: 'input may contain sensitive information' },
      }) as Task
      const error = taskFailure(task)
      expect(error).toBeInstanceOf(ContentPolicyError)
      expect(error.taskId).toBe('t')
    })

    it('openrouter: upstream_error naming sensitive content is a ContentPolicyError, a plain one an UpstreamError (seed 004)', () => {
      const sensitive = kit.adapter.parseError(
        503,
        { error: { code: 'upstream_error', message: 'The input contains sensitive or prohibited content', type: 'upstream_error' } },
        new Headers(),
      )
      expect(sensitive).toBeInstanceOf(ContentPolicyError)
      const plain = kit.adapter.parseError(503, { error: { code: 'upstream_error', message: 'provider down', type: 'upstream_error' } }, new Headers())
      expect(plain).toBeInstanceOf(UpstreamError)
    })

    it('openrouter: a spend limit (429) is not retried as a rate limit', async () => {
      const nb = kit.client(
        () => Response.json({ error: { code: 'spend_limit_exceeded', message: 'Key spend limit reached', type: 'billing_error' } }, { status: 429 }),
        {
          maxRetries: 3,
          baseDelayMs: 1,
        },
      )
      await expect(nb.submit({ prompt: 'p' })).rejects.toBeInstanceOf(InsufficientCreditsError)
      expect(nb.calls()).toBe(1)
    })
  },
}
