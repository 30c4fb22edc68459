import { startRecorder, type Recorder } from '@nano-banana/runtime/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUniallClient, createImageTask, getImageTask, uniallProvider, type CreateImageTaskRequest } from '../src/index.js'

// The create call of the generated client, pointed at a local server: right path, auth, body.
const body: CreateImageTaskRequest = { model: 'NanoBanana2-0.5K', task_type: 'text2image', prompt: 'A small red cube', aspect_ratio: '1:1', output_format: 'png', n: 1, response_format: 'url' }
const apiKey = 'sk-uniall-test'
let server: Recorder
beforeAll(async () => {
  server = await startRecorder(() => ({ body: {} }))
})
afterAll(() => server.close())

describe('@nano-banana/uniall client', () => {
  it('documents its base URL from the spec', () => {
    expect(uniallProvider.defaultBaseUrl).toBe(undefined)
  })

  it('sends the create call to the spec path with auth and JSON body', async () => {
    const client = createUniallClient({ apiKey, baseUrl: `${server.url}/prefix` })
    const result = await createImageTask({ client, body })
    expect(result.response.status).toBe(200)
    const sent = server.requests.at(-1)
    expect(sent?.method).toBe('POST')
    expect(sent?.path).toBe('/prefix/v1/images/tasks')
    expect(sent?.headers['authorization']).toBe('Bearer sk-uniall-test')
    expect(sent?.headers['content-type']).toBe('application/json')
    expect(sent?.json).toEqual(body)
  })

  it('uses a custom fetch when given one', async () => {
    const seen: string[] = []
    const client = createUniallClient({
      apiKey,
      baseUrl: server.url,
      fetch: (input, init) => {
        seen.push(String(input))
        return fetch(input, init)
      },
    })
    await createImageTask({ client, body })
    expect(seen).toEqual([`${server.url}/v1/images/tasks`])
  })
})

describe('UniAll base URL', () => {
  it('refuses to build a client without baseUrl, naming the option', () => {
    expect(() => createUniallClient({ apiKey })).toThrow(/UniAll does not publish an API host: pass `baseUrl`/)
  })
})
