// UniAll: documented concrete model ids as well as family + resolution, open ids, gateway status words,
// decimal progress, a null `data` with an error code, and output formats per family.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { createNanoBanana, UnsupportedOptionError, type ModelId, type OutputFormatOf } from '../../src/index.js'
import { validator } from '../support.js'
import { BASE, FAST, KEY, recordingFetch } from './support.js'

const task = (status: string, progress = '0%') => ({ code: 'success', message: 'ok', data: { task_id: 't-1', status, progress, result_url: null } })

describe('uniall model ids', () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await startSandbox({ taskDurationMs: 30 })
  })
  afterAll(() => sandbox.close())

  it.each(['NanoBanana2-1K', 'NanoBanana2-0.5K'])('generate() with the documented id %s works against the sandbox', async (model) => {
    const nb = createNanoBanana({ provider: 'uniall', apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl('uniall'), ...FAST })
    const result = await nb.generate({ prompt: 'a cube', model })
    expect(result.images.length).toBeGreaterThan(0)
    expect(result.model).toBe(model)
  })

  it('a concrete id is sent as is; family + resolution still picks the tier id', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: { code: 'success', data: { task_id: 't-1' } } }))
    const nb = createNanoBanana({ provider: 'uniall', apiKey: KEY, baseUrl: BASE, fetch })
    await nb.submit({ prompt: 'a', model: 'NanoBanana2-0.5K' })
    await nb.submit({ prompt: 'a', model: 'NanoBanana2', resolution: '2K' })
    await nb.submit({ prompt: 'a', model: 'NanoBananaPro-Ultra' })
    expect(calls.map((c) => c.body.model)).toEqual(['NanoBanana2-0.5K', 'NanoBanana2-2K', 'NanoBananaPro-Ultra'])
  })

  it('webp is refused for a Pro model before any request, accepted for the base model', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: { code: 'success', data: { task_id: 't-1' } } }))
    const nb = createNanoBanana({ provider: 'uniall', apiKey: KEY, baseUrl: BASE, fetch })
    // @ts-expect-error the Pro family's spec lists png and jpeg only: refused at compile time too
    await expect(nb.submit({ prompt: 'a', model: 'NanoBananaPro', outputFormat: 'webp' })).rejects.toBeInstanceOf(UnsupportedOptionError)
    expect(calls).toHaveLength(0)
    await nb.submit({ prompt: 'a', model: 'NanoBanana', outputFormat: 'webp' })
    expect(calls[0]!.body.output_format).toBe('webp')
  })
})

describe('uniall answers', () => {
  it('the spec accepts gateway status words, decimal progress and a null data with an error code', () => {
    const validate = validator('uniall', 'ImageTaskResponse')
    for (const word of ['in_progress', 'processing', 'queued', 'completed', 'success', 'error']) expect(validate(task(word, '45.5%')), word).toBe(true)
    expect(validate({ code: 'task_not_found', message: 'no such task', data: null })).toBe(true)
    expect(validate(task('running', '45.5.5%'))).toBe(false)
  })

  it('the spec leaves model ids open', () => {
    expect(validator('uniall', 'CreateImageTaskRequest')({ model: 'NanoBananaPro-Ultra', prompt: 'a' })).toBe(true)
  })

  it.each([
    ['in_progress', 'running'],
    ['processing', 'running'],
    ['queued', 'queued'],
    ['completed', 'succeeded'],
    ['success', 'succeeded'],
    ['error', 'failed'],
  ] as const)('status %s reads as %s', async (word, status) => {
    const { fetch } = recordingFetch(() => ({ body: task(word) }))
    const nb = createNanoBanana({ provider: 'uniall', apiKey: KEY, baseUrl: BASE, fetch })
    expect((await nb.getTask('t-1')).status).toBe(status)
  })

  it('an unknown word is a clear error, not a task polled forever', async () => {
    const { fetch } = recordingFetch(() => ({ body: task('teleporting') }))
    const nb = createNanoBanana({ provider: 'uniall', apiKey: KEY, baseUrl: BASE, fetch })
    await expect(nb.getTask('t-1')).rejects.toThrow(/unknown task status "teleporting"/)
  })

  it('decimal progress "45.5%" reads as 0.455', async () => {
    const { fetch } = recordingFetch(() => ({ body: task('running', '45.5%') }))
    const nb = createNanoBanana({ provider: 'uniall', apiKey: KEY, baseUrl: BASE, fetch })
    expect((await nb.getTask('t-1')).progress).toBeCloseTo(0.455)
  })

  it('a 200 envelope with data null and an error code is that error', async () => {
    const { fetch } = recordingFetch(() => ({ body: { code: 'task_not_found', message: 'no such task', data: null } }))
    const nb = createNanoBanana({ provider: 'uniall', apiKey: KEY, baseUrl: BASE, fetch })
    await expect(nb.getTask('t-1')).rejects.toMatchObject({ name: 'NotFoundError', message: expect.stringContaining('no such task') })
  })

  it('types: the spec leaves model ids open, so any id type-checks; a listed family keeps its own formats', async () => {
    const { fetch, calls } = recordingFetch(() => ({ body: { code: 'success', data: { task_id: 't-1' } } }))
    const nb = createNanoBanana({ provider: 'uniall', apiKey: KEY, baseUrl: BASE, fetch })
    expectTypeOf<string>().toExtend<ModelId<'uniall'>>()
    expectTypeOf<OutputFormatOf<'uniall', 'NanoBananaPro'>>().toEqualTypeOf<'png' | 'jpeg'>()
    // An id the spec does not list: any format of any family (checked at run time).
    expectTypeOf<OutputFormatOf<'uniall', 'NanoBanana2-1K'>>().toEqualTypeOf<'png' | 'jpeg' | 'webp'>()
    const id: string = 'NanoBanana2-1K'
    await nb.submit({ prompt: 'a', model: id })
    await nb.submit({ prompt: 'a', model: 'NanoBanana', outputFormat: 'webp' })
    // @ts-expect-error the NanoBanana2 family lists png and jpeg only
    await expect(nb.submit({ prompt: 'a', model: 'NanoBanana2', outputFormat: 'webp' })).rejects.toBeInstanceOf(UnsupportedOptionError)
    expect(calls.map((c) => c.body.model)).toEqual(['NanoBanana2-1K', 'NanoBanana'])
  })
})
