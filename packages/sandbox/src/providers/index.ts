import type { ProviderId } from '../types.js'
import { aivideoapi } from './aivideoapi.js'
import { crun } from './crun.js'
import { evolink } from './evolink.js'
import { odkkk } from './odkkk.js'
import type { ProviderWire } from './types.js'
import { uniall } from './uniall.js'

export const PROVIDERS: Record<ProviderId, ProviderWire> = { odkkk, evolink, crun, uniall, aivideoapi }

export type { ErrorKind, Operation, ProviderWire, Reply, Route, WireContext } from './types.js'
