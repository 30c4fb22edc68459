import { expect, it } from 'vitest'
import {
  InsufficientCreditsError,
  InvalidRequestError,
  PermissionError,
  ServerError,
  taskFailure,
  TaskFailedError,
  type NanoBananaError,
  type Task,
} from '../../src/index.js'
import type { Fixture } from '../fixture.js'

export const fixture: Fixture = {
  created: 'success',
  sequence: ['waiting', 'generating', 'success'],
  failed: 'fail',
  failedClass: TaskFailedError,
  withId: (body, taskId) => ({ ...body, data: { ...body.data, taskId } }),
  statusOf: (body) => ({ holder: body.data, key: 'state' }),
  taskIdOf: (b) => b.data.taskId,
  urlsOf: (b) => JSON.parse(b.data.resultJson).resultUrls,
  // The JSON code carries the meaning, whether it came with HTTP 200 or the same HTTP status.
  statusClasses: { 455: ServerError, 501: TaskFailedError, 505: PermissionError },
  effectiveStatus: (httpStatus, body) => (typeof body?.code === 'number' && body.code !== 200 ? body.code : httpStatus),
  ignoredOption: { request: { model: 'google/nano-banana', resolution: '1K' }, option: 'resolution' },
  faultOutcomes: { 'submit 502': 'ServerError' },
  downloadRequest: { model: 'nano-banana-2', outputFormat: 'jpeg' },
  tests(kit) {
    it('kie google/nano-banana: {model, callBackUrl, input: {prompt, image_size, output_format: jpeg}}', async () => {
      const { body } = await kit.sent({ prompt: 'p', aspectRatio: '16:9', outputFormat: 'jpeg', callbackUrl: kit.https })
      expect(body).toEqual({ model: 'google/nano-banana', input: { prompt: 'p', image_size: '16:9', output_format: 'jpeg' }, callBackUrl: kit.https })
    })

    it('kie google/nano-banana refuses reference images before sending (google/nano-banana-edit takes them)', async () => {
      await expect(kit.sent({ prompt: 'p', images: kit.refs(1) })).rejects.toBeInstanceOf(InvalidRequestError)
      const { body } = await kit.sent({ prompt: 'p', model: 'google/nano-banana-edit', images: kit.refs(2) })
      expect(body.input.image_urls).toEqual(kit.refs(2))
    })

    it('kie nano-banana-2: image_input, resolution, jpeg -> jpg, providerOptions into input', async () => {
      const { body } = await kit.sent({
        prompt: 'p',
        model: 'nano-banana-2',
        aspectRatio: '1:8',
        resolution: '2K',
        outputFormat: 'jpeg',
        images: kit.refs(2),
        providerOptions: { google_search: true },
      })
      expect(body).toEqual({
        model: 'nano-banana-2',
        input: { prompt: 'p', aspect_ratio: '1:8', resolution: '2K', output_format: 'jpg', image_input: kit.refs(2), google_search: true },
      })
    })

    it('kie resultJson (a JSON string) gives the URLs; consumeCredits the usage', () => {
      const task = kit.adapter.parseTask({
        code: 200,
        message: 'success',
        data: { taskId: 't', state: 'success', resultJson: '{"resultUrls":["https://x/a.png"]}', consumeCredits: 8 },
      }) as Task
      expect(task).toMatchObject({ status: 'succeeded', urls: ['https://x/a.png'], usage: { credits: 8 } })
    })

    it.each([
      [{ code: 200, message: 'success', data: { taskId: 't', state: 'fail', failCode: '500', failMsg: 'Internal server error' } }],
      // The callback envelope of a failed task: a non-200 code around the task keeps the task (and its id).
      [{ code: 501, msg: 'Playground task failed.', data: { taskId: 't', state: 'fail', failCode: '500', failMsg: 'Internal server error' } }],
    ] as const)('kie failed task %j', (body) => {
      const task = kit.adapter.parseTask(body) as Task
      expect(task).toMatchObject({ status: 'failed', error: { code: '500', message: 'Internal server error' } })
      const error = taskFailure(task)
      expect(error).toBeInstanceOf(TaskFailedError)
      expect(error.taskId).toBe('t')
    })

    it.each([
      [455, ServerError],
      [501, TaskFailedError],
      [505, PermissionError],
      [402, InsufficientCreditsError],
      [422, InvalidRequestError],
    ] as const)('kie: JSON code %i in an HTTP 200 body', (code, Class) => {
      const error = kit.adapter.parseSubmit({ code, msg: 'x', data: null }, kit.response()) as NanoBananaError
      expect(error).toBeInstanceOf(Class)
      expect(error.status).toBe(code)
    })

    it('kie: 455 (maintenance: nothing created) is resent, a 501 is not', async () => {
      let answers = [Response.json({ code: 455, msg: 'maintenance' }), Response.json({ code: 200, msg: 'ok', data: { taskId: 'task-455' } })]
      const nb = kit.client(() => answers.shift()!, { maxRetries: 2, baseDelayMs: 1 })
      await expect(nb.submit({ prompt: 'p' })).resolves.toMatchObject({ taskId: 'task-455' })
      expect(nb.calls()).toBe(2)
      answers = [Response.json({ code: 501, msg: 'failed' }), Response.json({ code: 200, msg: 'ok', data: { taskId: 'never' } })]
      const failing = kit.client(() => answers.shift()!, { maxRetries: 2, baseDelayMs: 1 })
      await expect(failing.submit({ prompt: 'p' })).rejects.toBeInstanceOf(TaskFailedError)
      expect(failing.calls()).toBe(1)
    })
  },
}
