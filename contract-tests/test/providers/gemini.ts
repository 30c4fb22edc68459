// The Gemini API's own contract expectations: the facts of shared/providers-next.md section 1 (Google's
// js-genai types and the troubleshooting page), and its result types.
import type * as Gemini from '@nano-banana/gemini'
import { expectTypeOf } from 'vitest'
import type { SeedFacts } from '../support/fixtures.js'

export const seed: SeedFacts = {
  seed: 'providers-next §1',
  create: ['/v1beta/models/{model}:generateContent', 'post'],
  statuses: ['200', '400', '403', '404', '429', '500', '503', '504'],
  requestFields: [
    'contents',
    'role',
    'parts',
    'text',
    'inlineData',
    'mimeType',
    'data',
    'generationConfig',
    'responseModalities',
    'imageConfig',
    'aspectRatio',
    'imageSize',
    'thoughtSignature',
  ],
  responseFields: [
    'candidates',
    'content',
    'parts',
    'inlineData',
    'thoughtSignature',
    'finishReason',
    'promptFeedback',
    'blockReason',
    'usageMetadata',
    'modelVersion',
    'responseId',
  ],
  enums: [
    ['aspectRatio', ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9', '1:4', '4:1', '1:8', '8:1']],
    // The 512 tier is spelled "512" on this API (section 0.4); case-sensitive.
    ['imageSize', ['512', '1K', '2K', '4K']],
    ['responseModalities', ['TEXT', 'IMAGE']],
    [
      'finishReason',
      ['STOP', 'SAFETY', 'RECITATION', 'PROHIBITED_CONTENT', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION', 'IMAGE_OTHER', 'NO_IMAGE'],
    ],
    ['blockReason', ['SAFETY', 'OTHER', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'IMAGE_SAFETY']],
  ],
  // Image models answer one candidate: n images are n requests.
  limits: [['candidateCount', 'maximum', 1]],
}

/** google.rpc status names of the troubleshooting table. */
export const errorCodes = [
  'INVALID_ARGUMENT',
  'FAILED_PRECONDITION',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'RESOURCE_EXHAUSTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DEADLINE_EXCEEDED',
]

export const errorPhrases = ['API key not valid. Please pass a valid API key.', 'API_KEY_INVALID', 'google.rpc.RetryInfo', 'retryDelay', 'The model is overloaded']

type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>
export function typeChecks(): void {
  expectTypeOf<Result<typeof Gemini.createImageTask<false>>['error']>().toEqualTypeOf<Gemini.CreateImageTaskError | undefined>()
  expectTypeOf<Gemini.CreateImageTaskData['path']>().toEqualTypeOf<{ model: string }>()
}
