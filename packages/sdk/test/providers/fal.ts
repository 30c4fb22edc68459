import { expect, it } from 'vitest'
import { ContentPolicyError, createNanoBanana, InvalidRequestError, RateLimitError, ServerError, type Task } from '../../src/index.js'
import type { Fixture } from '../fixture.js'

const REQUEST_ID = '764cabcf-b745-4b3e-ae38-1200304cf45b'

export const fixture: Fixture = {
  created: 'queued',
  sequence: ['inQueue', 'inProgress', 'completed'],
  // A failed request ends COMPLETED like any other; its result answers with the model's error.
  failed: 'completed',
  failedResult: { status: 422, example: 'contentPolicy' },
  // A TaskContentPolicyError, whose name is ContentPolicyError.
  failedClass: ContentPolicyError,
  withId: (body, taskId) => ({ ...body, request_id: taskId.split('/').at(-1) }),
  statusOf: (body) => ({ holder: body, key: 'status' }),
  // The unified id: the model path (without /edit) and the request id.
  taskIdOf: (b, model = 'fal-ai/nano-banana') => `${model}/${b.request_id}`,
  urlsOf: () => ['https://v3.fal.media/files/rabbit/result.png'],
  // A webhook names only the request id.
  callbackTaskIdOf: (taskId) => taskId.split('/').at(-1)!,
  sampleTaskId: `fal-ai/nano-banana/${REQUEST_ID}`,
  errorCodeOf: (body) => (Array.isArray(body?.detail) ? body.detail[0]?.type : body?.detail === undefined ? body?.status : undefined),
  errorEnvelopeOf: (body) => {
    if (typeof body?.detail === 'string') return { message: body.detail }
    if (body?.detail === undefined && typeof body?.status === 'string') return { type: body.status, message: body.status }
    const first = Array.isArray(body?.detail) ? body.detail[0] : undefined
    if (!first) return {}
    const param = (first.loc ?? []).filter((part: unknown) => part !== 'body').join('.')
    return { type: first.type, message: first.msg, ...(param ? { param } : {}) }
  },
  errorOverrides: { content_policy_violation: ContentPolicyError },
  ignoredOption: { request: { model: 'fal-ai/nano-banana', resolution: '1K' }, option: 'resolution' },
  tests(kit) {
    it('fal: the model is the path, the body its fields; images go to /edit, the webhook to the query', async () => {
      const plain = await kit.sent({ prompt: 'p', aspectRatio: '16:9', outputFormat: 'jpeg', n: 2 })
      expect(plain.body).toEqual({ prompt: 'p', aspect_ratio: '16:9', output_format: 'jpeg', num_images: 2 })
      const calls: string[] = []
      const nb = createNanoBanana({
        provider: 'fal',
        apiKey: 'id:secret',
        baseUrl: 'https://queue.fal.run',
        fetch: async (url, init) => {
          calls.push(`${init?.method} ${String(url)} ${new Headers(init?.headers).get('authorization')}`)
          return Response.json({ request_id: REQUEST_ID, status: 'IN_QUEUE' })
        },
      })
      const edit = await nb.submit({ prompt: 'p', model: 'fal-ai/nano-banana-pro', images: kit.refs(2), resolution: '4K', callbackUrl: kit.https })
      expect(edit.taskId).toBe(`fal-ai/nano-banana-pro/${REQUEST_ID}`)
      expect(calls).toEqual([`POST https://queue.fal.run/fal-ai/nano-banana-pro/edit?fal_webhook=${encodeURIComponent(kit.https)} Key id:secret`])
      const lite = await nb.submit({ prompt: 'p', model: 'google/nano-banana-2-lite', aspectRatio: '8:1' })
      expect(lite.taskId).toBe(`google/nano-banana-2-lite/${REQUEST_ID}`)
      expect(calls[1]).toBe('POST https://queue.fal.run/google/nano-banana-2-lite Key id:secret')
    })

    it('fal: every model the issue lists is offered, the Lite ones included; 2 Lite takes no reference image', () => {
      expect(Object.keys(kit.adapter.models).sort()).toEqual(
        ['fal-ai/nano-banana', 'fal-ai/nano-banana-2', 'fal-ai/nano-banana-pro', 'google/nano-banana-2-lite', 'google/nano-banana-lite'].sort(),
      )
      expect(kit.adapter.models['google/nano-banana-2-lite']!.maxImages).toBe(0)
      expect(kit.adapter.models['fal-ai/nano-banana-2']!.resolutions).toEqual(['0.5K', '1K', '2K', '4K'])
      expect(kit.adapter.models['fal-ai/nano-banana']!.notSent).toContain('resolution')
    })

    it('fal: a task id that is not {owner}/{app}/{request_id} is refused before any request', async () => {
      let calls = 0
      const nb = createNanoBanana({
        provider: 'fal',
        apiKey: 'k',
        fetch: async () => {
          calls++
          return Response.json({})
        },
      })
      await expect(nb.getTask('just-an-id')).rejects.toBeInstanceOf(InvalidRequestError)
      expect(calls).toBe(0)
    })

    it('fal: a response_url on another host is not followed: the key goes only to the base URL', async () => {
      const seen: string[] = []
      const nb = createNanoBanana({
        provider: 'fal',
        apiKey: 'k',
        baseUrl: 'https://queue.fal.run',
        fetch: async (url) => {
          seen.push(String(url))
          if (String(url).endsWith('/status')) {
            return Response.json({ status: 'COMPLETED', request_id: REQUEST_ID, response_url: `https://evil.example/fal-ai/nano-banana/requests/${REQUEST_ID}` })
          }
          return Response.json({ images: [{ url: 'https://v3.fal.media/files/a.png' }] })
        },
      })
      const task = await nb.getTask(`fal-ai/nano-banana/${REQUEST_ID}`)
      expect(task.urls).toEqual(['https://v3.fal.media/files/a.png'])
      expect(seen).toEqual([
        `https://queue.fal.run/fal-ai/nano-banana/requests/${REQUEST_ID}/status`,
        `https://queue.fal.run/fal-ai/nano-banana/requests/${REQUEST_ID}`,
      ])
    })

    it('fal: content_policy_violation is a ContentPolicyError; X-Fal-Retryable: false stops a retry, true allows one', async () => {
      const flagged = kit.adapter.parseError(422, { detail: [{ loc: ['body', 'prompt'], msg: 'flagged', type: 'content_policy_violation' }] }, new Headers())
      expect(flagged).toBeInstanceOf(ContentPolicyError)
      const final = kit.client(() => Response.json({ detail: 'Too many requests' }, { status: 429, headers: { 'x-fal-retryable': 'false' } }), {
        maxRetries: 3,
        baseDelayMs: 1,
      })
      await expect(final.submit({ prompt: 'p' })).rejects.toBeInstanceOf(RateLimitError)
      expect(final.calls()).toBe(1)
      const retryable = kit.client(
        () => Response.json({ detail: [{ msg: 'boom', type: 'internal_server_error' }] }, { status: 500, headers: { 'x-fal-retryable': 'true' } }),
        {
          maxRetries: 2,
          baseDelayMs: 1,
        },
      )
      await expect(retryable.submit({ prompt: 'p' })).rejects.toBeInstanceOf(ServerError)
      expect(retryable.calls()).toBe(3)
    })

    it('fal: a webhook names only the request id; ERROR carries the error type', () => {
      const failed = kit.adapter.parseTask({
        request_id: REQUEST_ID,
        status: 'ERROR',
        error: 'Invalid status code 422',
        payload: { detail: [{ msg: 'flagged', type: 'content_policy_violation' }] },
      }) as Task
      expect(failed).toMatchObject({ taskId: REQUEST_ID, status: 'failed', error: { code: 'content_policy_violation', message: 'flagged' } })
    })
  },
}
