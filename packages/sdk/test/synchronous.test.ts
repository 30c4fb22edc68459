// Every synchronous provider (`provider.synchronous`: the answer is the result, images inline), picked by
// capability: its spec examples read into inline images or typed refusals, its error examples into typed
// errors, and against the sandbox: generate without polling, download without a request, getTask/wait
// refused with a typed error, n as n paid requests (`repeatForN`) with nothing lost on a partial failure,
// a request lost after sending never resent, inline reference images read with the bounded downloader,
// and failover from a task provider to a synchronous one and back.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { FaultRule, Sandbox } from '@nano-banana/sandbox'
import {
  AmbiguousSubmitError,
  createNanoBanana,
  errorClassForStatus,
  type GenerateRequest,
  NanoBananaError,
  providers,
  type ProviderId,
  type Task,
  UnsupportedOperationError,
} from '../src/index.js'
import { isCompleteImage, sniffImageType } from '../src/image-type.js'
import { saveImages } from '../src/node.js'
import type { Json, SyncKit } from './fixture.js'
import { FAST_POLLING, FAST_RETRY, fastSandbox, PROVIDERS, SECRET_KEY, sandboxClient } from './reliability/support.js'
import { metaOf, responseExamples, spec, SYNC_FIXTURES, syncIds, validator } from './support.js'

let sandboxes: Sandbox[] = []
afterEach(async () => {
  await Promise.all(sandboxes.map((s) => s.close()))
  sandboxes = []
})
async function sandbox(faults: FaultRule[] = []): Promise<Sandbox> {
  const s = await fastSandbox({ faults })
  sandboxes.push(s)
  return s
}
const submits = (s: Sandbox) => s.requests.filter((r) => r.phase === 'submit')

/** A task provider (submit, then poll) for the failover tests: any one. */
const TASK_PROVIDER = PROVIDERS[0]!
const WRONG_KEY = 'sk-wrong-key-Zq81mXv3'

it('there is at least one synchronous provider, and each one says so in its meta', () => {
  expect(syncIds.length).toBeGreaterThan(0)
  for (const id of syncIds) {
    expect(providers[id].meta?.synchronous).toBe(true)
    expect(providers[id].query).toBeUndefined()
    expect(providers[id].meta?.operations.get).toBeUndefined()
  }
})

