import { META } from '@nano-banana/manifest'
import { expect, it } from 'vitest'
import { startSandbox } from '../../src/index.js'
import type { Fixture } from '../helpers/fixture.js'

export const fixture: Fixture = {
  idOf: (created) => created.data.taskId,
  statusOf: (queried) => queried.status,
  urlsOf: (queried) => queried.output?.urls ?? [],
  codeOf: (body) => body?.error?.code,
  refusals: {
    'rate-limit': [429, 'rate_limit_exceeded'],
    'server-error': [500, 'internal_error'],
    'bad-gateway': [502, 'upstream_error'],
    unavailable: [503, 'upstream_error'],
  },
  missingPrompt: { error: { code: 'invalid_request', message: "'input.prompt' is required.", type: 'invalid_request_error' } },
  unknownModel: { status: 404, body: /model_not_found/ },
  unknownTaskId: 'unknown-task',
  checkFailed: (last) => expect(last.error.code).toBe('upstream_error'),
  checkLifecycle(_created, answers) {
    const done = answers.at(-1)!
    expect(done.output.metadata.model).toBe(META.gemini.defaultModel)
    expect(done.completed_at).toBeGreaterThanOrEqual(done.created_at)
  },
  checkCallbackHeaders(headers, taskId, outcome) {
    expect(headers['x-event']).toBe(outcome === 'failed' ? 'task.failed' : 'task.completed')
    expect(headers['x-task-id']).toBe(taskId)
    expect(Number(headers['x-timestamp'])).toBeGreaterThan(1_700_000_000)
  },
  taskIdPattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  undocumentedFaultStatuses: ['createImageTask 502', 'getImageTask 502', 'getImageTask 503'],
  ownTests({ DRIVERS, WITH_CREDITS, call }) {
    it('demands the sk- prefix even when the key is otherwise right', async () => {
      const plain = await startSandbox({ apiKey: 'sandbox-key' })
      try {
        const other = WITH_CREDITS.find((id) => id !== 'gemini')!
        const accepted = await call(plain, other, 'getCredits', DRIVERS[other].creditsPath!)
        expect(accepted.status).toBe(200)
        const refused = await call(plain, 'gemini', 'getCredits', DRIVERS.gemini.creditsPath!)
        expect([refused.status, refused.body.error.code]).toEqual([401, 'invalid_api_key'])
      } finally {
        await plain.close()
      }
    })
  },
}
