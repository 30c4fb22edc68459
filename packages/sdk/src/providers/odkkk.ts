// odkkk (ai.odkkk.com, "Nano Banana Pro Lite"): a white-label copy of the flat task API. Capabilities,
// fields and status words come from specs/odkkk.openapi.yaml (the query endpoint is marked x-unverified there).
import type { CreateImageTaskRequest } from '@nano-banana/odkkk'
import { clientMeta as meta } from '@nano-banana/odkkk/meta'
import { defineBuiltInProvider } from '../define-provider.js'
import { flatTaskDefinition } from '../wire/flat-task.js'

/** The flat task definition of odkkk's spec; exported so that the test suite checks it (see defineBuiltInProvider). */
export const definition = flatTaskDefinition<CreateImageTaskRequest>(meta)

/** odkkk adapter: the options go where the spec says; providerOptions are merged into the body. */
export const odkkk = defineBuiltInProvider(definition)
