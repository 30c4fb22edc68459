import { META } from '@nano-banana/manifest'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startSandbox, type ProviderId, type Sandbox } from '../src/index.js'
import {
  DRIVERS,
  PROVIDERS,
  WITH_CREDITS,
  WITH_ESTIMATE,
  WITH_FORMAT,
  call,
  create,
  decodeImage,
  pollToEnd,
  query,
  sizeFor,
  stepToEnd,
  untilPast,
} from './helpers/api.js'
import { findOperation, hasOperation, responseExamples } from './helpers/spec.js'

/** Consecutive duplicates removed: the status words in the order the polls saw them. */
const distinct = <T>(words: T[]): T[] => words.filter((word, i) => word !== words[i - 1])

// The sandbox reads the task's phase off Date.now(): the test fakes Date (timers stay real) and moves it
// through the task's duration in small steps, so every status word is seen however busy the machine is
// (polling a real clock missed the first word under load), and no test waits for the task's time to pass.
// One test at a time: they share the faked clock.
describe('lifecycle', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it.each(PROVIDERS)('%s: create -> polls through the real status words and progress -> completed with URLs of real images', async (provider) => {
    const driver = DRIVERS[provider]
    const durationMs = 6000
    const prompt = 'A nano banana on a sunny desk'
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
    const own = await startSandbox({ taskDurationMs: durationMs })
    try {
      const createdAt = Date.now()
      const created = await create(own, provider, driver.createBody(prompt, { aspect: '16:9', n: 2 }))
      expect(created.status).toBe(driver.createdStatus)
      const id = driver.idOf(created.body)
      expect(id).toMatch(driver.taskIdPattern)
      const answers = await stepToEnd(own, provider, id, createdAt, durationMs)
      const words = distinct(answers.map((answer) => driver.statusOf(answer.body)))
      // Several spec words may mean one phase (queued twice over, say): the phases go in order, first word to last.
      const statusWords = META[provider].statusWords as Record<string, string>
      expect(distinct(words.map((word) => statusWords[word]))).toEqual(['queued', 'running', 'succeeded'])
      expect([words[0], words.at(-1)]).toEqual([driver.words.queued, driver.words.done])
      driver.checkLifecycle(
        created.body,
        answers.map((answer) => answer.body),
        { prompt, durationMs },
      )

      const urls = driver.urlsOf(answers.at(-1)!.body)
      // Two images where the model takes `n`, else one.
      expect(urls.length).toBe(driver.fields.n ? 2 : 1)
      for (const url of urls) {
        expect(url.startsWith(`${own.url}/files/`)).toBe(true)
        const response = await fetch(url)
        expect(response.status).toBe(200)
        expect(response.headers.get('content-type')).toBe('image/png')
        expect(decodeImage(Buffer.from(await response.arrayBuffer()))).toEqual({ kind: 'png', ...sizeFor('16:9') })
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
    const errorStatus = (status: number): number => driver.errorHttpStatus ?? status

    it('a wrong or missing key gets the documented 401 body', async () => {
      for (const key of ['sk-wrong', null]) {
        const answer = await call(sandbox, provider, 'createImageTask', driver.createPath, { body: driver.createBody('x'), key })
        expect(answer.status).toBe(errorStatus(401))
        const documented = responseExamples(provider, 'createImageTask', 401)
        expect(documented).toContainEqual(answer.body)
        const polled = await call(sandbox, provider, 'getImageTask', driver.queryPath(driver.unknownTaskId), { key })
        expect(polled.status).toBe(errorStatus(401))
        expect(responseExamples(provider, 'getImageTask', 401)).toContainEqual(polled.body)
      }
      expect(sandbox.submissions(provider)).toBe(0)
    })

    it('a body that breaks the request schema gets the documented 400/422 envelope', async () => {
      const body = driver.createBody('x') as Record<string, any>
      const path = driver.fields.prompt!.split('.')
      delete path.slice(0, -1).reduce((node, key) => node[key], body)[path.at(-1)!]
      const answer = await create(sandbox, provider, body)
      expect(answer.status).toBe(driver.validationStatus ?? errorStatus(400))
      expect(answer.headers.get('x-sandbox-violation')).toMatch(/prompt is required/)
      expect(answer.body).toEqual(driver.missingPrompt)
      expect(sandbox.submissions(provider)).toBe(0)
    })

    it('an unknown model gets the documented model error', async () => {
      // Where the path carries the model (`x-model-in-path`), the unknown model is the path's.
      const inPath = (META[provider].operations.create as { modelPath?: readonly string[] }).modelPath
      const answer = inPath
        ? await call(sandbox, provider, 'createImageTask', driver.createPathFor(inPath.map((_, i) => `nano-banana-x${i}`).join('/')), {
            body: driver.createBody('x'),
          })
        : await create(sandbox, provider, { ...driver.createBody('x'), model: 'NanoBananaX' })
      expect(answer.status).toBe(driver.unknownModel.status)
      if (driver.unknownModel.body) expect(JSON.stringify(answer.body)).toMatch(driver.unknownModel.body)
      expect(sandbox.submissions(provider)).toBe(0)
    })

    it('an unknown task id gets the documented not-found body', async () => {
      const answer = await query(sandbox, provider, driver.unknownTaskId)
      expect(answer.status).toBe(errorStatus(404))
      expect(responseExamples(provider, 'getImageTask', errorStatus(404))).toContainEqual(driver.asNotFoundExample?.(answer.body) ?? answer.body)
    })

    const credits = hasOperation(provider, 'getCredits')
    it(credits ? 'answers the credits endpoint with the documented body' : 'serves no credits endpoint (none is documented)', async () => {
      if (!credits) {
        // No balance endpoint in the spec, so the sandbox must not invent one: another provider's credits path is not found.
        const foreign = findOperation(WITH_CREDITS[0]!, 'getCredits').path
        const response = await fetch(`${sandbox.baseUrl(provider)}${foreign}`, { headers: driver.authHeader(sandbox.apiKey) })
        await response.body?.cancel()
        expect(response.status).toBe(errorStatus(404))
        return
      }
      const answer = await call(sandbox, provider, 'getCredits', driver.creditsPath!)
      expect(answer.status).toBe(200)
      expect(responseExamples(provider, 'getCredits', 200)).toContainEqual(answer.body)
    })
  })

  describe('images', () => {
    async function imageOf(provider: ProviderId, body: Record<string, unknown>, on = sandbox): Promise<Buffer> {
      const headers = { 'x-sandbox-duration-ms': '0' }
      // `x-model-in-path`: a body's `model` goes to the path of that model.
      const { model, ...rest } = body
      const created =
        (META[provider].operations.create as { modelPath?: readonly string[] }).modelPath && model !== undefined
          ? await call(on, provider, 'createImageTask', DRIVERS[provider].createPathFor(String(model)), { body: rest, headers })
          : await create(on, provider, body, headers)
      const [done] = (await pollToEnd(on, provider, DRIVERS[provider].idOf(created.body))).slice(-1)
      const response = await fetch(DRIVERS[provider].urlsOf(done!.body)[0]!)
      return Buffer.from(await response.arrayBuffer())
    }

    it.each(WITH_FORMAT)('%s: JPEG when asked; the aspect ratio decides the size', async (provider) => {
      const bytes = await imageOf(provider, DRIVERS[provider].createBody('same prompt', { aspect: '9:16', jpeg: true }))
      expect(decodeImage(bytes)).toEqual({ kind: 'jpeg', ...sizeFor('9:16') })
    })

    // Without a format field the result is the format the spec says the model produces (its field default or
    // its one documented format), else PNG; `auto` is square.
    const models = PROVIDERS.flatMap((provider) =>
      // One schema for every model (`*`): its default model stands for all.
      Object.entries(META[provider].models as Record<string, any>).map(
        ([model, entry]) => [provider, model === '*' ? DRIVERS[provider].model : model, entry] as const,
      ),
    )
    it.each(models)('%s %s: the default output format', async (provider, model, entry) => {
      const caps = entry.capabilities
      const fromWire = Object.fromEntries(Object.entries<string>((META[provider].options as any).outputFormat?.values ?? {}).map(([k, v]) => [v, k]))
      const fieldDefault = caps.fields.outputFormat ? entry.fields[caps.fields.outputFormat]?.default : undefined
      const expected =
        (fieldDefault !== undefined ? (fromWire[fieldDefault] ?? fieldDefault) : caps.outputFormats?.length === 1 ? caps.outputFormats[0] : 'png') === 'jpeg'
          ? 'jpeg'
          : 'png'
      const body: Record<string, any> = { model }
      const promptPath = (caps.fields.prompt as string).split('.')
      promptPath.slice(0, -1).reduce((node, key) => (node[key] ??= {}), body)[promptPath.at(-1)!] = 'default format'
      const aspect = caps.aspectRatios?.includes('auto') ? 'auto' : undefined
      if (aspect && caps.fields.aspectRatio) {
        const aspectPath = (caps.fields.aspectRatio as string).split('.')
        aspectPath.slice(0, -1).reduce((node, key) => (node[key] ??= {}), body)[aspectPath.at(-1)!] = aspect
      }
      expect(decodeImage(await imageOf(provider, body))).toEqual({ kind: expected, ...sizeFor('auto') })
    })

    it('same prompt, same bytes; another prompt, other bytes', async () => {
      const provider = PROVIDERS[0]!
      const a = await imageOf(provider, DRIVERS[provider].createBody('same prompt', { aspect: '21:9' }))
      const b = await imageOf(provider, DRIVERS[provider].createBody('same prompt', { aspect: '21:9' }))
      const other = await imageOf(provider, DRIVERS[provider].createBody('another prompt', { aspect: '21:9' }))
      expect(decodeImage(a)).toEqual({ kind: 'png', ...sizeFor('21:9') })
      expect(a.equals(b)).toBe(true)
      expect(a.equals(other)).toBe(false)
    })

    it('imageLongSide sets the long side', async () => {
      const small = await startSandbox({ imageLongSide: 64, taskDurationMs: 0 })
      try {
        const provider = PROVIDERS[0]!
        const bytes = await imageOf(provider, DRIVERS[provider].createBody('x', { aspect: '3:2' }), small)
        expect(decodeImage(bytes)).toMatchObject(sizeFor('3:2', 64))
      } finally {
        await small.close()
      }
    })

    it('result URLs expire after resultTtlMs with a small JSON 404', async () => {
      const ttl = 600
      const short = await startSandbox({ resultTtlMs: ttl, taskDurationMs: 0 })
      try {
        const provider = PROVIDERS[0]!
        const driver = DRIVERS[provider]
        const created = await create(short, provider, driver.createBody('ttl'))
        const [done] = (await pollToEnd(short, provider, driver.idOf(created.body))).slice(-1)
        const url = driver.urlsOf(done!.body)[0]!
        const view = short.tasks.get(provider, driver.idOf(created.body))!
        // Before the TTL is over (the answer's max-age says how much is left); after it, expired.
        const fresh = await fetch(url)
        await fresh.arrayBuffer()
        if (Date.now() < view.finishedAt! + ttl) expect(fresh.status).toBe(200)
        await untilPast(view.finishedAt! + ttl)
        const expired = await fetch(url)
        expect(expired.status).toBe(404)
        expect(await expired.json()).toEqual({ error: { code: 'url_expired', message: 'This result URL has expired' } })
      } finally {
        await short.close()
      }
    })
  })

  describe.each(WITH_ESTIMATE)('%s estimated time hints', (provider) => {
    const driver = DRIVERS[provider]
    it('the estimate is the real duration rounded up, or absent when estimatedTimeHints is false', async () => {
      const created = await create(sandbox, provider, driver.createBody('x'), { 'x-sandbox-duration-ms': '4200' })
      expect(driver.estimateOf!(created.body)).toBe(5)
      const quiet = await startSandbox({ estimatedTimeHints: false })
      try {
        const answer = await create(quiet, provider, driver.createBody('x'))
        expect(driver.estimateOf!(answer.body)).toBeUndefined()
      } finally {
        await quiet.close()
      }
    })
  })
})
