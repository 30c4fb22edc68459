// odkkk (ai.odkkk.com, "Nano Banana Pro Lite"): a white-label copy of EvoLink's task API.
// Capabilities: seed 000 = specs/odkkk.openapi.yaml `CreateImageTaskRequest`. The query endpoint is
// inferred from EvoLink (the spec marks it x-unverified).
import { createImageTask, createOdkkkClient, getImageTask, type CreateImageTaskRequest } from '@nano-banana/odkkk'
import type { ModelCapabilities, ProviderAdapter } from '../adapter.js'
import { GOOGLE_RATIOS } from '../adapter-kit.js'
import { evolinkFamilyAdapter } from './evolink-family.js'

const models: Record<string, ModelCapabilities> = {
  'nano-banana-2-lite': {
    id: 'nano-banana-2-lite',
    family: 'Nano Banana Pro Lite',
    aspectRatios: ['auto', ...GOOGLE_RATIOS], // `size`, default auto
    resolutions: ['1K', '2K', '4K'], // `quality`, default 2K; 4K costs extra
    outputFormats: [], // no format field and no documented output format
    maxImages: 10,
    maxN: 1,
    maxPromptLength: 2000,
    notSent: ['n'],
    source: 'seed 000 (odkkk page = EvoLink spec)',
  },
}

/**
 * odkkk adapter. Mapping: aspectRatio -> `size`, resolution -> `quality`, images -> `image_urls`,
 * callbackUrl -> `callback_url`, providerOptions merged into the body. Result links live 24 h.
 */
export const odkkk: ProviderAdapter = evolinkFamilyAdapter({
  id: 'odkkk',
  name: 'odkkk',
  envKey: 'ODKKK_API_KEY',
  baseUrlEnvKey: 'ODKKK_BASE_URL',
  defaultModel: 'nano-banana-2-lite',
  models,
  createClient: createOdkkkClient,
  submit: (client, body, signal) => createImageTask({ client, body: body as CreateImageTaskRequest, ...(signal ? { signal } : {}) }),
  query: (client, taskId, signal) => getImageTask({ client, path: { task_id: taskId }, ...(signal ? { signal } : {}) }),
})
