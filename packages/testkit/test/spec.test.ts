import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  deref,
  findOperation,
  fromPointer,
  listOperations,
  loadSpec,
  pathPattern,
  REPO_ROOT,
  requestExamples,
  responseExamples,
  SPECS_DIR,
  serverUrl,
  specFromDocument,
  toFragment,
  toPointer,
} from '../src/index.js'

const DOC = {
  openapi: '3.1.0',
  'x-provider-id': 'demo',
  servers: [{ url: 'https://{region}.example.test/api', variables: { region: { default: 'eu' } } }],
  paths: {
    '/v1/tasks/{task_id}': {
      parameters: [{ $ref: '#/components/parameters/TaskId' }],
      get: {
        operationId: 'getTask',
        responses: {
          '200': { $ref: '#/components/responses/Task' },
          '404': { description: 'missing', content: { 'application/json': { examples: { gone: { value: { error: 'gone' } } } } } },
        },
      },
    },
    '/v1/tasks': {
      post: {
        operationId: 'createTask',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Create' }, examples: { basic: { $ref: '#/components/examples/Basic' } } } },
        },
        responses: { '200': { $ref: '#/components/responses/Task' } },
      },
    },
  },
  components: {
    parameters: { TaskId: { name: 'task_id', in: 'path', required: true, schema: { type: 'string' } } },
    examples: { Basic: { value: { prompt: 'a banana' } }, Done: { value: { id: 't1', status: 'done' } } },
    schemas: {
      Create: { type: 'object', required: ['prompt'], properties: { prompt: { type: 'string' } } },
      Task: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, status: { type: 'string' } } },
    },
    responses: {
      Task: {
        description: 'a task',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Task' }, examples: { done: { $ref: '#/components/examples/Done' } } } },
      },
    },
  },
}

describe('spec', () => {
  it('finds the repository and its specs', () => {
    expect(readdirSync(REPO_ROOT)).toContain('pnpm-workspace.yaml')
    expect(readdirSync(SPECS_DIR).some((f) => f.endsWith('.openapi.yaml'))).toBe(true)
  })

  it('loads every spec of the repository by id, with its x-provider-id and a file: $id', () => {
    const ids = readdirSync(SPECS_DIR)
      .filter((f) => f.endsWith('.openapi.yaml'))
      .map((f) => f.replace('.openapi.yaml', ''))
    expect(ids.length).toBeGreaterThan(0)
    for (const id of ids) {
      const spec = loadSpec(id)
      expect(spec.id).toBe(id)
      expect(spec.$id).toMatch(/^file:/)
      expect(loadSpec(id)).toBe(spec)
      expect(listOperations(spec).length).toBeGreaterThan(0)
    }
  })

  it('re-reads a file with cache: false', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'testkit-')), 'x.json')
    writeFileSync(path, JSON.stringify({ ...DOC, info: { title: 'one' } }))
    expect(loadSpec(path).doc.info.title).toBe('one')
    writeFileSync(path, JSON.stringify({ ...DOC, info: { title: 'two' } }))
    expect(loadSpec(path).doc.info.title).toBe('one')
    expect(loadSpec(path, { cache: false }).doc.info.title).toBe('two')
  })

  it('round-trips JSON pointers with ~ and / escaped', () => {
    const segments = ['paths', '/v1/a~b', 'get', 0]
    expect(toPointer(segments)).toBe('/paths/~1v1~1a~0b/get/0')
    expect(fromPointer(`#${toPointer(segments)}`)).toEqual(['paths', '/v1/a~b', 'get', '0'])
    expect(toFragment(['paths', '/v1/{id}'])).toBe('#/paths/~1v1~1%7Bid%7D')
    expect(fromPointer(toFragment(['paths', '/v1/{id}']))).toEqual(['paths', '/v1/{id}'])
  })

  it('follows $ref chains to the real node and location, and rejects cycles and external refs', () => {
    const { node, segments } = deref(DOC, { $ref: '#/components/responses/Task' })
    expect(node.description).toBe('a task')
    expect(segments).toEqual(['components', 'responses', 'Task'])
    const cyclic = { a: { $ref: '#/b' }, b: { $ref: '#/a' } }
    expect(() => deref(cyclic, cyclic.a)).toThrow(/cycle/)
    expect(() => deref(DOC, { $ref: 'other.yaml#/x' })).toThrow(/External/)
    expect(() => deref(DOC, { $ref: '#/nowhere' })).toThrow(/Unresolvable/)
  })

  it('lists operations with resolved parameters, bodies, responses and examples', () => {
    const spec = specFromDocument(DOC)
    expect(spec.$id).toBe('urn:nano-banana:spec:demo')
    const ops = listOperations(spec)
    expect(ops.map((o) => o.operationId).sort()).toEqual(['createTask', 'getTask'])
    const get = findOperation(spec, 'getTask')
    expect(get.parameters).toEqual([expect.objectContaining({ name: 'task_id', in: 'path', required: true, at: ['components', 'parameters', 'TaskId'] })])
    expect(get.responses[0]?.at).toEqual(['components', 'responses', 'Task'])
    expect(get.responses[0]?.contents[0]?.schemaAt).toEqual(['components', 'responses', 'Task', 'content', 'application/json', 'schema'])
    expect(responseExamples(spec, 'getTask').map((e) => [e.status, e.name, e.value])).toEqual([
      [200, 'done', { id: 't1', status: 'done' }],
      [404, 'gone', { error: 'gone' }],
    ])
    expect(requestExamples(spec, 'createTask')).toEqual({ basic: { prompt: 'a banana' } })
    expect(() => findOperation(spec, 'nope')).toThrow(/demo: no operation nope/)
  })

  it('fills server variables from their defaults or the caller', () => {
    expect(serverUrl(DOC)).toBe('https://eu.example.test/api')
    expect(serverUrl(DOC, { region: 'us' })).toBe('https://us.example.test/api')
    expect(serverUrl({ paths: {} })).toBeUndefined()
  })

  it('matches path templates and captures their parameters', () => {
    const pattern = pathPattern('/v1/tasks/{task_id}')
    expect('/v1/tasks/abc?x=1'.match(pattern)?.[1]).toBe('abc')
    expect(pattern.test('/v1/tasks/abc/more')).toBe(false)
  })
})

