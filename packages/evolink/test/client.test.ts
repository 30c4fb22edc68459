import { describeCreateCall } from '@nano-banana/runtime/testing'
import { createEvolinkClient, createImageTask, evolinkProvider, type CreateImageTaskRequest } from '../src/index.js'

// The create call of the generated client, pointed at a local server: right path, auth, body.
const body: CreateImageTaskRequest = { model: 'gemini-3-pro-image-preview', prompt: 'A cat playing in the grass', size: '16:9', quality: '4K', image_urls: ['https://example.com/a.png'] }

await describeCreateCall({
  name: '@nano-banana/evolink',
  defaultBaseUrl: 'https://api.evolink.ai',
  provider: evolinkProvider,
  createClient: createEvolinkClient,
  createImageTask,
  body,
  apiKey: 'sk-evolink-test',
  path: '/v1/images/generations',
  auth: ['authorization', 'Bearer sk-evolink-test'],
})
