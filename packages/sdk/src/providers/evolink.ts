// EvoLink (evolink.ai): the flat task API. Every capability, field and status word comes from
// specs/evolink.openapi.yaml (one `CreateImageTaskRequest` branch per model); result links live as
// long as the spec's `x-result-url-ttl-seconds` says.
import type { CreateImageTaskRequest } from '@nano-banana/evolink'
import { clientMeta as meta } from '@nano-banana/evolink/meta'
import { defineBuiltInProvider } from '../define-provider.js'
import { flatTaskDefinition } from '../wire/flat-task.js'

/** The flat task definition of evolink's spec; exported so that the test suite checks it (see defineBuiltInProvider). */
export const definition = flatTaskDefinition<CreateImageTaskRequest>(meta)

/** EvoLink adapter: aspectRatio, resolution, images and callbackUrl go where each model's branch says; providerOptions are merged into the body (e.g. `model_params`). */
export const evolink = defineBuiltInProvider(definition)
