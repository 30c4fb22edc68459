// Every synchronous provider of the sandbox (`meta.synchronous`), picked by capability: the create call is
// held open until the images exist and answered with their real bytes inline (valid against the spec's 200
// schema), refusing faults answer with the provider's envelope, a reset after accepting leaves the task
// behind, a failed task is the provider's image-less answer, and there is no query route.
import { META } from '@nano-banana/manifest'
import { checkImage } from '@nano-banana/testkit'
import { afterEach, describe, expect, it } from 'vitest'
import { startSandbox, type ProviderId, type Sandbox } from '../src/index.js'
import type { RefusalFault } from './helpers/fixture.js'
import { SYNC_PROVIDERS } from './helpers/api.js'
import { validateAgainstSpec } from './helpers/spec.js'

type Json = Record<string, any>

/** What the shared suite cannot read from a synchronous provider's spec (test/providers/<id>.ts, export `syncFixture`). */
export interface SyncFixture {
  createPath: (model: string) => string
  body: (prompt: string, images: string[], model: string) => Json
  imagesOf: (answer: Json) => string[]
  idOf: (answer: Json) => string
  codeOf: (body: Json) => unknown
  refusals: Record<RefusalFault, [status: number, code: unknown]>
  badKey: [status: number, code: unknown]
  failed: (answer: Json) => boolean
  /** Statuses the sandbox answers that the spec does not document (checked against ErrorResponse instead). */
  undocumentedStatuses: string[]
}

const FIXTURES = Object.fromEntries(
  await Promise.all(SYNC_PROVIDERS.map(async (id) => [id, ((await import(`./providers/${id}.ts`)) as { syncFixture: SyncFixture }).syncFixture] as const)),
) as Record<ProviderId, SyncFixture>

let sandboxes: Sandbox[] = []
afterEach(async () => {
  await Promise.all(sandboxes.map((s) => s.close()))
  sandboxes = []
})
async function sandbox(options: Parameters<typeof startSandbox>[0] = {}): Promise<Sandbox> {
  const s = await startSandbox({ taskDurationMs: 40, imageLongSide: 64, ...options })
  sandboxes.push(s)
  return s
}

it('the registry has synchronous providers', () => {
  expect(SYNC_PROVIDERS.length).toBeGreaterThan(0)
})

describe.each(SYNC_PROVIDERS)('%s (synchronous)', (id) => {
  const fixture = FIXTURES[id]!
  const meta = META[id]
  const model = meta.defaultModel
  const operationId = meta.operations.create.operationId
  const auth = (key: string) => ({ [meta.auth.name]: `${meta.auth.prefix}${key}` })

  async function create(s: Sandbox, options: { key?: string; headers?: Record<string, string>; images?: string[] } = {}) {
    const response = await fetch(s.baseUrl(id) + fixture.createPath(model), {
      method: 'POST',
      headers: { ...auth(options.key ?? s.apiKey), 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(fixture.body('a nano banana', options.images ?? [], model)),
    })
    const body = (await response.json()) as Json
    validateAgainstSpec(id, operationId, response.status, body)
    return { status: response.status, body }
  }

  it('answers the create call itself, once the images exist, with their real bytes inline and the answer id of its task', async () => {
    const s = await sandbox()
    const { status, body } = await create(s)
    expect(status).toBe(200)
    const images = fixture.imagesOf(body)
    expect(images).toHaveLength(1)
    const image = checkImage(Buffer.from(images[0]!, 'base64'))
    expect(image.width).toBeGreaterThan(image.height)
    const [task] = s.tasks.list(id)
    expect(task?.id).toBe(fixture.idOf(body))
    expect(task?.phase).toBe('succeeded')
    expect(task?.prompt).toBe('a nano banana')
    expect(s.requests.map((r) => r.phase)).toEqual(['submit'])
  })

  it('a request with an inline reference image is answered too (the body is valid against the spec)', async () => {
    const s = await sandbox()
    const first = await create(s)
    const second = await create(s, { images: [fixture.imagesOf(first.body)[0]!] })
    expect(second.status).toBe(200)
    expect(s.tasks.list(id)).toHaveLength(2)
  })

  it.each(Object.entries(fixture.refusals))('fault %s: the documented refusal, no task', async (fault, [status, code]) => {
    const s = await sandbox()
    const answer = await create(s, { headers: { 'x-sandbox-fault': fault } })
    expect([answer.status, fixture.codeOf(answer.body)]).toEqual([status, code])
    expect(s.tasks.list(id)).toHaveLength(0)
  })

  it('a wrong key is the documented refusal', async () => {
    const s = await sandbox()
    const answer = await create(s, { key: 'sk-wrong-0000000' })
    expect([answer.status, fixture.codeOf(answer.body)]).toEqual(fixture.badKey)
  })

  it('reset after accepting: the connection drops once the images exist, and the task stays', async () => {
    const s = await sandbox()
    await expect(create(s, { headers: { 'x-sandbox-fault': 'reset-after-accept' } })).rejects.toThrow()
    expect(s.tasks.list(id)).toHaveLength(1)
  })

  it('a failed task is the provider’s image-less 200 answer', async () => {
    const s = await sandbox()
    const { status, body } = await create(s, { headers: { 'x-sandbox-fault': 'task-fail' } })
    expect(status).toBe(200)
    expect(fixture.failed(body)).toBe(true)
    expect(fixture.imagesOf(body)).toEqual([])
  })

  it('there is no query route and no getImageTask in meta', async () => {
    expect(meta.operations).not.toHaveProperty('get')
    const s = await sandbox()
    const response = await fetch(`${s.baseUrl(id)}/v1/tasks/anything`, { headers: auth(s.apiKey) })
    expect(response.status).toBe(404)
  })
})
