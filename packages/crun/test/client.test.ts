import { startRecorder, type Recorder } from '@nano-banana/runtime/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCrunClient, createImageTask, getImageTask, crunProvider, type CreateImageTaskRequest } from '../src/index.js'

// The create call of the generated client, pointed at a local server: right path, auth, body.
const body: CreateImageTaskRequest = { model: 'google/nano-banana', input: { prompt: 'A banana', aspect_ratio: '16:9', output_format: 'png' } }
const apiKey = 'crun-key-test'
let server: Recorder
beforeAll(async () => {
  server = await startRecorder(() => ({ body: {} }))
})
afterAll(() => server.close())

describe('@nano-banana/crun client', () => {
  it('documents its base URL from the spec', () => {
    expect(crunProvider.defaultBaseUrl).toBe('https://api.crun.ai/api/v1')
  })

  it('sends the create call to the spec path with auth and JSON body', async () => {
    const client = createCrunClient({ apiKey, baseUrl: `${server.url}/prefix` })
    const result = await createImageTask({ client, body })
    expect(result.response.status).toBe(200)
    const sent = server.requests.at(-1)
    expect(sent?.method).toBe('POST')
    expect(sent?.path).toBe('/prefix/client/job/CreateTask')
    expect(sent?.headers['x-api-key']).toBe('crun-key-test')
    expect(sent?.headers['content-type']).toBe('application/json')
    expect(sent?.json).toEqual(body)
  })

  it('uses a custom fetch when given one', async () => {
    const seen: string[] = []
    const client = createCrunClient({
      apiKey,
      baseUrl: server.url,
      fetch: (input, init) => {
        seen.push(String(input))
        return fetch(input, init)
      },
    })
    await createImageTask({ client, body })
    expect(seen).toEqual([`${server.url}/client/job/CreateTask`])
  })
})
