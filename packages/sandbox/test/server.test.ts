import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { describeSandbox, parseSandboxArgs, runSandboxCli, startSandbox, type ProviderId, type Sandbox } from '../src/index.js'
import { DRIVERS, PROVIDERS, call, create, decodeImage, sleep, startReceiver } from './helpers/api.js'
import { requestExamples, validateAgainstSpec, validateComponent } from './helpers/spec.js'

let sandbox: Sandbox
beforeEach(async () => {
  sandbox = await startSandbox({ taskDurationMs: 30 })
})
afterEach(async () => {
  await sandbox.close()
})

describe('layout', () => {
  it('serves every provider under its own prefix of one server', async () => {
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(sandbox.baseUrls()).toEqual(Object.fromEntries(PROVIDERS.map((id) => [id, `${sandbox.url}/${id}`])))
    expect(sandbox.apiKey).toBe('sk-sandbox')
    const index = await (await fetch(sandbox.url)).json()
    expect(index.providers.crun).toBe(sandbox.baseUrl('crun'))
    expect(describeSandbox(sandbox)).toContain(`aivideoapi  ${sandbox.url}/aivideoapi`)
  })

  it('the create operation of one provider is not found under another', async () => {
    // Paths the specs do not have: the provider's own not-found envelope.
    const answer = await call(sandbox, 'crun', 'createImageTask', '/v1/images/generations', { body: {}, raw: true })
    expect([answer.status, JSON.parse(answer.text).code]).toEqual([200, 404])
    validateComponent('crun', 'ErrorResponse', JSON.parse(answer.text))
    const uniall = await call(sandbox, 'uniall', 'getCredits', '/v1/credits', { raw: true })
    expect(uniall.status).toBe(404)
    validateComponent('uniall', 'ErrorResponse', JSON.parse(uniall.text))
  })

  it('evolink rejects a query id without the task-unified- prefix (400); odkkk has no such rule', async () => {
    const evolink = await call(sandbox, 'evolink', 'getImageTask', '/v1/tasks/abc')
    expect(evolink.status).toBe(400)
    expect(evolink.body.error.param).toBe('task_id')
    const odkkk = await call(sandbox, 'odkkk', 'getImageTask', '/v1/tasks/abc')
    expect(odkkk.status).toBe(404)
  })

  it('aivideoapi demands the sk- prefix even when the key is otherwise right', async () => {
    const plain = await startSandbox({ apiKey: 'sandbox-key' })
    try {
      const evolink = await call(plain, 'evolink', 'getCredits', '/v1/credits')
      expect(evolink.status).toBe(200)
      const aivideoapi = await call(plain, 'aivideoapi', 'getCredits', '/v1/credits')
      expect([aivideoapi.status, aivideoapi.body.error.code]).toEqual([401, 'invalid_api_key'])
    } finally {
      await plain.close()
    }
  })

  it('crun accepts its key only in x-api-key', async () => {
    const bearer = await fetch(sandbox.baseUrl('crun') + '/client/account/balance', { headers: { authorization: 'Bearer sk-sandbox' } })
    const body = await bearer.json()
    validateAgainstSpec('crun', 'getCredits', bearer.status, body)
    expect(body.code).toBe(401)
  })
})

describe('spec request examples', () => {
  // Everything the spec documents as a valid request must be accepted (callback URLs removed: no traffic out).
  const cases = PROVIDERS.flatMap((provider) =>
    (provider === 'uniall' ? ['createImageTask', 'createImageGeneration', 'createImageEdit'] : ['createImageTask']).flatMap((operationId) =>
      Object.entries(requestExamples(provider, operationId)).map(([name, value]) => [provider, operationId, name, value] as const),
    ),
  )
  it.each(cases)('%s %s %s is accepted', async (provider, operationId, _name, value) => {
    const { callback_url: _dropped, ...body } = value as Record<string, unknown>
    const path = { createImageTask: DRIVERS[provider].createPath, createImageGeneration: '/v1/images/generations', createImageEdit: '/v1/images/edits' }[operationId]!
    const answer = await call(sandbox, provider, operationId, path, { body, headers: { 'x-sandbox-duration-ms': '5' } })
    expect(answer.status).toBe(200)
    expect(answer.text).not.toMatch(/"code":(4\d\d|5\d\d)/)
  })
})

describe('uniall OpenAI-compatible endpoints', () => {
  it('generations answer synchronously with n image URLs', async () => {
    const answer = await call(sandbox, 'uniall', 'createImageGeneration', '/v1/images/generations', {
      body: { model: 'NanoBanana2-1K', prompt: 'sync', n: 2, aspect_ratio: '9:16', output_format: 'jpeg' },
    })
    expect(answer.status).toBe(200)
    expect(answer.body.data).toHaveLength(2)
    const first = Buffer.from(await (await fetch(answer.body.data[0].url)).arrayBuffer())
    const second = Buffer.from(await (await fetch(answer.body.data[1].url)).arrayBuffer())
    expect(decodeImage(first)).toEqual({ kind: 'jpeg', width: 144, height: 256 })
    expect(first.equals(second)).toBe(false)
    expect(sandbox.submissions('uniall')).toBe(1)
  })

  it('errors use the OpenAI envelope', async () => {
    const unauthorized = await call(sandbox, 'uniall', 'createImageEdit', '/v1/images/edits', { body: { model: 'NanoBanana', prompt: 'x', image: 'https://example.com/a.png' }, key: 'nope' })
    expect([unauthorized.status, unauthorized.body.error.code]).toEqual([401, 'invalid_api_key'])
    const invalid = await call(sandbox, 'uniall', 'createImageEdit', '/v1/images/edits', { body: { model: 'NanoBanana', prompt: 'x' } })
    expect([invalid.status, invalid.body.error.param]).toEqual([400, 'image'])
    const failed = await call(sandbox, 'uniall', 'createImageGeneration', '/v1/images/generations', {
      body: { model: 'NanoBanana', prompt: 'x' },
      headers: { 'x-sandbox-fault': 'task-fail' },
    })
    expect(failed.status).toBe(500)
  })
})

