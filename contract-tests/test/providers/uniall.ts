// UniAll's own contract expectations: the facts of seed 003 and its result types.
import type * as Uniall from '@nano-banana/uniall'
import { expectTypeOf } from 'vitest'
import type { SeedFacts } from '../support/fixtures.js'

export const seed: SeedFacts = {
  seed: '003',
  create: ['/v1/images/tasks', 'post'],
  statuses: ['200'],
  requestFields: ['model', 'prompt', 'task_type', 'image', 'images', 'aspect_ratio', 'output_format', 'n', 'response_format'],
  enums: [
    ['task_type', ['text2image', 'image2image']],
    ['output_format', ['png', 'jpeg', 'webp']],
  ],
  limits: [],
}

type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>
export function typeChecks(): void {
  expectTypeOf<Result<typeof Uniall.createImageEdit<false>>['data']>().toEqualTypeOf<Uniall.ImagesResponse | undefined>()
}
