// AIVideoAPI's own contract expectations: the facts of seed 004 and its result types.
import type * as Gemini from '@nano-banana/gemini'
import { expectTypeOf } from 'vitest'
import type { SeedFacts } from '../support/fixtures.js'

export const seed: SeedFacts = {
  seed: '004',
  create: ['/v1/images/generations', 'post'],
  statuses: ['200', '400', '401', '402', '403', '404', '429', '500', '503'],
  requestFields: ['model', 'input', 'callback_url', 'prompt', 'aspect_ratio', 'image_urls', 'resolution'],
  responseFields: ['code', 'msg', 'data', 'taskId'],
  enums: [
    ['model', ['nano-banana-2-lite']],
    ['aspect_ratio', ['1:1', '1:4', '1:8', '2:3', '3:2', '3:4', '4:1', '4:3', '4:5', '5:4', '8:1', '9:16', '16:9', '21:9', 'auto']],
    ['resolution', ['1K']],
  ],
  limits: [
    ['prompt', 'maxLength', 20_000],
    ['image_urls', 'maxItems', 10],
  ],
}

export const errorCodes = [
  'invalid_request',
  'invalid_api_key',
  'insufficient_credits',
  'ip_not_allowed',
  'model_not_found',
  'task_not_found',
  'rate_limit_exceeded',
  'spend_limit_exceeded',
  'internal_error',
  'upstream_error',
]

type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>
export function typeChecks(): void {
  expectTypeOf<Result<typeof Gemini.getImageTask<false>>['error']>().toEqualTypeOf<Gemini.GetImageTaskError | undefined>()
}