describe('bookkeeping', () => {
  it('counts accepted submissions per provider and logs every request', async () => {
    const counts: Partial<Record<ProviderId, number>> = { evolink: 3, crun: 1, aivideoapi: 2 }
    for (const [provider, count] of Object.entries(counts) as Array<[ProviderId, number]>) {
      for (let i = 0; i < count; i++) expect((await create(sandbox, provider, DRIVERS[provider].createBody(`n${i}`))).status).toBe(200)
    }
    // A refused or invalid submission is not a submission.
    await create(sandbox, 'evolink', DRIVERS.evolink.createBody('x'), { 'x-sandbox-fault': 'rate-limit' })
    await create(sandbox, 'evolink', { model: 'gemini-3-pro-image-preview' })
    expect(sandbox.submissions('evolink')).toBe(3)
    expect(sandbox.submissions('crun')).toBe(1)
    expect(sandbox.submissions('odkkk')).toBe(0)
    expect(sandbox.submissions()).toBe(6)
    expect(sandbox.tasks.list('aivideoapi')).toHaveLength(2)
    const log = sandbox.requests.filter((entry) => entry.provider === 'evolink')
    expect(log.map((entry) => [entry.method, entry.phase, entry.operation, entry.status])).toEqual([
      ['POST', 'submit', 'createImageTask', 200],
      ['POST', 'submit', 'createImageTask', 200],
      ['POST', 'submit', 'createImageTask', 200],
      ['POST', 'submit', 'createImageTask', 429],
      ['POST', 'submit', 'createImageTask', 400],
    ])
    expect(log[0]!.path).toBe('/evolink/v1/images/generations')
    expect(log[0]!.taskId).toMatch(/^task-unified-\d+-[a-z0-9]{8}$/)
  })

  it('tasks.get shows the provider status word and the generation parameters', async () => {
    const created = await create(sandbox, 'uniall', DRIVERS.uniall.createBody('inspect', { aspect: '16:9', n: 3, jpeg: true }), { 'x-sandbox-duration-ms': '5000' })
    const view = sandbox.tasks.get('uniall', created.body.data.task_id)
    expect(view).toMatchObject({ provider: 'uniall', status: 'queued', phase: 'queued', width: 256, height: 144, n: 3, format: 'jpeg', durationMs: 5000 })
    expect(sandbox.tasks.get('crun', created.body.data.task_id)).toBeUndefined()
  })
})

describe('close', () => {
  it('is idempotent, drops open connections and stops pending callbacks', async () => {
    const local = await startSandbox({ taskDurationMs: 50 })
    const receiver = await startReceiver()
    try {
      await create(local, 'evolink', DRIVERS.evolink.createBody('never called back', { callbackUrl: receiver.url }))
      const pending = fetch(local.baseUrl('evolink') + '/v1/credits', {
        headers: { authorization: 'Bearer sk-sandbox', 'x-sandbox-fault': 'slow', 'x-sandbox-delay-ms': '5000' },
      })
      await sleep(10)
      const started = Date.now()
      await Promise.all([local.close(), local.close()])
      await local.close()
      expect(Date.now() - started).toBeLessThan(1000)
      await expect(pending).rejects.toThrow()
      await sleep(80)
      expect(receiver.hits).toHaveLength(0)
      await expect(fetch(local.url)).rejects.toThrow()
    } finally {
      await receiver.close()
    }
  })
})

describe('cli', () => {
  it('parses flags and rejects unknown ones', () => {
    expect(parseSandboxArgs(['--port', '0', '--key', 'sk-x', '--duration-ms', '10', '--crun-http-errors'])).toEqual({
      port: 0,
      apiKey: 'sk-x',
      taskDurationMs: 10,
      httpStatusErrors: true,
    })
    expect(() => parseSandboxArgs(['--port', 'abc'])).toThrow(/whole number/)
    expect(() => parseSandboxArgs(['--nope'])).toThrow(/unknown option/)
  })

  it('runSandboxCli starts in the foreground and prints each base URL', async () => {
    const lines: string[] = []
    const running = await runSandboxCli(['--port', '0'], { out: (line) => lines.push(line), err: () => undefined })
    const listeners = process.listenerCount('SIGINT')
    try {
      expect(running).toBeDefined()
      const printed = lines.join('\n')
      for (const provider of PROVIDERS) expect(printed).toContain(running!.baseUrl(provider))
      const credits = await fetch(running!.baseUrl('aivideoapi') + '/v1/credits', { headers: { authorization: 'Bearer sk-sandbox' } })
      expect(credits.status).toBe(200)
      validateAgainstSpec('aivideoapi', 'getCredits', 200, await credits.json())
    } finally {
      await running?.close()
    }
    expect(process.listenerCount('SIGINT')).toBe(listeners - 1)
  })
})
