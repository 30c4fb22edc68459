// fal's own contract expectations: the error types of fal's error reference that its spec's examples carry,
// and the result types of the generated client (status, result and cancel are separate operations).
import type * as Fal from '@nano-banana/fal'
import { expectTypeOf } from 'vitest'

/** fal has no seed page; the phrases are those of its documented error bodies (https://fal.ai/docs/documentation/model-apis/errors.md). */
export const errorPhrases = ['flagged by a content checker', 'Request not found']

type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>
export function typeChecks(): void {
  expectTypeOf<Result<typeof Fal.getImageTask<false>>['error']>().toEqualTypeOf<Fal.GetImageTaskError | undefined>()
  expectTypeOf<Result<typeof Fal.getImageTaskResult<false>>['data']>().toEqualTypeOf<Fal.ImageResult | undefined>()
  expectTypeOf<Result<typeof Fal.cancelImageTask<false>>['error']>().toEqualTypeOf<Fal.CancelImageTaskError | undefined>()
}