describe.each(syncIds)('%s (synchronous)', (id) => {
  const fixture = SYNC_FIXTURES[id]!
  const adapter = providers[id]
  const createOp = metaOf(id).operations.create.operationId
  const examples = responseExamples(id, createOp)
  const example = (name: string): Json => structuredClone(examples.find((e) => e.status === 200 && e.name === name)!.value)

  const kit: SyncKit = {
    id,
    adapter,
    successExample: example,
    async sent(request: GenerateRequest) {
      const calls: { url: string; body: Json }[] = []
      const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
        const req = new Request(input, init)
        calls.push({ url: req.url, body: await req.json() })
        return Response.json(example(fixture.success))
      }) as typeof globalThis.fetch
      const nb = createNanoBanana({ provider: id, apiKey: 'sk-test-key-123456', baseUrl: 'https://api.test.invalid', fetch })
      const submission = await nb.submit(request)
      expect(calls).toHaveLength(1)
      const validate = validator(id, 'CreateImageTaskRequest')
      expect(validate(calls[0]!.body), JSON.stringify(validate.errors)).toBe(true)
      return { ...calls[0]!, submission }
    },
  }

  it('the success example reads into a finished task with inline images whose bytes are images', () => {
    const parsed = adapter.parseSubmit(example(fixture.success), new Response())
    expect(parsed).not.toBeInstanceOf(NanoBananaError)
    const { taskId, task } = parsed as { taskId: string; task: Task }
    expect(task).toMatchObject({ taskId, status: 'succeeded', urls: [] })
    expect(task.inlineImages).toHaveLength(fixture.images)
    for (const image of task.inlineImages!) {
      expect(sniffImageType(image.data)).toBe(image.contentType)
      expect(isCompleteImage(image.data, image.contentType)).toBe(true)
    }
  })

  it.each(Object.entries(fixture.refusals))('the image-less example %s is a typed refusal carrying the answer id', (name, Class) => {
    const error = adapter.parseSubmit(example(name), new Response())
    expect(error).toBeInstanceOf(Class)
    expect((error as NanoBananaError).taskId).toEqual(expect.any(String))
  })

  it('every documented error example is the typed error of its status (or of its documented code)', () => {
    const errors = examples.filter((e) => e.status >= 400)
    expect(errors.length).toBeGreaterThan(3)
    for (const { status, name, value } of errors) {
      const error = adapter.parseError(status, value, new Headers())
      const Expected = (error.code !== undefined ? fixture.errorOverrides?.[error.code] : undefined) ?? errorClassForStatus(status)
      expect(error, `${status} ${name}`).toBeInstanceOf(Expected)
      expect(error.status).toBe(status)
      expect(error.message.length).toBeGreaterThan(id.length + 2)
    }
  })

  it('generate answers without polling; each image has its bytes and type, and download() makes no request', async () => {
    const s = await sandbox()
    const nb = sandboxClient(s, id)
    const result = await nb.generate({ prompt: 'a nano banana' })
    expect(s.requests.map((r) => r.phase)).toEqual(['submit'])
    expect(result.images).toHaveLength(1)
    const [image] = result.images
    expect(sniffImageType(image!.data!)).toBe(image!.contentType)
    const downloaded = await image!.download()
    expect(downloaded.bytes).toBe(image!.data)
    expect(downloaded.extension).toMatch(/^(png|jpg)$/)
    expect(image!.url.startsWith(`data:${image!.contentType};base64,`)).toBe(true)
    expect(s.requests).toHaveLength(1)
    await expect(image!.download({ maxBytes: 10 })).rejects.toMatchObject({ code: 'too_large' })
  })

  it('saveImages writes the inline images as files, with no request', async () => {
    const s = await sandbox()
    const result = await sandboxClient(s, id).generate({ prompt: 'p', n: 2 })
    const dir = await mkdtemp(join(tmpdir(), 'nb-inline-'))
    try {
      const files = await saveImages(result, dir)
      expect(files).toHaveLength(2)
      for (const [i, file] of files.entries()) {
        expect(file.endsWith(`-${i + 1}.png`)).toBe(true)
        expect(new Uint8Array(await readFile(file))).toEqual(result.images[i]!.data)
      }
      expect(s.requests.every((r) => r.phase === 'submit')).toBe(true)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('getTask and wait on an answer id refuse with UnsupportedOperationError, sending nothing', async () => {
    const s = await sandbox()
    const nb = sandboxClient(s, id)
    const { taskId } = await nb.submit({ prompt: 'p' })
    await expect(nb.getTask(taskId)).rejects.toBeInstanceOf(UnsupportedOperationError)
    await expect(nb.wait(taskId)).rejects.toMatchObject({ name: 'UnsupportedOperationError', code: 'synchronous_provider', taskId })
    expect(submits(s)).toHaveLength(1)
    expect(s.requests).toHaveLength(1)
  })

  it('n images: n requests when the API returns one per request (repeatForN), else one request', async () => {
    const s = await sandbox()
    const nb = sandboxClient(s, id)
    const result = await nb.generate({ prompt: 'p', n: 3 })
    expect(result.images).toHaveLength(3)
    expect(submits(s)).toHaveLength(adapter.repeatForN ? 3 : 1)
    // One answer id per request.
    expect(result.taskId.split(',')).toHaveLength(adapter.repeatForN ? 3 : 1)
  })

  it('a request lost after sending is an AmbiguousSubmitError and is never resent', async () => {
    const s = await sandbox([{ provider: id, phase: 'submit', fault: 'reset-after-accept' }])
    await expect(sandboxClient(s, id).generate({ prompt: 'p' })).rejects.toBeInstanceOf(AmbiguousSubmitError)
    expect(submits(s)).toHaveLength(1)
  })

  it('a 429 is waited out and resent (nothing was generated)', async () => {
    const s = await sandbox([{ provider: id, phase: 'submit', fault: 'rate-limit' }])
    const result = await sandboxClient(s, id).generate({ prompt: 'p' })
    expect(result.images).toHaveLength(1)
    expect(submits(s).map((r) => r.status)).toEqual([429, 200])
  })

  fixture.tests?.(kit)
})

describe.each(syncIds.filter((id) => providers[id].repeatForN))('%s: n requests, each one paid', (id) => {
  it('a lost request among n: AmbiguousSubmitError, no further request, the images already paid for in error.partial', async () => {
    const s = await sandbox()
    // The second request is reset after the provider took it; at most two run at once.
    s.faults.add({ provider: id, phase: 'submit', fault: 'slow', delayMs: 0 })
    s.faults.add({ provider: id, phase: 'submit', fault: 'reset-after-accept' })
    const error = (await sandboxClient(s, id)
      .generate({ prompt: 'p', n: 4 })
      .catch((e: unknown) => e)) as AmbiguousSubmitError
    expect(error).toBeInstanceOf(AmbiguousSubmitError)
    const sent = submits(s).length
    // Every request sent reached the sandbox (a task each): the lost one plus the ones whose images are kept.
    expect(s.tasks.list(id)).toHaveLength(sent)
    const kept = error.partial!.images
    expect(kept.length).toBe(sent - 1)
    expect(kept.every((image) => image.data instanceof Uint8Array)).toBe(true)
    // The ids of the answers that came back are on the error, and the sandbox knows each.
    for (const answerId of error.taskId!.split(',')) expect(s.tasks.get(id, answerId)).toBeDefined()
  })
})

describe.each(syncIds)('failover between a task provider and %s', (id) => {
  it('task provider refuses (401) -> the synchronous one answers with inline images', async () => {
    const s = await sandbox()
    const nb = createNanoBanana({
      providers: [
        { provider: TASK_PROVIDER, apiKey: WRONG_KEY, baseUrl: s.baseUrl(TASK_PROVIDER) },
        { provider: id, apiKey: SECRET_KEY, baseUrl: s.baseUrl(id) },
      ],
      polling: FAST_POLLING,
      retry: FAST_RETRY,
    })
    const result = await nb.generate({ prompt: 'p' })
    expect(result.provider).toBe(id)
    expect(result.images[0]!.data).toBeInstanceOf(Uint8Array)
    expect(s.tasks.list(TASK_PROVIDER)).toHaveLength(0)
    expect(s.tasks.list(id)).toHaveLength(1)
  })

  it('the synchronous one refuses (401) -> the task provider runs the task and is polled', async () => {
    const s = await sandbox()
    const nb = createNanoBanana({
      providers: [
        { provider: id, apiKey: WRONG_KEY, baseUrl: s.baseUrl(id) },
        { provider: TASK_PROVIDER, apiKey: SECRET_KEY, baseUrl: s.baseUrl(TASK_PROVIDER) },
      ],
      polling: FAST_POLLING,
      retry: FAST_RETRY,
    })
    const result = await nb.generate({ prompt: 'p' })
    expect(result.provider).toBe(TASK_PROVIDER)
    expect(result.images[0]!.url).toMatch(/^http:/)
    expect(s.tasks.list(id)).toHaveLength(0)
    expect(s.requests.some((r) => r.provider === TASK_PROVIDER && r.phase === 'poll')).toBe(true)
  })

  it('a synchronous request lost after sending is never failed over (it may be billed)', async () => {
    const s = await sandbox([{ provider: id, phase: 'submit', fault: 'reset-after-accept' }])
    const nb = createNanoBanana({
      providers: [
        { provider: id, apiKey: SECRET_KEY, baseUrl: s.baseUrl(id) },
        { provider: TASK_PROVIDER, apiKey: SECRET_KEY, baseUrl: s.baseUrl(TASK_PROVIDER) },
      ],
      polling: FAST_POLLING,
      retry: FAST_RETRY,
    })
    await expect(nb.generate({ prompt: 'p' })).rejects.toBeInstanceOf(AmbiguousSubmitError)
    expect(s.requests.filter((r) => r.provider === TASK_PROVIDER)).toHaveLength(0)
  })
})

describe.each(syncIds.filter((id) => providers[id].inlineReferenceImages))('%s: reference images travel as bytes', (id) => {
  it('each URL is read with the bounded downloader before anything is sent; an unreadable one is refused locally', async () => {
    const s = await sandbox()
    // A result file of a task provider is a real image URL the sandbox serves.
    const source = await sandboxClient(s, TASK_PROVIDER).generate({ prompt: 'reference' })
    const url = source.images[0]!.url
    const bytes = (await source.images[0]!.download()).bytes
    const bodies: string[] = []
    const recording = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (typeof init?.body === 'string') bodies.push(init.body)
      return globalThis.fetch(input, init)
    }) as typeof globalThis.fetch
    const nb = sandboxClient(s, id, { fetch: recording })
    const before = s.requests.length
    await nb.generate({ prompt: 'edit it', images: [url] })
    const mine = s.requests.slice(before)
    expect(mine.map((r) => r.phase)).toEqual(['download', 'submit'])
    expect(bodies).toHaveLength(1)
    expect(bodies[0]).toContain(Buffer.from(bytes).toString('base64'))
    expect(bodies[0]).not.toContain(url)
    const failing = s.requests.length
    await expect(nb.generate({ prompt: 'p', images: [`${s.baseUrl(id)}/files/none.png`] })).rejects.toMatchObject({
      name: 'InvalidRequestError',
      param: 'images[0]',
    })
    expect(s.requests.slice(failing).filter((r) => r.phase === 'submit')).toHaveLength(0)
  })
})

it('the spec of every synchronous provider marks its create operation x-synchronous', () => {
  for (const id of syncIds as ProviderId[]) {
    const doc = spec(id)
    const ops = Object.values<Json>(doc.paths).flatMap((item) => Object.values<Json>(item))
    expect(ops.find((op) => op?.operationId === 'createImageTask')?.['x-synchronous']).toBe(true)
  }
})
