import type { CreateImageTaskResponse, CreditsResponse, ErrorResponse, ImageTask } from '@nano-banana/evolink'
import { meta } from '@nano-banana/evolink/meta'
import * as schemas from '@nano-banana/evolink/schemas'
import { generationTaskFamily, type FamilyBodies } from './generation-task-family.js'

/** EvoLink (api.evolink.ai): specs/evolink.openapi.yaml. Its newer docs reject query ids without the `task-unified-` prefix (HTTP 400). */
export const evolink = generationTaskFamily({ id: 'evolink', meta, schemas, taskIdPrefix: 'task-unified-' })

// The family's bodies must be bodies of EvoLink's generated types: tsc checks it here.
type Is<T, U extends T> = [T, U]
export type EvolinkBodiesChecked = [
  Is<CreateImageTaskResponse, FamilyBodies['created']>,
  Is<ImageTask, FamilyBodies['task']>,
  Is<CreditsResponse, FamilyBodies['credits']>,
  Is<ErrorResponse, FamilyBodies['error']>,
]
