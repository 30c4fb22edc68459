import { describeCreateCall } from '@nano-banana/runtime/testing'
import { createCrunClient, createImageTask, crunProvider, type CreateImageTaskRequest } from '../src/index.js'

// The create call of the generated client, pointed at a local server: right path, auth, body.
const body: CreateImageTaskRequest = { model: 'google/nano-banana', input: { prompt: 'A banana', aspect_ratio: '16:9', output_format: 'png' } }

await describeCreateCall({
  name: '@nano-banana/crun',
  defaultBaseUrl: 'https://api.crun.ai/api/v1',
  provider: crunProvider,
  createClient: createCrunClient,
  createImageTask,
  body,
  apiKey: 'crun-key-test',
  path: '/client/job/CreateTask',
  auth: ['x-api-key', 'crun-key-test'],
})
