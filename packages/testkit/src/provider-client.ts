// The one client test of every generated provider package (packages/<id>/test/client.test.ts is the same
// file everywhere): its create call against a local server, with the path and auth its meta states and
// the spec's first request example as the body, plus a custom fetch. vitest is imported lazily so the
// rest of the kit does not need it.
import { startTestServer, type TestServer } from './server.js'
import { findOperation, isJsonMediaType, loadSpec, namedExamples, serverUrl } from './spec.js'

interface PackageMeta {
  id: string
  name: string
  baseUrlRequired: boolean
  defaultBaseUrl: string | null
  auth: { name: string; prefix: string }
  defaultModel: string
  operations: { create: { operationId: string; method: string; path: string; modelPath?: readonly string[] } }
}

type CreateClient = (options: { apiKey: string; baseUrl: string; fetch?: typeof fetch }) => unknown
type Operation = (options: { client: never; body: unknown; path?: Record<string, string> }) => Promise<{ response: Response }>

const capitalize = (id: string) => `${id[0]?.toUpperCase() ?? ''}${id.slice(1)}`

/** The first named example of the create operation's JSON request body in the provider's spec. */
export function firstRequestExample(id: string, operationId: string): unknown {
  const spec = loadSpec(id)
  const json = findOperation(spec, operationId).requestBody?.contents.find((c) => isJsonMediaType(c.mediaType))
  const [first] = json ? namedExamples(spec.doc, json.media, json.at) : []
  if (!first) throw new Error(`${id}: ${operationId} has no named JSON request example`)
  return first.value
}

/**
 * A value for each path parameter of the create operation (a model in the path): the first of its schema's
 * `examples` (or its `example`) in the spec.
 */
export function pathExamples(id: string, operationId: string): Record<string, string> {
  const spec = loadSpec(id)
  const doc = spec.doc as {
    paths: Record<
      string,
      Record<string, { operationId?: string; parameters?: { in: string; name: string; example?: unknown; schema?: { examples?: unknown[]; example?: unknown } }[] }>
    >
  }
  const out: Record<string, string> = {}
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      if (op?.operationId !== operationId) continue
      for (const p of op.parameters ?? []) {
        if (p.in !== 'path') continue
        const value = p.schema?.examples?.[0] ?? p.schema?.example ?? p.example
        if (value === undefined) throw new Error(`${id}: path parameter ${p.name} of ${operationId} has no example`)
        out[p.name] = String(value)
      }
    }
  }
  return out
}

/** Describes the create-call suite for one generated provider package (`import * as pkg from '../src/index.js'`). */
export async function describeProviderClient(pkg: Record<string, unknown>): Promise<void> {
  const { afterAll, beforeAll, describe, expect, it } = await import('vitest')
  const meta = pkg.meta as PackageMeta
  const createClient = pkg[`create${capitalize(meta.id)}Client`] as CreateClient
  const provider = pkg[`${meta.id}Provider`] as { defaultBaseUrl: string | undefined }
  const create = pkg[meta.operations.create.operationId] as Operation
  const body = firstRequestExample(meta.id, meta.operations.create.operationId)
  const apiKey = `sk-${meta.id}-test`
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ handle: () => ({ body: {} }) })
  })
  afterAll(() => server.close())
  // `x-model-in-path`: the default model's segments are the path parameters; other path parameters take the spec's examples.
  const modelPath = meta.operations.create.modelPath
  const pieces = meta.defaultModel.split('/')
  const path: Record<string, string> = modelPath
    ? Object.fromEntries(modelPath.map((name, i) => [name, pieces[i] ?? '']))
    : pathExamples(meta.id, meta.operations.create.operationId)
  const call = (client: unknown) => create({ client: client as never, body, ...(Object.keys(path).length ? { path } : {}) })
  // The create path with its parameters filled in, as the client sends it.
  const createPath = meta.operations.create.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(path[name] ?? ''))

  describe(`@nano-banana/${meta.id} client`, () => {
    it('exports the factory, the provider and the create operation by the naming convention', () => {
      expect(typeof createClient).toBe('function')
      expect(typeof create).toBe('function')
      expect(provider).toBeDefined()
    })

    it('documents its base URL from the spec', () => {
      // Read from the spec here, independently of codegen's meta.
      expect(provider.defaultBaseUrl).toBe(meta.baseUrlRequired ? undefined : serverUrl(meta.id))
    })

    if (meta.baseUrlRequired) {
      it('refuses to build a client without baseUrl, naming the option', () => {
        expect(() => createClient({ apiKey } as never)).toThrow(`${meta.name} does not publish an API host: pass \`baseUrl\``)
      })
    } else {
      it('builds a client without baseUrl, on the documented host', () => {
        expect(() => createClient({ apiKey } as never)).not.toThrow()
      })
    }

    it('sends the create call to the spec path with auth and JSON body', async () => {
      const result = await call(createClient({ apiKey, baseUrl: `${server.url}/prefix` }))
      expect(result.response.status).toBe(200)
      const sent = server.requests.at(-1)
      expect(sent?.method).toBe(meta.operations.create.method.toUpperCase())
      expect(sent?.url).toBe(`/prefix${createPath}`)
      expect(sent?.headers[meta.auth.name]).toBe(`${meta.auth.prefix}${apiKey}`)
      expect(sent?.headers['content-type']).toBe('application/json')
      expect(sent?.body).toEqual(body)
    })

    it('uses a custom fetch when given one', async () => {
      const seen: string[] = []
      const tracing: typeof fetch = (input, init) => {
        seen.push(String(input))
        return fetch(input, init)
      }
      await call(createClient({ apiKey, baseUrl: server.url, fetch: tracing }))
      expect(seen).toEqual([`${server.url}${createPath}`])
    })
  })
}
