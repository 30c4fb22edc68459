import { describe, expect, it } from 'vitest'
import { describeCreateCall } from '@nano-banana/runtime/testing'
import { createUniallClient, createImageTask, uniallProvider, type CreateImageTaskRequest } from '../src/index.js'

// The create call of the generated client, pointed at a local server: right path, auth, body.
const body: CreateImageTaskRequest = { model: 'NanoBanana2-0.5K', task_type: 'text2image', prompt: 'A small red cube', aspect_ratio: '1:1', output_format: 'png', n: 1, response_format: 'url' }

await describeCreateCall({
  name: '@nano-banana/uniall',
  defaultBaseUrl: undefined,
  provider: uniallProvider,
  createClient: createUniallClient,
  createImageTask,
  body,
  apiKey: 'sk-uniall-test',
  path: '/v1/images/tasks',
  auth: ['authorization', 'Bearer sk-uniall-test'],
})

describe('UniAll base URL', () => {
  it('refuses to build a client without baseUrl, naming the option', () => {
    expect(() => createUniallClient({ apiKey: 'sk-uniall-test' })).toThrow(/UniAll does not publish an API host: pass `baseUrl`/)
  })
})
