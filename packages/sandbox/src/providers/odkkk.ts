import type { CreateImageTaskResponse, CreditsResponse, ErrorResponse, ImageTask } from '@nano-banana/odkkk'
import { meta } from '@nano-banana/odkkk/meta'
import * as schemas from '@nano-banana/odkkk/schemas'
import { generationTaskFamily, type FamilyBodies } from './generation-task-family.js'

/** ai.odkkk.com, a white-label copy of the `image.generation.task` API: specs/odkkk.openapi.yaml. Its query takes any id (no documented pattern). */
export const odkkk = generationTaskFamily({ id: 'odkkk', meta, schemas })

// The family's bodies must be bodies of odkkk's generated types: tsc checks it here.
type Is<T, U extends T> = [T, U]
export type OdkkkBodiesChecked = [
  Is<CreateImageTaskResponse, FamilyBodies['created']>,
  Is<ImageTask, FamilyBodies['task']>,
  Is<CreditsResponse, FamilyBodies['credits']>,
  Is<ErrorResponse, FamilyBodies['error']>,
]
