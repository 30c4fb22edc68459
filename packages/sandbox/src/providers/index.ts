import { registry } from '../generated/providers.gen.js'
import type { ProviderId } from '../types.js'
import type { ProviderWire } from './types.js'

export const PROVIDERS: Readonly<Record<ProviderId, ProviderWire>> = registry

export type { ErrorKind, Operation, ProviderWire, Reply, Route, WireContext } from './types.js'
