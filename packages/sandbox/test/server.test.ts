import { waitFor } from '@nano-banana/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ProviderMeta } from '@nano-banana/runtime'
import { describeSandbox, parseSandboxArgs, PROVIDER_IDS, runSandboxCli, startSandbox, type ProviderId, type Sandbox } from '../src/index.js'
import { DRIVERS, PROVIDERS, WITH_CREDITS, WITH_DOCUMENTED_CALLBACKS, call, create, fillModelPath, nextEvent, startReceiver } from './helpers/api.js'
import * as api from './helpers/api.js'
import * as spec from './helpers/spec.js'
import { docs, findOperation, requestExamples, submitOperations, validateAgainstSpec, validateComponent } from './helpers/spec.js'

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
    expect(sandbox.baseUrls()).toEqual(Object.fromEntries(PROVIDER_IDS.map((id) => [id, `${sandbox.url}/${id}`])))
    expect(sandbox.apiKey).toBe('sk-sandbox')
    const index = await (await fetch(sandbox.url)).json()
    const lines = describeSandbox(sandbox).split('\n')
    for (const id of PROVIDER_IDS) {
      expect(index.providers[id]).toBe(sandbox.baseUrl(id))
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^ +${id} +${sandbox.url}/${id}$`)))
    }
  })

  it.each(PROVIDERS)('%s: a path its spec does not have gets its own not-found envelope', async (provider) => {
    // Another provider's create path that this spec lacks.
    const own = new Set(Object.keys(docs[provider].paths))
    const foreign = PROVIDERS.map((id) => findOperation(id, 'createImageTask').path).find((path) => !own.has(path))!
    const answer = await call(sandbox, provider, 'createImageTask', foreign, { body: {}, raw: true })
    expect(answer.status).toBe(DRIVERS[provider].errorHttpStatus ?? 404)
    validateComponent(provider, 'ErrorResponse', JSON.parse(answer.text))
    expect(sandbox.submissions(provider)).toBe(0)
  })
})

describe('spec request examples', () => {
  // Everything the spec documents as a valid request must be accepted (callback URLs removed: no traffic out).
  const cases = PROVIDERS.flatMap((provider) =>
    submitOperations(provider).flatMap(({ operationId, path }) =>
      Object.entries(requestExamples(provider, operationId)).map(([name, value]) => [provider, operationId, name, value, path] as const),
    ),
  )
  it.each(cases)('%s %s %s is accepted', async (provider, operationId, _name, value, path) => {
    const body = { ...(value as Record<string, unknown>) }
    delete body[DRIVERS[provider].fields.callbackUrl!]
    // `x-model-in-path`: the path takes the test model.
    const { META } = await import('@nano-banana/manifest')
    const ops = [META[provider].operations.create, ...((META[provider] as { otherOperations?: unknown[] }).otherOperations ?? [])] as Array<{
      operationId: string
      modelPath?: readonly string[]
    }>
    const filled = fillModelPath(path, ops.find((op) => op.operationId === operationId)?.modelPath, DRIVERS[provider].model)
    const answer = await call(sandbox, provider, operationId, filled, { body, headers: { 'x-sandbox-duration-ms': '5' } })
    // A documented success (Replicate answers a created prediction with 201).
    expect(answer.status).toBeGreaterThanOrEqual(200)
    expect(answer.status).toBeLessThan(300)
    expect(answer.text).not.toMatch(/"code":(4\d\d|5\d\d)/)
  })
})

// Behaviour only one provider has lives in its fixture (test/providers/<id>.ts).
for (const provider of PROVIDERS) {
  const own = DRIVERS[provider].ownTests
  if (own) describe(`${provider} own behaviour`, () => own({ ...api, ...spec, sandbox: () => sandbox }))
}

describe('bookkeeping', () => {
  const [busy, quiet, third] = PROVIDERS as [ProviderId, ProviderId, ProviderId]
  it('counts accepted submissions per provider and logs every request', async () => {
    const counts = new Map<ProviderId, number>([
      [busy, 3],
      [third, 1],
      [PROVIDERS[3]!, 2],
    ])
    for (const [provider, count] of counts) {
      for (let i = 0; i < count; i++) expect((await create(sandbox, provider, DRIVERS[provider].createBody(`n${i}`))).status).toBe(200)
    }
    const driver = DRIVERS[busy]
    // A refused or invalid submission is not a submission.
    await create(sandbox, busy, driver.createBody('x'), { 'x-sandbox-fault': 'rate-limit' })
    await create(sandbox, busy, { model: driver.model })
    expect(sandbox.submissions(busy)).toBe(3)
    expect(sandbox.submissions(third)).toBe(1)
    expect(sandbox.submissions(quiet)).toBe(0)
    expect(sandbox.submissions()).toBe(6)
    expect(sandbox.tasks.list(PROVIDERS[3]!)).toHaveLength(2)
    const log = sandbox.requests.filter((entry) => entry.provider === busy)
    expect(log.map((entry) => [entry.method, entry.phase, entry.operation, entry.status])).toEqual([
      ['POST', 'submit', 'createImageTask', 200],
      ['POST', 'submit', 'createImageTask', 200],
      ['POST', 'submit', 'createImageTask', 200],
      ['POST', 'submit', 'createImageTask', driver.refusals['rate-limit'][0]],
      ['POST', 'submit', 'createImageTask', driver.errorHttpStatus ?? 400],
    ])
    expect(log[0]!.path).toBe(`/${busy}${driver.createPath}`)
    expect(log[0]!.taskId).toMatch(driver.taskIdPattern)
  })

  it('the request log keeps the newest logLimit entries', async () => {
    const small = await startSandbox({ logLimit: 3 })
    try {
      const provider = WITH_CREDITS[0]!
      for (let i = 0; i < 5; i++) {
        const answer = await call(small, provider, 'getCredits', `${DRIVERS[provider].creditsPath!}?n=${i}`)
        expect(answer.status).toBe(200)
      }
      expect(small.requests.map((entry) => entry.path)).toEqual([2, 3, 4].map((i) => `/${provider}${DRIVERS[provider].creditsPath!}?n=${i}`))
    } finally {
      await small.close()
    }
  })

  it.each(PROVIDERS)('%s: tasks.get shows the provider status word and the generation parameters', async (provider) => {
    const driver = DRIVERS[provider]
    const created = await create(sandbox, provider, driver.createBody('inspect', { aspect: '16:9', n: 3, jpeg: true }), { 'x-sandbox-duration-ms': '5000' })
    const id = driver.idOf(created.body)
    const view = sandbox.tasks.get(provider, id)
    expect(view).toMatchObject({
      provider,
      status: driver.words.queued,
      phase: 'queued',
      width: 256,
      height: 144,
      n: driver.fields.n ? 3 : 1,
      format: driver.fields.outputFormat ? 'jpeg' : view!.format,
      durationMs: 5000,
    })
    expect(sandbox.tasks.get(PROVIDERS.find((id) => id !== provider)!, id)).toBeUndefined()
  })
})

describe('close', () => {
  it('is idempotent, drops open connections and stops pending callbacks', async () => {
    // Retries minutes apart: the second attempt is pending when the sandbox closes.
    const local = await startSandbox({ taskDurationMs: 0, callbackDelayScale: 100 })
    const receiver = await startReceiver([500])
    const provider = WITH_DOCUMENTED_CALLBACKS.find((id) => WITH_CREDITS.includes(id)) ?? WITH_DOCUMENTED_CALLBACKS[0]!
    const driver = DRIVERS[provider]
    try {
      const firstAttempt = nextEvent(local, 'callback-attempt')
      const created = await create(local, provider, driver.createBody('called back once', { callbackUrl: receiver.url }))
      const id = driver.idOf(created.body)
      expect(await firstAttempt).toMatchObject({ taskId: id, attempt: 1, status: 500 })
      // A request held far longer than the test may run: close() must not wait for it.
      const creditsPath = DRIVERS[provider].creditsPath ?? driver.createPath
      const pending = fetch(local.baseUrl(provider) + creditsPath, {
        headers: { ...driver.authHeader(local.apiKey), 'x-sandbox-fault': 'slow', 'x-sandbox-delay-ms': '600000' },
      })
      await waitFor(() => local.requests.some((entry) => entry.path.startsWith(`/${provider}${creditsPath}`)), { what: 'the slow request' })
      await Promise.all([local.close(), local.close()])
      await local.close()
      await expect(pending).rejects.toThrow()
      // The pending retry was dropped, not sent: the sandbox settled it as closed after one attempt.
      expect(await local.callbackOutcome(provider, id)).toMatchObject({ delivered: false, reason: 'closed', attempts: 1 })
      expect(receiver.hits).toHaveLength(1)
      await expect(fetch(local.url)).rejects.toThrow()
    } finally {
      await receiver.close()
    }
  })
})

describe('cli', () => {
  it('parses flags and rejects unknown ones', () => {
    expect(parseSandboxArgs(['--port', '0', '--key', 'sk-x', '--duration-ms', '10', '--http-status-errors', '--allow-external-callbacks'])).toEqual({
      port: 0,
      apiKey: 'sk-x',
      taskDurationMs: 10,
      httpStatusErrors: true,
      allowExternalCallbacks: true,
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
      const provider = WITH_CREDITS[0]!
      const credits = await fetch(running!.baseUrl(provider) + DRIVERS[provider].creditsPath!, { headers: DRIVERS[provider].authHeader('sk-sandbox') })
      expect(credits.status).toBe(200)
      validateAgainstSpec(provider, 'getCredits', 200, await credits.json())
    } finally {
      await running?.close()
    }
    expect(process.listenerCount('SIGINT')).toBe(listeners - 1)
  })
})

describe('what the sandbox derives from meta agrees with the tests’ own reading of the spec', () => {
  it.each(PROVIDERS)('%s: routes, status words, key transport, callback schedule', async (provider) => {
    const { attemptDelaysOf, keyOf, routesOf, statusWordsOf: wordsFromMeta } = await import('../src/derive.js')
    const { META } = await import('@nano-banana/manifest')
    const meta: ProviderMeta = META[provider]
    const driver = DRIVERS[provider]
    const routes = routesOf(meta)
    // An id of several path parameters (`x-task-id`) starts with the model path.
    const sample = meta.operations.get?.taskId?.parts ? `${driver.model}/task/with id` : 'task/with id'
    const url = new URL(`http://x${driver.queryPath(sample)}`)
    expect(routes.match('GET', url.pathname, url.searchParams)).toMatchObject({ operation: 'getImageTask', phase: 'poll', taskId: sample })
    expect(routes.match('POST', driver.createPath, new URLSearchParams())).toMatchObject({ operation: 'createImageTask', phase: 'submit' })
    expect(routes.match('GET', driver.createPath, new URLSearchParams())).toBeUndefined()
    const words = wordsFromMeta(meta)
    expect({ queued: words.queued, running: words.running, done: words.succeeded, failed: words.failed }).toEqual(driver.words)
    expect(keyOf(meta, driver.authHeader('sk-k'))).toBe('sk-k')
    const documented = spec.documentedRetrySchedule(provider)
    expect(attemptDelaysOf(meta)).toEqual([0, ...(documented ?? [5, 30, 120])])
  })
})
