import { createHmac } from 'node:crypto'
import { expect, it } from 'vitest'
import { DEFAULT_WEBHOOK_SECRET } from '../../src/index.js'
import type { Fixture } from '../helpers/fixture.js'

export const fixture: Fixture = {
  idOf: (created) => created.id,
  statusOf: (queried) => queried.status,
  // `output` is one URI string for these models (an array for others).
  urlsOf: (queried) => [queried.output ?? []].flat(),
  validationStatus: 422,
  // problem+json (RFC 9457) has no code: its `title` names the problem (a throttled request has none).
  codeOf: (body) => body?.title,
  refusals: {
    'rate-limit': [429, undefined],
    'server-error': [500, 'Internal server error'],
    'bad-gateway': [502, 'Bad gateway'],
    unavailable: [503, 'Service unavailable'],
  },
  missingPrompt: { title: 'Input validation failed', detail: '- input.prompt is required', status: 422 },
  unknownModel: { status: 404, body: /Not found/ },
  unknownTaskId: 'zzzzzzzzzzzzzzzzzzzzzzzzzz',
  checkFailed: (last) => expect(last).toMatchObject({ status: 'failed', output: null, error: expect.stringMatching(/flagged as sensitive/) }),
  checkLifecycle(created, answers, task) {
    expect(created).toMatchObject({ status: 'starting', output: null, completed_at: null })
    const done = answers.at(-1)!
    expect(done.input.prompt).toBe(task.prompt)
    expect(Date.parse(done.completed_at)).toBeGreaterThanOrEqual(Date.parse(done.created_at))
    expect(done.metrics.predict_time).toBeGreaterThan(0)
    expect(done.data_removed).toBe(false)
  },
  checkCallbackHeaders(headers, taskId) {
    // Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`.
    expect(headers['webhook-id']).toBe(`msg_${taskId}`)
    expect(Number(headers['webhook-timestamp'])).toBeGreaterThan(1_700_000_000)
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/)
  },
  taskIdPattern: /^[0-9a-f]{26}$/,
  // Replicate documents no gateway answers.
  undocumentedFaultStatuses: ['createImageTask 502', 'createImageTask 503', 'getImageTask 502', 'getImageTask 503'],
  ownTests({ sandbox, DRIVERS, call, create, query, pollToEnd, startReceiver, nextEvent }) {
    const driver = DRIVERS.replicate
    const cancelPath = (id: string) => `/predictions/${id}/cancel`

    it('cancel: a running prediction ends canceled at once; a second cancel answers it unchanged', async () => {
      const created = await create(sandbox(), 'replicate', driver.createBody('cancel me'), { 'x-sandbox-duration-ms': '60000' })
      const first = await call(sandbox(), 'replicate', 'cancelImageTask', cancelPath(created.body.id), { method: 'POST' })
      expect([first.status, first.body.status, first.body.output]).toEqual([200, 'canceled', null])
      const polled = await query(sandbox(), 'replicate', created.body.id)
      expect(polled.body.status).toBe('canceled')
      const second = await call(sandbox(), 'replicate', 'cancelImageTask', cancelPath(created.body.id), { method: 'POST' })
      expect(second.body.status).toBe('canceled')
    })

    it('cancel of a prediction that succeeded leaves it succeeded', async () => {
      const created = await create(sandbox(), 'replicate', driver.createBody('done'), { 'x-sandbox-duration-ms': '5' })
      const answers = await pollToEnd(sandbox(), 'replicate', created.body.id)
      expect(answers.at(-1)!.body.status).toBe('succeeded')
      const late = await call(sandbox(), 'replicate', 'cancelImageTask', cancelPath(created.body.id), { method: 'POST' })
      expect([late.status, late.body.status]).toEqual([200, 'succeeded'])
    })

    it('the model is the path: a body naming another model is refused, an unknown path model is not found', async () => {
      const withModel = await call(sandbox(), 'replicate', 'createImageTask', driver.createPath, { body: { model: 'google/nano-banana', input: { prompt: 'x' } } })
      expect(withModel.status).toBe(422)
      const unknown = await call(sandbox(), 'replicate', 'createImageTask', '/models/google/no-such-model/predictions', { body: { input: { prompt: 'x' } } })
      expect(unknown.status).toBe(404)
    })

    it('the webhook signature verifies over id.timestamp.body with the whsec_ secret', async () => {
      const receiver = await startReceiver()
      try {
        const created = await create(sandbox(), 'replicate', driver.createBody('signed', { callbackUrl: receiver.url }), { 'x-sandbox-duration-ms': '5' })
        await nextEvent(sandbox(), 'callback-settled', (outcome) => outcome.taskId === created.body.id)
        const [hit] = receiver.hits
        const key = Buffer.from(DEFAULT_WEBHOOK_SECRET.replace(/^whsec_/, ''), 'base64')
        const signed = `${hit!.headers['webhook-id']}.${hit!.headers['webhook-timestamp']}.${hit!.bytes.toString('utf8')}`
        expect(hit!.headers['webhook-signature']).toBe(`v1,${createHmac('sha256', key).update(signed).digest('base64')}`)
        // A changed body no longer matches: the signature covers it.
        const tampered = createHmac('sha256', key).update(`${signed} `).digest('base64')
        expect(hit!.headers['webhook-signature']).not.toBe(`v1,${tampered}`)
      } finally {
        await receiver.close()
      }
    })
  },
}
