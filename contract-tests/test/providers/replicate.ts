// Replicate's own contract expectations: phrases of its documented problem+json error bodies and the result
// types of the generated client (query and cancel both answer the prediction). Replicate has no seed page; the
// phrases are those of https://replicate.com/docs/topics/predictions and its HTTP API reference.
import type * as Replicate from '@nano-banana/replicate'
import { expectTypeOf } from 'vitest'

export const errorPhrases = ['You did not pass a valid authentication token', 'Request was throttled', 'insufficient credit', 'Input validation failed']

type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>
export function typeChecks(): void {
  expectTypeOf<Result<typeof Replicate.createImageTask<false>>['error']>().toEqualTypeOf<Replicate.CreateImageTaskError | undefined>()
  expectTypeOf<Result<typeof Replicate.getImageTask<false>>['data']>().toEqualTypeOf<Replicate.GetImageTaskResponse | undefined>()
  expectTypeOf<Result<typeof Replicate.cancelImageTask<false>>['error']>().toEqualTypeOf<Replicate.CancelImageTaskError | undefined>()
}
