import { startRecorder, type Recorder } from '@nano-banana/runtime/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAivideoapiClient, createImageTask, getImageTask, aivideoapiProvider, type CreateImageTaskRequest } from '../src/index.js'

// The create call of the generated client, pointed at a local server: right path, auth, body.
const body: CreateImageTaskRequest = { model: 'nano-banana-2-lite', callback_url: 'https://your-server.com/webhook', input: { prompt: 'A comic launch scene', aspect_ratio: '16:9' } }
const apiKey = 'sk-aivideoapi-test'
let server: Recorder
beforeAll(async () => {
  server = await startRecorder(() => ({ body: {} }))
})
afterAll(() => server.close())

describe('@nano-banana/aivideoapi client', () => {
  it('documents its base URL from the spec', () => {
    expect(aivideoapiProvider.defaultBaseUrl).toBe('https://api.aivideoapi.ai')
  })

  it('sends the create call to the spec path with auth and JSON body', async () => {
    const client = createAivideoapiClient({ apiKey, baseUrl: `${server.url}/prefix` })
    const result = await createImageTask({ client, body })
    expect(result.response.status).toBe(200)
    const sent = server.requests.at(-1)
    expect(sent?.method).toBe('POST')
    expect(sent?.path).toBe('/prefix/v1/images/generations')
    expect(sent?.headers['authorization']).toBe('Bearer sk-aivideoapi-test')
    expect(sent?.headers['content-type']).toBe('application/json')
    expect(sent?.json).toEqual(body)
  })

  it('uses a custom fetch when given one', async () => {
    const seen: string[] = []
    const client = createAivideoapiClient({
      apiKey,
      baseUrl: server.url,
      fetch: (input, init) => {
        seen.push(String(input))
        return fetch(input, init)
      },
    })
    await createImageTask({ client, body })
    expect(seen).toEqual([`${server.url}/v1/images/generations`])
  })
})
