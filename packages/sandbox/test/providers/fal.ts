import { createHash, createPublicKey, verify } from 'node:crypto'
import { expect, it } from 'vitest'
import type { Fixture } from '../helpers/fixture.js'

type Json = Record<string, any>

/** A COMPLETED request failed when its result is the model's error: the test's view of it is the failed word. */
const failedResult = (queried: Json) => queried.result !== undefined && queried.resultStatus !== 200

export const fixture: Fixture = {
  // `{owner}/{app}/{request_id}`: the model path (without `/edit`) is the one of the answer's `response_url`.
  idOf: (created) => `${/\/([^/]+\/[^/]+)\/requests\/[^/]+$/.exec(created.response_url ?? '')?.[1] ?? 'fal-ai/nano-banana'}/${created.request_id}`,
  statusOf: (queried) => (queried.status === 'COMPLETED' && failedResult(queried) ? 'FAILED' : queried.status),
  urlsOf: (queried) => (queried.result?.images ?? []).map((image: Json) => image.url),
  // The webhook carries the result (or the error body) in `payload`, and OK or ERROR for the outcome.
  callbackPart: (queried) => ({
    request_id: queried.request_id,
    gateway_request_id: queried.request_id,
    status: queried.resultStatus === 200 ? 'OK' : 'ERROR',
    payload: queried.result,
    ...(queried.resultStatus === 200 ? {} : { error: `Invalid status code ${queried.resultStatus}` }),
  }),
  asQueried: (payload) => ({ status: 'COMPLETED', request_id: payload.request_id, result: payload.payload, resultStatus: payload.status === 'OK' ? 200 : 422 }),
  validationStatus: 422,
  codeOf: (body) => (Array.isArray(body?.detail) ? body.detail[0]?.type : body?.detail),
  refusals: {
    'rate-limit': [429, 'Too many requests'],
    'server-error': [500, 'internal_server_error'],
    'bad-gateway': [502, 'Bad gateway'],
    unavailable: [503, 'downstream_service_unavailable'],
  },
  missingPrompt: { detail: [{ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' }] },
  unknownModel: { status: 404, body: /not found/ },
  unknownTaskId: 'fal-ai/nano-banana/00000000-0000-4000-8000-000000000000',
  checkFailed: (last) => expect(last.result.detail[0].type).toBe('content_policy_violation'),
  checkLifecycle(created, answers) {
    expect(created.status_url).toBe(created.response_url + '/status')
    expect(created.status_url).not.toContain('/edit')
    expect(answers[0]?.queue_position).toBe(0)
    const done = answers.at(-1)!
    expect(done.metrics.inference_time).toBeGreaterThan(0)
    expect(done.result.images.length).toBeGreaterThan(0)
  },
  checkCallbackHeaders(headers, taskId) {
    const requestId = taskId.split('/').at(-1)
    expect(headers['x-fal-webhook-request-id']).toBe(requestId)
    expect(headers['x-fal-webhook-user-id']).toBe('sandbox-user')
    expect(Number(headers['x-fal-webhook-timestamp'])).toBeGreaterThan(1_700_000_000)
    expect(headers['x-fal-webhook-signature']).toMatch(/^[0-9a-f]{128}$/)
  },
  taskIdPattern: /^(fal-ai|google)\/[a-z0-9-]+\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  undocumentedFaultStatuses: ['getImageTask 502', 'getImageTask 503'],
  ownTests({ sandbox, call, create, DRIVERS, pollToEnd, startReceiver, nextEvent }) {
    it('reference images go to /edit; its URLs drop /edit; 2 Lite has no /edit', async () => {
      const body = { prompt: 'edit me', image_urls: ['https://example.com/a.png'] }
      const edited = await call(sandbox(), 'fal', 'createImageEditTask', '/fal-ai/nano-banana-pro/edit', { body })
      expect(edited.status).toBe(200)
      expect(edited.body.status_url).toMatch(/\/fal\/fal-ai\/nano-banana-pro\/requests\/[0-9a-f-]+\/status$/)
      const lite = await call(sandbox(), 'fal', 'createImageEditTask', '/google/nano-banana-2-lite/edit', { body })
      expect(lite.status).toBe(404)
    })

    it('cancel: CANCELLATION_REQUESTED while queued, then the request ends and a second cancel is ALREADY_COMPLETED', async () => {
      const created = await create(sandbox(), 'fal', DRIVERS.fal.createBody('cancel me'), { 'x-sandbox-duration-ms': '60000' })
      const id = DRIVERS.fal.idOf(created.body)
      const path = `/fal-ai/nano-banana/requests/${created.body.request_id}/cancel`
      const first = await call(sandbox(), 'fal', 'cancelImageTask', path, { method: 'PUT' })
      expect([first.status, first.body.status]).toEqual([202, 'CANCELLATION_REQUESTED'])
      const [done] = (await pollToEnd(sandbox(), 'fal', id)).slice(-1)
      expect(done!.body.result.detail).toBe('Request was cancelled')
      const second = await call(sandbox(), 'fal', 'cancelImageTask', path, { method: 'PUT' })
      expect([second.status, second.body.status]).toEqual([400, 'ALREADY_COMPLETED'])
    })

    it('signs webhooks with ED25519 over request id, user id, timestamp and the body hash; the JWKS verifies them', async () => {
      const receiver = await startReceiver()
      try {
        const created = await create(sandbox(), 'fal', DRIVERS.fal.createBody('signed', { callbackUrl: receiver.url }))
        expect(created.status).toBe(200)
        await nextEvent(sandbox(), 'callback-settled', (outcome) => outcome.provider === 'fal')
        const hit = receiver.hits.at(-1)!
        const header = (name: string) => String(hit.headers[name])
        const digest = createHash('sha256').update(hit.bytes).digest('hex')
        const message = `${header('x-fal-webhook-request-id')}\n${header('x-fal-webhook-user-id')}\n${header('x-fal-webhook-timestamp')}\n${digest}`
        const jwks = await (await fetch(`${sandbox().baseUrl('fal')}/.well-known/jwks.json`)).json()
        const key = createPublicKey({ key: jwks.keys[0], format: 'jwk' })
        expect(verify(null, Buffer.from(message), key, Buffer.from(header('x-fal-webhook-signature'), 'hex'))).toBe(true)
        expect(verify(null, Buffer.from(`${message}x`), key, Buffer.from(header('x-fal-webhook-signature'), 'hex'))).toBe(false)
      } finally {
        await receiver.close()
      }
    })
  },
}
