// The unified client calls each provider operation from the meta's method and path (src/operation.ts), not
// through the provider package's generated function: both must send the same request, byte for byte, so the
// spec's auth scheme, path and query parameters and JSON body reach the wire as the generated client sends them.
import { META } from '@nano-banana/manifest'
import type { ClientMeta, ProviderMeta } from '@nano-banana/runtime'
import { describe, expect, it } from 'vitest'
import { defineProvider, type ProviderDefinition } from '../src/define-provider.js'
import { operationOf } from '../src/operation.js'
import { providerIds, providers } from '../src/index.js'

interface Sent {
  url: string
  method: string
  headers: Record<string, string>
  body: string | undefined
}

type Key = keyof ClientMeta['operations']

const cases = providerIds.flatMap((id) => {
  const clientMeta = providers[id].meta as ClientMeta
  const meta: ProviderMeta = META[id]
  return (Object.keys(clientMeta.operations) as Key[]).map((key) => {
    const operationId = key === 'createWithImages' ? meta.operations.create.imagesOperation! : meta.operations[key]!.operationId
    return [`${id} ${key} (${operationId})`, id, key, operationId] as const
  })
})

describe('an operation called from the meta sends what the generated function sends', () => {
  it('covers every operation the unified client calls, with and without a body', () => {
    expect(cases.length).toBeGreaterThanOrEqual(providerIds.length * 2)
    expect(cases.some(([, , key]) => key === 'createWithImages')).toBe(true)
  })

  it.each(cases)('%s', async (_, id, key, operationId) => {
    const adapter = providers[id]
    const clientMeta = adapter.meta as ClientMeta
    const op = clientMeta.operations[key]!
    const sent: Sent[] = []
    const client = adapter.createClient({
      apiKey: 'sk-test-key',
      baseUrl: 'https://api.example.test/base',
      headers: { 'X-Trace': 'trace-1' },
      fetch: async (url, init) => {
        sent.push({
          url: String(url),
          method: String(init?.method),
          headers: Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).sort()),
          body: init?.body === undefined || init.body === null ? undefined : String(init.body),
        })
        return Response.json({ ok: true })
      },
    })
    // Every path parameter of the template, the task id where the spec puts it, a body for the create operations.
    const path = Object.fromEntries([...op.path!.matchAll(/\{([^}]+)\}/g)].map((m, i) => [m[1]!, `v${i}/x y`]))
    const query = op.taskId?.in === 'query' ? { [op.taskId.name]: 'task 1' } : key === 'create' ? { extra: 'q&1' } : undefined
    const body = key === 'create' || key === 'createWithImages' ? { model: 'm', prompt: 'a cat', images: ['https://example.test/a.png'] } : undefined
    const call = { client, path, ...(query ? { query } : {}), ...(body ? { body } : {}) }

    const generated = (await import(`@nano-banana/${id}`)) as Record<string, (options: unknown) => Promise<{ data: unknown }>>
    const fromGenerated = await generated[operationId]!(call)
    const fromMeta = await operationOf(clientMeta, key)!(call)

    expect(sent).toHaveLength(2)
    expect(sent[1]).toEqual(sent[0])
    expect(fromMeta.data).toEqual(fromGenerated.data)
    // What the comparison is about: the key where the spec says, the body as JSON.
    const auth: ProviderMeta['auth'] = META[id].auth
    const carried = auth.in === 'query' ? new URL(sent[0]!.url).searchParams.get(auth.name) : sent[0]!.headers[auth.name]
    expect(carried).toBe(`${auth.prefix}sk-test-key`)
    if (body) expect(sent[0]!.headers['content-type']).toBe('application/json')
    else expect(sent[0]!.headers['content-type']).toBeUndefined()
  })
})

describe('a meta without method, path or key placement', () => {
  it('is refused by defineProvider when the definition passes no operation of its own', async () => {
    const id = providerIds.find((p) => !providers[p].meta?.synchronous && !providers[p].meta?.operations.create.modelPath)!
    const { definition } = (await import(`../src/providers/${id}.ts`)) as { definition: ProviderDefinition }
    const meta = definition.meta
    const { in: _in, ...auth } = meta.auth
    const { create: _create, ...given } = definition.operations ?? {}
    const without = { ...definition, operations: given }
    expect(() => defineProvider(without)).not.toThrow()
    expect(() => defineProvider({ ...without, meta: { ...meta, auth } })).toThrow(/no method, path or key placement in the meta for create/)
    const noPath = { ...meta, operations: { ...meta.operations, create: {} } }
    expect(() => defineProvider({ ...without, meta: noPath })).toThrow(/no method, path or key placement in the meta for create/)
    // An operation the definition passes itself needs no method or path in the meta.
    expect(() => defineProvider({ ...without, operations: { ...given, create: async () => ({}) as never }, meta: noPath })).not.toThrow()
    expect(operationOf({ ...meta, operations: { create: {} } } as ClientMeta, 'cancel')).toBeUndefined()
  })
})
