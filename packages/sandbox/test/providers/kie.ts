import { createHmac } from 'node:crypto'
import { expect, it } from 'vitest'
import { DEFAULT_WEBHOOK_SECRET, startSandbox } from '../../src/index.js'
import type { Fixture } from '../helpers/fixture.js'

const fault = (name: string): Record<string, string> => ({ 'x-sandbox-fault': name })

export const fixture: Fixture = {
  // A model whose format field spells JPEG `jpg`, like the option's wire spelling.
  model: 'nano-banana-pro',
  idOf: (created) => created.data.taskId,
  statusOf: (queried) => queried.data.state,
  urlsOf: (queried) => (queried.data.resultJson ? JSON.parse(queried.data.resultJson).resultUrls : []),
  codeOf: (body) => body?.code,
  // kie reports errors in the JSON code with HTTP 200; a gateway 502 is a real 502.
  refusals: { 'rate-limit': [200, 429], 'server-error': [200, 500], 'bad-gateway': [502, 500], unavailable: [200, 455] },
  errorHttpStatus: 200,
  missingPrompt: { code: 422, msg: 'Validation Error - input.prompt is required', data: null },
  unknownModel: { status: 200, body: /model name not supported/ },
  unknownTaskId: 'task_0_unknown',
  checkFailed: (last) => expect(last.data).toMatchObject({ state: 'fail', failCode: '500', consumeCredits: 0 }),
  checkLifecycle(_created, answers, task) {
    const done = answers.at(-1)!.data
    expect(done.consumeCredits).toBeGreaterThan(0)
    expect(done.completeTime).toBeGreaterThanOrEqual(done.createTime)
    expect(answers[0]!.data).toMatchObject({ resultJson: '', completeTime: null })
    expect(JSON.parse(done.param).input.prompt).toBe(task.prompt)
  },
  checkCallbackHeaders(headers, taskId) {
    const timestamp = String(headers['x-webhook-timestamp'])
    const expected = createHmac('sha256', DEFAULT_WEBHOOK_SECRET).update(`${taskId}.${timestamp}`).digest('base64')
    expect(headers['x-webhook-signature']).toBe(expected)
  },
  taskIdPattern: /^task_\d+_[0-9a-f]{8}$/,
  undocumentedFaultStatuses: ['createImageTask 502', 'getImageTask 502'],
  ownTests({ sandbox, DRIVERS, call, create }) {
    const driver = DRIVERS.kie

    it('accepts its key only as a Bearer token', async () => {
      const answer = await call(sandbox(), 'kie', 'getCredits', driver.creditsPath!, { key: null, headers: { 'x-api-key': 'sk-sandbox' } })
      expect(answer.body.code).toBe(401)
    })

    it('a missing taskId query parameter gets the 422 envelope', async () => {
      const answer = await call(sandbox(), 'kie', 'getImageTask', driver.queryPath('').replace(/\?.*$/, ''))
      expect([answer.status, answer.body.code]).toEqual([200, 422])
    })

    it('httpStatusErrors sends the same envelopes with the HTTP status equal to the JSON code', async () => {
      const strict = await startSandbox({ httpStatusErrors: true })
      try {
        const limited = await create(strict, 'kie', driver.createBody('x'), fault('rate-limit'))
        expect([limited.status, limited.body.code]).toEqual([429, 429])
      } finally {
        await strict.close()
      }
    })
  },
}
