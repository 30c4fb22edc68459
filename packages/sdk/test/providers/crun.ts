import { expect, it } from 'vitest'
import { InsufficientCreditsError, PermissionError, ServerError, taskFailure, TaskFailedError, type NanoBananaError, type Task } from '../../src/index.js'
import type { Fixture } from '../fixture.js'

export const fixture: Fixture = {
  created: 'success',
  sequence: ['pending', 'running', 'success'],
  failed: 'failed',
  failedClass: TaskFailedError,
  withId: (body, taskId) => ({ ...body, data: { ...body.data, task_id: taskId } }),
  statusOf: (body) => ({ holder: body.data, key: 'status' }),
  taskIdOf: (b) => b.data.task_id,
  urlsOf: (b) => b.data.result.media_urls,
  // seed 002: the JSON code carries the meaning, whether it came with HTTP 200 or the same HTTP status.
  statusClasses: { 455: ServerError, 501: TaskFailedError, 505: PermissionError },
  effectiveStatus: (httpStatus, body) => (typeof body?.code === 'number' && body.code !== 200 ? body.code : httpStatus),
  ignoredOption: { request: { model: 'google/nano-banana-v2', resolution: '1K' }, option: 'resolution' },
  // The gateway's 502 carries the JSON code 500.
  faultOutcomes: { 'submit 502': 'ServerError' },
  // Nano Banana 2 produces JPEG on request.
  downloadRequest: { model: 'google/nano-banana-2', outputFormat: 'jpeg' },
  tests(kit) {
    it('crun google/nano-banana: {model, input: {prompt, aspect_ratio, output_format, img_urls}, callback_url}', async () => {
      const { body } = await kit.sent({ prompt: 'p', aspectRatio: '16:9', outputFormat: 'png', images: kit.refs(1), callbackUrl: kit.https })
      expect(body).toEqual({
        model: 'google/nano-banana',
        input: { prompt: 'p', aspect_ratio: '16:9', output_format: 'png', img_urls: kit.refs(1) },
        callback_url: kit.https,
      })
    })

    it('crun google/nano-banana-2: img_urls, resolution, jpeg -> jpg, providerOptions into input', async () => {
      const { body } = await kit.sent({
        prompt: 'p',
        model: 'google/nano-banana-2',
        aspectRatio: '1:8',
        resolution: '2K',
        outputFormat: 'jpeg',
        images: kit.refs(2),
        providerOptions: { google_search: true },
      })
      expect(body).toEqual({
        model: 'google/nano-banana-2',
        input: { prompt: 'p', aspect_ratio: '1:8', resolution: '2K', output_format: 'jpg', img_urls: kit.refs(2), google_search: true },
      })
      expect(kit.requestSchemaOf('google/nano-banana-2').properties.input).toBeDefined()
    })

    it('crun credits reach the task usage', () => {
      const success = kit.successExample('getImageTask', 'success')
      expect((kit.adapter.parseTask(success) as Task).usage).toEqual({ credits: 6 })
    })

    it.each([
      [{ code: 200, message: 'success', data: { task_id: 't', status: 'failed', result: { code: 501, message: 'Generation failed' } } }],
      // The upstream API's callback style: a non-200 envelope around the failed task keeps the task (and its id).
      [{ code: 501, msg: 'failed', data: { task_id: 't', status: 'failed', result: { code: 501, message: 'Generation failed' } } }],
    ] as const)('crun failed task %j', (body) => {
      const task = kit.adapter.parseTask(body) as Task
      expect(task.status).toBe('failed')
      const error = taskFailure(task)
      expect(error).toBeInstanceOf(TaskFailedError)
      expect(error.taskId).toBe('t')
    })

    it.each([
      [455, ServerError],
      [501, TaskFailedError],
      [505, PermissionError],
      [402, InsufficientCreditsError],
    ] as const)('crun: JSON code %i in an HTTP 200 body (seed 002)', (code, Class) => {
      const error = kit.adapter.parseSubmit({ code, message: 'x', data: null }, kit.response()) as NanoBananaError
      expect(error).toBeInstanceOf(Class)
      expect(error.status).toBe(code)
    })

    it('crun: 455 (maintenance: nothing created) is resent, a 501 is not', async () => {
      let answers = [Response.json({ code: 455, msg: 'maintenance' }), Response.json({ code: 200, msg: 'ok', data: { task_id: 'task-455' } })]
      const nb = kit.client(() => answers.shift()!, { maxRetries: 2, baseDelayMs: 1 })
      await expect(nb.submit({ prompt: 'p' })).resolves.toMatchObject({ taskId: 'task-455' })
      expect(nb.calls()).toBe(2)
      answers = [Response.json({ code: 501, msg: 'failed' }), Response.json({ code: 200, msg: 'ok', data: { task_id: 'never' } })]
      const failing = kit.client(() => answers.shift()!, { maxRetries: 2, baseDelayMs: 1 })
      await expect(failing.submit({ prompt: 'p' })).rejects.toBeInstanceOf(TaskFailedError)
      expect(failing.calls()).toBe(1)
    })
  },
}
