// kie.ai's own contract expectations: phrases of its documented error bodies and the result types of the
// generated client. kie.ai has no seed page; the phrases are those of https://docs.kie.ai (common API errors).
import type * as Kie from '@nano-banana/kie'
import { expectTypeOf } from 'vitest'

export const errorPhrases = ['Insufficient Credits', 'model name not supported', 'Service Unavailable - system maintenance', 'Generation Failed']

type Result<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>
export function typeChecks(): void {
  expectTypeOf<Result<typeof Kie.createImageTask<false>>['error']>().toEqualTypeOf<Kie.CreateImageTaskError | undefined>()
  expectTypeOf<Result<typeof Kie.getImageTask<false>>['data']>().toEqualTypeOf<Kie.GetImageTaskResponse | undefined>()
  expectTypeOf<Result<typeof Kie.getCredits<false>>['error']>().toEqualTypeOf<Kie.GetCreditsError | undefined>()
}
