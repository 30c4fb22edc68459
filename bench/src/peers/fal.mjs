// fal's own client (queue submit + 500 ms status polls) and the Vercel AI SDK with its fal provider.
import { installed } from './index.mjs'

export const peers = [
  {
    name: installed('@fal-ai/client'),
    bundle: `
      import { fal } from '@fal-ai/client'
      fal.config({ credentials: 'k' })
      export const run = (prompt) => fal.subscribe('fal-ai/nano-banana', { input: { prompt } })`,
  },
  {
    name: Promise.all([installed('ai'), installed('@ai-sdk/fal')]).then((names) => names.join(' + ')),
    bundle: `
      import { generateImage } from 'ai'
      import { createFal } from '@ai-sdk/fal'
      const fal = createFal({ apiKey: 'k' })
      export const run = (prompt) => generateImage({ model: fal.image('fal-ai/nano-banana'), prompt })`,
  },
]
