// odkkk's own contract expectations: the facts of seed 000 and its result types.
import type * as Odkkk from '@nano-banana/odkkk'
import { expectTypeOf } from 'vitest'
import type { SeedFacts } from '../support/fixtures.js'

const SIZES = ['auto', '1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9']

export const seed: SeedFacts = {
  seed: '000',
  create: ['/v1/images/generations', 'post'],
  statuses: ['200', '400', '401', '402', '403', '404', '413', '429', '500', '502', '503'],
  requestFields: ['model', 'prompt', 'size', 'quality', 'image_urls', 'callback_url'],
  responseFields: [
    'created',
    'id',
    'model',
    'object',
    'progress',
    'status',
    'task_info',
    'type',
    'usage',
    'can_cancel',
    'estimated_time',
    'billing_rule',
    'credits_reserved',
    'user_group',
  ],
  enums: [
    ['model', ['nano-banana-2-lite']],
    ['size', SIZES],
    ['quality', ['1K', '2K', '4K']],
    ['status', ['pending', 'processing', 'completed', 'failed']],
    ['billing_rule', ['per_call', 'per_token', 'per_second']],
    ['user_group', ['default', 'vip']],
    ['type', ['text', 'image', 'audio', 'video']],
  ],
  limits: [
    ['prompt', 'maxLength', 2000],
    ['image_urls', 'maxItems', 10],
    ['callback_url', 'maxLength', 2048],
  ],
}

export const errorPhrases = [
  'Invalid or expired token',
  'Insufficient quota',
  'Access denied for this model',
  'Image file too large',
  'retry after 60 seconds',
  'Upstream AI service unavailable',
  'retry after 30 seconds',
]

type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>
export function typeChecks(): void {
  expectTypeOf<Result<typeof Odkkk.getImageTask<false>>['data']>().toEqualTypeOf<Odkkk.ImageTask | undefined>()
}
