import { evolinkFamily } from './evolink-family.js'

/** ai.odkkk.com, EvoLink's white-label copy: specs/odkkk.openapi.yaml. Its query takes any id (no documented pattern). */
export const odkkk = evolinkFamily({ id: 'odkkk', defaultModel: 'nano-banana-2-lite' })
