import type { ProviderAdapter } from '../adapter.js'
import type { ProviderId } from '../types.js'
import { aivideoapi } from './aivideoapi.js'
import { crun } from './crun.js'
import { evolink } from './evolink.js'
import { odkkk } from './odkkk.js'
import { uniall } from './uniall.js'

/** The one list of providers. */
export const providers: Readonly<Record<ProviderId, ProviderAdapter>> = { odkkk, evolink, crun, uniall, aivideoapi }

export const providerIds = Object.keys(providers) as ProviderId[]
