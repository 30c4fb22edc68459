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
  // `x-model-in-path`: the default model's segments are the path parameters.
  const modelPath = meta.operations.create.modelPath
  const pieces = meta.defaultModel.split('/')
  const path = modelPath ? Object.fromEntries(modelPath.map((name, i) => [name, pieces[i] ?? ''])) : undefined
  const createPath = Object.entries(path ?? {}).reduce((out, [name, value]) => out.replace(`{${name}}`, encodeURIComponent(value)), meta.operations.create.path)
  const call = (client: unknown) => create({ client: client as never, body, ...(path ? { path } : {}) })

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
