// EvoLink (evolink.ai). Capabilities: specs/evolink.openapi.yaml, one `CreateImageTaskRequest` branch
// per model (seed 001 for nano-banana-2-lite and gemini-3-pro-image-preview; EvoLink's later model
// pages for the others, see shared/providers.md section 2).
import { createEvolinkClient, createImageTask, getImageTask, type CreateImageTaskRequest } from '@nano-banana/evolink'
import type { ModelCapabilities, ProviderAdapter } from '../adapter.js'
import { EXTREME_RATIOS, GOOGLE_RATIOS } from '../adapter-kit.js'
import { evolinkFamilyAdapter } from './evolink-family.js'

const PRO_RATIOS = ['auto', ...GOOGLE_RATIOS] as const
const FLASH_RATIOS = ['auto', ...GOOGLE_RATIOS, ...EXTREME_RATIOS] as const

const models: Record<string, ModelCapabilities> = {
  'gemini-3-pro-image-preview': {
    id: 'gemini-3-pro-image-preview',
    family: 'Nano Banana Pro',
    aspectRatios: PRO_RATIOS,
    resolutions: ['1K', '2K', '4K'],
    outputFormats: [],
    maxImages: 10,
    maxN: 1,
    maxPromptLength: 2000,
    notSent: ['n'],
    source: 'seed 001',
  },
  'gemini-3.1-flash-image-preview': {
    id: 'gemini-3.1-flash-image-preview',
    family: 'Nano Banana 2',
    aspectRatios: FLASH_RATIOS,
    resolutions: ['0.5K', '1K', '2K', '4K'],
    outputFormats: [],
    maxImages: 14,
    maxN: 1,
    maxPromptLength: 2000,
    notSent: ['n'],
    source: 'EvoLink docs landing page',
  },
  'gemini-3.1-flash-lite-image': {
    id: 'gemini-3.1-flash-lite-image',
    family: 'Nano Banana 2 Lite',
    aspectRatios: FLASH_RATIOS,
    resolutions: ['1K'], // the `quality` field exists with the one value 1K
    outputFormats: [],
    maxImages: 14,
    maxN: 1,
    maxPromptLength: 2000,
    notSent: ['n'],
    source: 'third-party copy of the Nano Banana 2 Lite page (spec x-unverified)',
  },
  'nano-banana-2-lite': {
    id: 'nano-banana-2-lite',
    family: 'Nano Banana 2 Lite',
    aspectRatios: PRO_RATIOS,
    resolutions: ['1K', '2K', '4K'],
    outputFormats: [],
    maxImages: 10,
    maxN: 1,
    maxPromptLength: 2000,
    notSent: ['n'],
    source: 'seed 001',
  },
  'gemini-2.5-flash-image': {
    id: 'gemini-2.5-flash-image',
    family: 'Nano Banana',
    aspectRatios: ['auto', '1:1', '2:3', '3:2', '4:3', '3:4', '16:9', '9:16'],
    resolutions: ['1K'], // no `quality` field: always 1K
    outputFormats: [],
    maxImages: 5,
    maxN: 1,
    maxPromptLength: 1000,
    notSent: ['resolution', 'n'],
    source: 'EvoLink nano-banana page',
  },
}

/**
 * EvoLink adapter. Mapping: aspectRatio -> `size`, resolution -> `quality` (not sent to
 * gemini-2.5-flash-image, which has no such field and is 1K), images -> `image_urls`, callbackUrl ->
 * `callback_url`, providerOptions merged into the body (e.g. `model_params`). Result links live 24 h.
 */
export const evolink: ProviderAdapter = evolinkFamilyAdapter({
  id: 'evolink',
  name: 'EvoLink',
  envKey: 'EVOLINK_API_KEY',
  baseUrlEnvKey: 'EVOLINK_BASE_URL',
  defaultModel: 'gemini-3-pro-image-preview',
  models,
  createClient: createEvolinkClient,
  submit: (client, body, signal) => createImageTask({ client, body: body as CreateImageTaskRequest, ...(signal ? { signal } : {}) }),
  query: (client, taskId, signal) => getImageTask({ client, path: { task_id: taskId }, ...(signal ? { signal } : {}) }),
})
