// EvoLink's own contract expectations: the facts of seed 001, its result types, and a fake upstream
// for the `prism proxy` path.
import type * as Evolink from '@nano-banana/evolink'
import type { RecordedRequest, Reply } from '@nano-banana/testkit'
import { expectTypeOf } from 'vitest'
import type { ProxyFixture, SeedFacts } from '../support/fixtures.js'

const SIZES = ['auto', '1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9']

export const seed: SeedFacts = {
  seed: '001',
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
    ['model', ['nano-banana-2-lite', 'gemini-3-pro-image-preview']],
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
  expectTypeOf<Result<typeof Evolink.createImageTask<false>>['data']>().toEqualTypeOf<Evolink.CreateImageTaskResponse | undefined>()
  expectTypeOf<Result<typeof Evolink.createImageTask<false>>['error']>().toEqualTypeOf<Evolink.CreateImageTaskError | undefined>()
}

const CREATED = 'task-unified-1757165031-fake0001'

export const proxy: ProxyFixture = {
  createdTaskId: CREATED,
  rawQueryPath: '/v1/tasks/task-unified-raw',
  driftLocations: ['response.body.id', 'response.body.status'],
  handle(request: RecordedRequest, key: string): Reply {
    if (request.headers.authorization !== `Bearer ${key}`) {
      return { status: 401, body: { error: { code: 401, message: 'Invalid or expired token', type: 'authentication_error' } } }
    }
    if (request.method === 'GET' && request.path.endsWith('/v1/credits')) {
      return {
        body: {
          success: true,
          message: '',
          data: { user: { remaining_credits: 12.5, used_credits: 1 }, token: { remaining_credits: 3, unlimited_credits: false, used_credits: 0 } },
        },
      }
    }
    if (request.method === 'POST' && request.path.endsWith('/v1/images/generations')) {
      return {
        body: { id: CREATED, status: 'pending', object: 'image.generation.task', progress: 0, created: 1757165031, model: 'nano-banana-2-lite', type: 'image' },
      }
    }
    if (request.method === 'GET' && /\/v1\/tasks\/[^/]+$/.test(request.path)) {
      // Drift: `id` became a number and `status` has a word the spec does not list.
      return { body: { id: 42, status: 'done', progress: 100, object: 'image.generation.task' } }
    }
    return { status: 404, body: { error: { code: 404, message: 'not found', type: 'not_found_error' } } }
  },
}
