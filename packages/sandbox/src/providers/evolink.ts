import { evolinkFamily } from './evolink-family.js'

/** EvoLink (api.evolink.ai): specs/evolink.openapi.yaml. */
export const evolink = evolinkFamily({ id: 'evolink', defaultModel: 'gemini-3-pro-image-preview', taskIdPrefix: 'task-unified-' })
