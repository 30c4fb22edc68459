// Replicate's own contract expectations: the facts of seed 002 and its result types.
import type * as Replicate from '@nano-banana/replicate'
import { expectTypeOf } from 'vitest'
import type { SeedFacts } from '../support/fixtures.js'

export const seed: SeedFacts = {
  seed: '002',
  create: ['/client/job/CreateTask', 'post'],
  // Seed 002 lists these as the response `code`; they may also come as HTTP statuses.
  statuses: ['200', '401', '402', '404', '422', '429', '455', '500', '501', '505'],
  requestFields: ['model', 'input', 'callback_url'],
  responseFields: ['code', 'message'],
  enums: [['model', ['google/nano-banana', 'google/nano-banana-v2']]],
  limits: [],
}

type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>
export function typeChecks(): void {
  expectTypeOf<Result<typeof Replicate.getCredits<false>>['error']>().toEqualTypeOf<Replicate.GetCreditsError | undefined>()
}
