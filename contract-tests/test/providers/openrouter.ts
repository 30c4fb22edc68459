// OpenRouter's own contract expectations: the facts of shared/providers-next.md section 7 (OpenRouterTeam/docs:
// image-generation.mdx, openapi.yaml `/images`, errors-and-debugging.mdx), and its result types.
import type * as OpenRouter from '@nano-banana/openrouter'
import { expectTypeOf } from 'vitest'
import type { SeedFacts } from '../support/fixtures.js'

export const seed: SeedFacts = {
  seed: 'providers-next §7',
  create: ['/images', 'post'],
  statuses: ['200', '400', '401', '402', '403', '404', '413', '429', '500', '502', '524', '529'],
  requestFields: [
    'model',
    'prompt',
    'n',
    'resolution',
    'aspect_ratio',
    'size',
    'quality',
    'output_format',
    'background',
    'output_compression',
    'seed',
    'stream',
    'input_references',
    'provider',
  ],
  responseFields: ['created', 'data', 'b64_json', 'media_type', 'usage', 'cost'],
  enums: [
    ['resolution', ['512', '1K', '2K', '4K']],
    ['aspect_ratio', ['auto', '1:1', '16:9', '9:16', '21:9', '1:4', '4:1', '1:8', '8:1']],
    ['output_format', ['png', 'jpeg', 'webp', 'svg']],
    ['model', ['google/gemini-2.5-flash-image', 'google/gemini-3-pro-image-preview', 'google/gemini-3.1-flash-image-preview']],
  ],
  limits: [
    ['n', 'minimum', 1],
    ['n', 'maximum', 10],
  ],
}

export const errorPhrases = [
  'rate_limit_exceeded',
  'provider_overloaded',
  'provider_unavailable',
  'payment_required',
  'permission_denied',
  'payload_too_large',
  'provider_code',
]

type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>
export function typeChecks(): void {
  expectTypeOf<Result<typeof OpenRouter.createImageTask<false>>['error']>().toEqualTypeOf<OpenRouter.CreateImageTaskError | undefined>()
}
