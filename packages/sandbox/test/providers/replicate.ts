import { expect, it } from 'vitest'
import { parseSandboxArgs, startSandbox, type LegacySandboxOptions, type SandboxOptions } from '../../src/index.js'
import type { Fixture } from '../helpers/fixture.js'

const fault = (name: string): Record<string, string> => ({ 'x-sandbox-fault': name })

export const fixture: Fixture = {
  idOf: (created) => created.data.task_id,
  statusOf: (queried) => queried.data.status,
  urlsOf: (queried) => queried.data.result?.media_urls ?? [],
  // "The payload has the same structure as the `data` object returned by TaskInfo."
  callbackPayloadKey: 'data',
  codeOf: (body) => body?.code,
  // Replicate reports errors in the JSON code with HTTP 200 (its docs' style); a gateway 502 is a real 502.
  refusals: { 'rate-limit': [200, 429], 'server-error': [200, 500], 'bad-gateway': [502, 500], unavailable: [200, 455] },
  errorHttpStatus: 200,
  missingPrompt: { code: 422, message: 'Validation Error - input.prompt is required', data: null },
  unknownModel: { status: 200 },
  unknownTaskId: 'unknown-task',
  checkFailed: (last) => expect(last.data).toMatchObject({ status: 'failed', result: { code: 501 }, credits: 0 }),
  checkLifecycle(_created, answers, task) {
    const done = answers.at(-1)!.data
    expect(done.result.code).toBe(200)
    expect(done.credits).toBeGreaterThan(0)
    expect(done.complete_at).toBeGreaterThanOrEqual(done.create_at)
    expect(answers[0]!.data).toMatchObject({ result: null, duration_s: null, complete_at: null })
    expect(done.param.input.prompt).toBe(task.prompt)
  },
  taskIdPattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  undocumentedFaultStatuses: ['createImageTask 502', 'getImageTask 502'],
  ownTests({ sandbox, DRIVERS, call, create, query, validateAgainstSpec }) {
    const driver = DRIVERS.replicate

    it('accepts its key only in x-api-key', async () => {
      const bearer = await fetch(sandbox().baseUrl('replicate') + driver.creditsPath!, { headers: { authorization: 'Bearer sk-sandbox' } })
      const body = await bearer.json()
      validateAgainstSpec('replicate', 'getCredits', bearer.status, body)
      expect(body.code).toBe(401)
    })

    it('a missing task_id query parameter gets the documented 422 envelope', async () => {
      const answer = await call(sandbox(), 'replicate', 'getImageTask', driver.queryPath('').replace(/\?.*$/, ''))
      expect([answer.status, answer.body.code]).toEqual([200, 422])
    })

    const strictOptions: Array<[string, SandboxOptions & LegacySandboxOptions]> = [
      ['httpStatusErrors', { httpStatusErrors: true }],
      // The option's former name, still accepted.
      ['replicateHttpErrors', { replicateHttpErrors: true }],
    ]
    it.each(strictOptions)('%s sends the same envelopes with the HTTP status equal to the JSON code', async (_name, options) => {
      const strict = await startSandbox(options)
      try {
        const unauthorized = await call(strict, 'replicate', 'createImageTask', driver.createPath, { body: driver.createBody('x'), key: 'nope' })
        expect([unauthorized.status, unauthorized.body.code]).toEqual([401, 401])
        const limited = await create(strict, 'replicate', driver.createBody('x'), fault('rate-limit'))
        expect([limited.status, limited.body.code, limited.headers.get('retry-after')]).toEqual([429, 429, '1'])
        const maintenance = await create(strict, 'replicate', driver.createBody('x'), fault('unavailable'))
        expect([maintenance.status, maintenance.body.code]).toEqual([455, 455])
        const invalid = await create(strict, 'replicate', { model: driver.model, input: {} })
        expect([invalid.status, invalid.body.code]).toEqual([422, 422])
        const missing = await query(strict, 'replicate', 'no-such-task')
        expect([missing.status, missing.body.code]).toEqual([404, 404])
      } finally {
        await strict.close()
      }
    })

    it('the CLI flag keeps its former spelling', () => {
      expect(parseSandboxArgs(['--replicate-http-errors'])).toEqual({ httpStatusErrors: true })
    })
  },
}
