import { describeCreateCall } from '@nano-banana/runtime/testing'
import { createAivideoapiClient, createImageTask, aivideoapiProvider, type CreateImageTaskRequest } from '../src/index.js'

// The create call of the generated client, pointed at a local server: right path, auth, body.
const body: CreateImageTaskRequest = { model: 'nano-banana-2-lite', callback_url: 'https://your-server.com/webhook', input: { prompt: 'A comic launch scene', aspect_ratio: '16:9' } }

await describeCreateCall({
  name: '@nano-banana/aivideoapi',
  defaultBaseUrl: 'https://api.aivideoapi.ai',
  provider: aivideoapiProvider,
  createClient: createAivideoapiClient,
  createImageTask,
  body,
  apiKey: 'sk-aivideoapi-test',
  path: '/v1/images/generations',
  auth: ['authorization', 'Bearer sk-aivideoapi-test'],
})
