// Type tests, checked by `tsc -p tsconfig.json` (test/ is included): an unused @ts-expect-error fails
// the type check, so each line below must really be a compile error.
import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  createNanoBanana,
  providerIds,
  type AspectRatio,
  type AspectRatioOf,
  type DefaultModelId,
  type GenerateOptions,
  type GenerateRequest,
  type GenerateRequestFor,
  type ModelId,
  type OutputFormatOf,
  type ResolutionOf,
  type GenerateResult,
  type FailoverResult,
  type NanoBananaClient,
  type NanoBananaFailoverClient,
  type OutputFormat,
  type ProviderId,
  type Resolution,
  type TaskStatus,
} from '../src/index.js'
import type { META, PROVIDER_IDS } from '@nano-banana/manifest'

type AnyModel = { [P in keyof typeof META]: (typeof META)[P]['models'][keyof (typeof META)[P]['models']] }[keyof typeof META]
type CapabilityValues<K extends string> = AnyModel extends infer M ? (M extends { capabilities: { [Q in K]: readonly (infer V)[] } } ? V : never) : never

// Any two providers: the types do not depend on which.
const ONE: ProviderId = providerIds[0]!
const TWO: ProviderId = providerIds[1]!

describe('types', () => {
  it('aspectRatio, resolution and outputFormat are closed unions', () => {
    expectTypeOf<'16:9'>().toExtend<AspectRatio>()
    expectTypeOf<'auto'>().toExtend<AspectRatio>()
    expectTypeOf<'7:3'>().not.toExtend<AspectRatio>()
    expectTypeOf<'16x9'>().not.toExtend<AspectRatio>()
    expectTypeOf<GenerateOptions['aspectRatio']>().toEqualTypeOf<AspectRatio | undefined>()
    expectTypeOf<Resolution>().toEqualTypeOf<'0.5K' | '1K' | '2K' | '4K'>()
    expectTypeOf<'jpg'>().not.toExtend<OutputFormat>()
    expectTypeOf<TaskStatus>().toEqualTypeOf<'queued' | 'running' | 'succeeded' | 'failed' | 'canceled'>()
    expectTypeOf<ProviderId>().toEqualTypeOf<(typeof PROVIDER_IDS)[number]>()
    // The option unions are the specs' own values (generated meta), not a hand-kept list.
    expectTypeOf<AspectRatio>().toEqualTypeOf<CapabilityValues<'aspectRatios'>>()
    expectTypeOf<OutputFormat>().toEqualTypeOf<CapabilityValues<'outputFormats'>>()
  })

  it('a wrong literal is a compile error', () => {
    const nb = createNanoBanana({ provider: ONE, apiKey: 'sk-test' })
    const good: GenerateOptions = { prompt: 'p', aspectRatio: '16:9', resolution: '2K', outputFormat: 'png' }
    // @ts-expect-error '7:3' is not an AspectRatio
    const badRatio: GenerateOptions = { prompt: 'p', aspectRatio: '7:3' }
    // Never called: the lines only have to (not) compile.
    const neverCalled = () => {
      // @ts-expect-error '16x9' is not an AspectRatio
      void nb.generate({ prompt: 'p', aspectRatio: '16x9' })
      // @ts-expect-error '8K' is not a Resolution
      void nb.submit({ prompt: 'p', resolution: '8K' })
      // @ts-expect-error 'jpg' is the wire value; the unified vocabulary says 'jpeg'
      void nb.submit({ prompt: 'p', outputFormat: 'jpg' })
      // @ts-expect-error unknown provider id
      createNanoBanana({ provider: 'openai', apiKey: 'k' })
    }
    expectTypeOf(nb.generate).returns.resolves.toEqualTypeOf<GenerateResult>()
    expect([good.aspectRatio, badRatio.aspectRatio, typeof neverCalled]).toEqual(['16:9', '7:3', 'function'])
  })

  it('createNanoBanana: one provider or a failover list (exclusive)', () => {
    const single = createNanoBanana({ provider: ONE, apiKey: 'sk-test' })
    const multi = createNanoBanana({
      providers: [
        { provider: ONE, apiKey: 'sk-test' },
        { provider: TWO, apiKey: 'sk-test', model: 'any-model' },
      ],
    })
    expectTypeOf(single).toEqualTypeOf<NanoBananaClient>()
    expectTypeOf(multi).toEqualTypeOf<NanoBananaFailoverClient>()
    expectTypeOf(multi.generate).returns.resolves.toEqualTypeOf<FailoverResult>()
    const neverCalled = () => {
      // @ts-expect-error unknown provider id in the list
      createNanoBanana({ providers: [{ provider: 'openai', apiKey: 'k' }] })
      // @ts-expect-error the provider of a task is a ProviderId
      void multi.wait('t', { provider: 'openai' })
    }
    expect(typeof neverCalled).toBe('function')
  })

  it('a provider literal types model and options from its generated meta', () => {
    // Two providers as literal types, taken from the generated list (no hand-typed id).
    type First = (typeof PROVIDER_IDS)[0]
    type Second = (typeof PROVIDER_IDS)[1]
    type Models<P extends ProviderId> = (typeof META)[P]['models']
    // Every listed model id is a ModelId; the default model is one of them.
    expectTypeOf<Exclude<keyof Models<First>, '*'>>().toExtend<ModelId<First>>()
    expectTypeOf<DefaultModelId<First>>().toExtend<ModelId<First>>()
    expectTypeOf<DefaultModelId<First>>().toEqualTypeOf<(typeof META)[First]['defaultModel']>()
    // A model's options are a subset of the unified unions, never a value outside them.
    expectTypeOf<AspectRatioOf<First, DefaultModelId<First>>>().toExtend<AspectRatio>()
    expectTypeOf<ResolutionOf<First, DefaultModelId<First>>>().toExtend<Resolution>()
    expectTypeOf<OutputFormatOf<First, DefaultModelId<First>>>().toExtend<OutputFormat>()
    // Every provider (a ProviderId variable, an adapter object) keeps the untyped request.
    expectTypeOf<GenerateRequestFor<ProviderId>>().toEqualTypeOf<GenerateRequest>()
    const single = createNanoBanana({ provider: providerIds[0] as First, apiKey: 'sk-test' })
    expectTypeOf(single).toEqualTypeOf<NanoBananaClient<First>>()
    // A failover client over two literal providers: the union of their model ids.
    const multi = createNanoBanana({
      providers: [
        { provider: providerIds[0] as First, apiKey: 'k' },
        { provider: providerIds[1] as Second, apiKey: 'k' },
      ],
    })
    expectTypeOf(multi).toEqualTypeOf<NanoBananaFailoverClient<First | Second>>()
    expectTypeOf<Parameters<typeof multi.submit>[0]['model']>().toEqualTypeOf<ModelId<First> | ModelId<Second> | undefined>()
    const neverCalled = () => {
      // @ts-expect-error '7:3' is no aspect ratio of any model
      void single.generate({ prompt: 'p', aspectRatio: '7:3' })
      // @ts-expect-error '7:3' is no aspect ratio of any model of either provider
      void multi.generate({ prompt: 'p', aspectRatio: '7:3' })
    }
    expect(typeof neverCalled).toBe('function')
  })
})
