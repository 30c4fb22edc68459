import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox, type ProviderId, type Sandbox } from '../src/index.js'
import { DRIVERS, PROVIDERS, call, create, decodeImage, pollToEnd, query } from './helpers/api.js'
import { responseExamples } from './helpers/spec.js'

/** Consecutive duplicates removed: the status words in the order the polls saw them. */
const distinct = (words: string[]): string[] => words.filter((word, i) => word !== words[i - 1])

/** Progress the provider way: integers 0-100 (odkkk/EvoLink), "N%" strings (UniAll), none but timings (Crun, aivideoapi). */
function checkProgress(provider: ProviderId, created: any, answers: any[]): void {
  if (provider === 'odkkk' || provider === 'evolink') {
    expect(created.task_info.estimated_time).toBe(2)
    const progress = answers.map((answer) => answer.progress as number)
    expect(progress.every(Number.isInteger)).toBe(true)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
    expect(progress[0]).toBe(0)
    expect(progress.at(-1)).toBe(100)
    expect(progress.some((value) => value > 0 && value < 100)).toBe(true)
  } else if (provider === 'uniall') {
    const progress = answers.map((answer) => answer.data.progress as string)
    expect(progress.every((value) => /^\d{1,3}%$/.test(value))).toBe(true)
    expect(progress[0]).toBe('0%')
    expect(progress.at(-1)).toBe('100%')
    expect(answers.at(-1).data.metadata).toEqual({ task_type: 'text2image', result_count: 2 })
  } else if (provider === 'crun') {
    const done = answers.at(-1).data
    expect(done.result.code).toBe(200)
    expect(done.credits).toBeGreaterThan(0)
    expect(done.complete_at).toBeGreaterThanOrEqual(done.create_at)
    expect(answers[0].data).toMatchObject({ result: null, duration_s: null, complete_at: null })
    expect(done.param.input.prompt).toBe('A nano banana on a sunny desk')
  } else {
    const done = answers.at(-1)
    expect(done.output.metadata.model).toBe('nano-banana-2')
    expect(done.completed_at).toBeGreaterThanOrEqual(done.created_at)
  }
}

describe.concurrent('lifecycle', () => {
  it.each(PROVIDERS)('%s: create -> polls through the real status words and progress -> completed with URLs of real images', async (provider) => {
    const driver = DRIVERS[provider]
    // 1500 ms: the queued word lasts its first fifth (300 ms), long enough for the first poll on a busy machine.
    // Each provider gets its own sandbox so the five run side by side.
    const own = await startSandbox({ taskDurationMs: 1500 })
    try {
      const created = await create(own, provider, driver.createBody('A nano banana on a sunny desk', { aspect: '16:9', n: 2 }))
      expect(created.status).toBe(200)
      const id = driver.idOf(created.body)
      expect(id).toBeTruthy()
      const answers = await pollToEnd(own, provider, id, 25)
      const words = distinct(answers.map((answer) => driver.statusOf(answer.body)))
      expect(words).toEqual([driver.words.queued, driver.words.running, driver.words.done])
      checkProgress(provider, created.body, answers.map((answer) => answer.body))

      const urls = driver.urlsOf(answers.at(-1)!.body)
      expect(urls.length).toBe(provider === 'uniall' ? 2 : 1)
      for (const url of urls) {
        expect(url.startsWith(`${own.url}/files/`)).toBe(true)
        const response = await fetch(url)
        expect(response.status).toBe(200)
        expect(response.headers.get('content-type')).toBe('image/png')
        expect(decodeImage(Buffer.from(await response.arrayBuffer()))).toEqual({ kind: 'png', width: 256, height: 144 })
      }
      expect(own.submissions(provider)).toBe(1)
      expect(own.submissions()).toBe(1)
    } finally {
      await own.close()
    }
  })
})

