// Per-provider expectations of the contract suite, one module per provider in test/providers/<id>.ts
// (optional: a provider without one gets only the spec-generated cases). The shared tests iterate
// these; nothing here names a provider.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { PROVIDER_IDS, type ProviderId } from '@nano-banana/manifest'
import type { RecordedRequest, Reply } from '@nano-banana/testkit'

/** Facts copied from the provider's seed page that its spec must keep stating. */
export interface SeedFacts {
  seed: string
  create: [path: string, method: string]
  statuses: string[]
  requestFields: string[]
  responseFields?: string[]
  enums: [field: string, values: string[]][]
  limits: [field: string, keyword: string, value: number][]
}

/** A local stand-in for the provider's real API behind `prism proxy --errors`. */
export interface ProxyFixture {
  /** Answers validly for credits and create, with a body that breaks the spec for the task query. */
  handle(request: RecordedRequest, key: string): Reply
  /** The task id the fake create answers with. */
  createdTaskId: string
  /** A task query path the fake answers with the drifted body. */
  rawQueryPath: string
  /** Where Prism reports the drift (`response.body.<field>`). */
  driftLocations: string[]
}

export interface ContractFixture {
  seed?: SeedFacts
  /** Every string error code the seed documents, each of which some spec enum must list. */
  errorCodes?: string[]
  /** Phrases of the seed's error texts the spec's examples must carry. */
  errorPhrases?: string[]
  /** Compile-time checks of the generated client's result types (no-ops at run time). */
  typeChecks?: () => void
  proxy?: ProxyFixture
}

export const FAKE_UPSTREAM_KEY = 'fake-upstream-key'

const fixturePath = (id: string) => fileURLToPath(new URL(`../providers/${id}.ts`, import.meta.url))

export const FIXTURES: Partial<Record<ProviderId, ContractFixture>> = Object.fromEntries(
  await Promise.all(
    PROVIDER_IDS.filter((id) => existsSync(fixturePath(id))).map(async (id) => [id, (await import(`../providers/${id}.ts`)) as ContractFixture] as const),
  ),
)

/** The providers whose fixture has `key`, with that part of it. */
export function withFixture<K extends keyof ContractFixture>(key: K): [ProviderId, NonNullable<ContractFixture[K]>][] {
  return PROVIDER_IDS.flatMap((id) => {
    const value = FIXTURES[id]?.[key]
    return value === undefined ? [] : [[id, value as NonNullable<ContractFixture[K]>]]
  })
}
