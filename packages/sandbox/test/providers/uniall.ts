import { expect, it } from 'vitest'
import type { Fixture } from '../helpers/fixture.js'

export const fixture: Fixture = {
  idOf: (created) => created.data.task_id,
  statusOf: (queried) => queried.data.status,
  urlsOf: (queried) => queried.data.result_urls ?? (queried.data.result_url ? [queried.data.result_url] : []),
  codeOf: (body) => body?.code,
  refusals: {
    'rate-limit': [429, 'rate_limit_exceeded'],
    'server-error': [500, 'internal_error'],
    'bad-gateway': [502, 'upstream_error'],
    unavailable: [503, 'service_unavailable'],
  },
  missingPrompt: { code: 'invalid_request', message: 'prompt is required', data: null },
  unknownModel: { status: 400, body: /model_not_found/ },
  unknownTaskId: 'unknown-task',
  // The spec's example names its own placeholder id.
  asNotFoundExample: (body) => ({ ...body, message: 'Task task_xxx not found' }),
  checkFailed: (last) => expect(last.data).toMatchObject({ status: 'failed', result_url: null, error: { code: 'upstream_error' } }),
  checkLifecycle(_created, answers) {
    const progress = answers.map((answer) => answer.data.progress as string)
    expect(progress.every((value) => /^\d{1,3}%$/.test(value))).toBe(true)
    expect(progress[0]).toBe('0%')
    expect(progress.at(-1)).toBe('100%')
    expect(answers.at(-1)!.data.metadata).toEqual({ task_type: 'text2image', result_count: 2 })
  },
  taskIdPattern: /^task_[0-9a-f]{24}$/,
  undocumentedFaultStatuses: ['createImageTask 502', 'createImageTask 503', 'getImageTask 502', 'getImageTask 503'],
  // The synchronous OpenAI-compatible endpoints, next to the async task flow.
  ownTests({ sandbox, call, query, decodeImage }) {
    it('generations answer synchronously with n image URLs', async () => {
      const answer = await call(sandbox(), 'uniall', 'createImageGeneration', '/v1/images/generations', {
        body: { model: 'NanoBanana2-1K', prompt: 'sync', n: 2, aspect_ratio: '9:16', output_format: 'jpeg' },
      })
      expect(answer.status).toBe(200)
      expect(answer.body.data).toHaveLength(2)
      const first = Buffer.from(await (await fetch(answer.body.data[0].url)).arrayBuffer())
      const second = Buffer.from(await (await fetch(answer.body.data[1].url)).arrayBuffer())
      expect(decodeImage(first)).toEqual({ kind: 'jpeg', width: 144, height: 256 })
      expect(first.equals(second)).toBe(false)
      expect(sandbox().submissions('uniall')).toBe(1)
    })

    it('errors use the OpenAI envelope', async () => {
      const unauthorized = await call(sandbox(), 'uniall', 'createImageEdit', '/v1/images/edits', {
        body: { model: 'NanoBanana', prompt: 'x', image: 'https://example.com/a.png' },
        key: 'nope',
      })
      expect([unauthorized.status, unauthorized.body.error.code]).toEqual([401, 'invalid_api_key'])
      const invalid = await call(sandbox(), 'uniall', 'createImageEdit', '/v1/images/edits', { body: { model: 'NanoBanana', prompt: 'x' } })
      expect([invalid.status, invalid.body.error.param]).toEqual([400, 'image'])
      const failed = await call(sandbox(), 'uniall', 'createImageGeneration', '/v1/images/generations', {
        body: { model: 'NanoBanana', prompt: 'x' },
        headers: { 'x-sandbox-fault': 'task-fail' },
      })
      expect(failed.status).toBe(500)
    })

    it('an edit is an image-to-image task', async () => {
      const answer = await call(sandbox(), 'uniall', 'createImageEdit', '/v1/images/edits', {
        body: { model: 'NanoBanana', prompt: 'edit', image: 'https://example.com/a.png' },
      })
      expect(answer.status).toBe(200)
      const [task] = sandbox().tasks.list('uniall')
      expect(task).toMatchObject({ prompt: 'edit', phase: 'succeeded' })
      const queried = await query(sandbox(), 'uniall', task!.id)
      expect(queried.body.data.metadata).toEqual({ task_type: 'image2image', result_count: 1 })
    })
  },
}