describe('with one sandbox per test', () => {
  let sandbox: Sandbox
  beforeEach(async () => {
    sandbox = await startSandbox({ taskDurationMs: 50 })
  })
  afterEach(async () => {
    await sandbox.close()
  })

  describe.each(PROVIDERS)('%s lifecycle', (provider: ProviderId) => {
    const driver = DRIVERS[provider]

    it('a wrong or missing key gets the documented 401 body', async () => {
      const expectedStatus = provider === 'crun' ? 200 : 401
      for (const key of ['sk-wrong', null]) {
        const answer = await call(sandbox, provider, 'createImageTask', driver.createPath, { body: driver.createBody('x'), key })
        expect(answer.status).toBe(expectedStatus)
        const documented = responseExamples(provider, 'createImageTask', 401)
        expect(documented).toContainEqual(answer.body)
        const polled = await call(sandbox, provider, 'getImageTask', driver.queryPath('task-unified-1-x'), { key })
        expect(polled.status).toBe(expectedStatus)
        expect(responseExamples(provider, 'getImageTask', 401)).toContainEqual(polled.body)
      }
      expect(sandbox.submissions(provider)).toBe(0)
    })

    it('a body that breaks the request schema gets the documented 400/422 envelope', async () => {
      const body = driver.createBody('x') as Record<string, any>
      if (body.input) delete body.input.prompt
      else delete body.prompt
      const answer = await create(sandbox, provider, body)
      expect(answer.status).toBe(provider === 'crun' ? 200 : 400)
      expect(answer.headers.get('x-sandbox-violation')).toMatch(/prompt is required/)
      const expected: Record<ProviderId, unknown> = {
        odkkk: { error: { code: 400, message: 'Invalid request parameters', type: 'invalid_request_error', param: 'prompt' } },
        evolink: { error: { code: 400, message: 'Invalid request parameters', type: 'invalid_request_error', param: 'prompt' } },
        crun: { code: 422, message: 'Validation Error - input.prompt is required', data: null },
        uniall: { code: 'invalid_request', message: 'prompt is required', data: null },
        aivideoapi: { error: { code: 'invalid_request', message: "'input.prompt' is required.", type: 'invalid_request_error' } },
      }
      expect(answer.body).toEqual(expected[provider])
      expect(sandbox.submissions(provider)).toBe(0)
    })

    it('an unknown model gets the documented model error', async () => {
      const answer = await create(sandbox, provider, { ...driver.createBody('x'), model: 'NanoBananaX' })
      const status: Record<ProviderId, number> = { odkkk: 400, evolink: 404, crun: 200, uniall: 400, aivideoapi: 404 }
      expect(answer.status).toBe(status[provider])
      if (provider === 'evolink' || provider === 'aivideoapi' || provider === 'uniall') {
        expect(JSON.stringify(answer.body)).toMatch(/model_not_found|Specified model not found/)
      }
    })

    it('an unknown task id gets the documented not-found body', async () => {
      const id = provider === 'evolink' ? 'task-unified-0-unknown' : 'unknown-task'
      const answer = await query(sandbox, provider, id)
      expect(answer.status).toBe(provider === 'crun' ? 200 : 404)
      expect(responseExamples(provider, 'getImageTask', provider === 'crun' ? 200 : 404)).toContainEqual(
        provider === 'uniall' ? { ...answer.body, message: 'Task task_xxx not found' } : answer.body,
      )
    })

    it(driver.creditsPath ? 'answers the credits endpoint with the documented body' : 'serves no credits endpoint (none is documented)', async () => {
      if (!driver.creditsPath) {
        // UniAll documents no balance endpoint, so the sandbox must not invent one.
        const response = await fetch(`${sandbox.baseUrl(provider)}/v1/credits`, { headers: { authorization: `Bearer ${sandbox.apiKey}` } })
        await response.body?.cancel()
        expect(response.status).toBe(404)
        return
      }
      const answer = await call(sandbox, provider, 'getCredits', driver.creditsPath)
      expect(answer.status).toBe(200)
      expect(responseExamples(provider, 'getCredits', 200)).toContainEqual(answer.body)
    })
  })

  describe('images', () => {
    it('JPEG when asked, PNG otherwise; the aspect ratio decides the size; same prompt, same bytes', async () => {
      const results: Record<string, Buffer> = {}
      for (const [name, provider, body] of [
        ['crun-jpeg', 'crun', DRIVERS.crun.createBody('same prompt', { aspect: '9:16', jpeg: true })],
        ['uniall-jpeg', 'uniall', DRIVERS.uniall.createBody('same prompt', { aspect: '4:3', jpeg: true })],
        ['aivideoapi-default', 'aivideoapi', { model: 'nano-banana-2-lite', input: { prompt: 'same prompt', aspect_ratio: 'auto' } }],
        ['evolink-a', 'evolink', DRIVERS.evolink.createBody('same prompt', { aspect: '21:9' })],
        ['evolink-b', 'evolink', DRIVERS.evolink.createBody('same prompt', { aspect: '21:9' })],
        ['evolink-other', 'evolink', DRIVERS.evolink.createBody('another prompt', { aspect: '21:9' })],
      ] as const) {
        const created = await create(sandbox, provider, body, { 'x-sandbox-duration-ms': '0' })
        const [done] = (await pollToEnd(sandbox, provider, DRIVERS[provider].idOf(created.body))).slice(-1)
        const response = await fetch(DRIVERS[provider].urlsOf(done!.body)[0]!)
        results[name] = Buffer.from(await response.arrayBuffer())
      }
      expect(decodeImage(results['crun-jpeg']!)).toEqual({ kind: 'jpeg', width: 144, height: 256 })
      expect(decodeImage(results['uniall-jpeg']!)).toEqual({ kind: 'jpeg', width: 256, height: 192 })
      // aivideoapi's spec default output format is jpg; `auto` is square.
      expect(decodeImage(results['aivideoapi-default']!)).toEqual({ kind: 'jpeg', width: 256, height: 256 })
      expect(decodeImage(results['evolink-a']!)).toEqual({ kind: 'png', width: 256, height: 110 })
      expect(results['evolink-a']!.equals(results['evolink-b']!)).toBe(true)
      expect(results['evolink-a']!.equals(results['evolink-other']!)).toBe(false)
    })

    it('imageLongSide sets the long side', async () => {
      const small = await startSandbox({ imageLongSide: 64, taskDurationMs: 0 })
      try {
        const created = await create(small, 'odkkk', DRIVERS.odkkk.createBody('x', { aspect: '3:2' }))
        const [done] = (await pollToEnd(small, 'odkkk', created.body.id)).slice(-1)
        const bytes = Buffer.from(await (await fetch(done!.body.results[0])).arrayBuffer())
        expect(decodeImage(bytes)).toMatchObject({ width: 64, height: 43 })
      } finally {
        await small.close()
      }
    })

    it('result URLs expire after resultTtlMs with a small JSON 404', async () => {
      const short = await startSandbox({ resultTtlMs: 600, taskDurationMs: 0 })
      try {
        const created = await create(short, 'aivideoapi', DRIVERS.aivideoapi.createBody('ttl'))
        const [done] = (await pollToEnd(short, 'aivideoapi', created.body.data.taskId)).slice(-1)
        const url = done!.body.output.urls[0]
        expect((await fetch(url)).status).toBe(200)
        await new Promise((resolve) => setTimeout(resolve, 620))
        const expired = await fetch(url)
        expect(expired.status).toBe(404)
        expect(await expired.json()).toEqual({ error: { code: 'url_expired', message: 'This result URL has expired' } })
      } finally {
        await short.close()
      }
    })
  })

  describe('estimated time hints', () => {
    it('estimated_time is the real duration rounded up, or absent when estimatedTimeHints is false', async () => {
      const created = await create(sandbox, 'evolink', DRIVERS.evolink.createBody('x'), { 'x-sandbox-duration-ms': '4200' })
      expect(created.body.task_info.estimated_time).toBe(5)
      const quiet = await startSandbox({ estimatedTimeHints: false })
      try {
        const answer = await create(quiet, 'odkkk', DRIVERS.odkkk.createBody('x'))
        expect(answer.body.task_info).toEqual({ can_cancel: true })
      } finally {
        await quiet.close()
      }
    })
  })
})
