import { describeCreateCall } from '@nano-banana/runtime/testing'
import { createOdkkkClient, createImageTask, odkkkProvider, type CreateImageTaskRequest } from '../src/index.js'

// The create call of the generated client, pointed at a local server: right path, auth, body.
const body: CreateImageTaskRequest = { model: 'nano-banana-2-lite', prompt: 'A cat playing on the grass', size: '16:9', quality: '2K' }

await describeCreateCall({
  name: '@nano-banana/odkkk',
  defaultBaseUrl: 'https://ai.odkkk.com/apiv1',
  provider: odkkkProvider,
  createClient: createOdkkkClient,
  createImageTask,
  body,
  apiKey: 'sk-odkkk-test',
  path: '/v1/images/generations',
  auth: ['authorization', 'Bearer sk-odkkk-test'],
})
