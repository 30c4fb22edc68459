// Item 9: the key (and custom header values) never print: not through `console.error(err)`,
// `util.inspect(err, { depth: Infinity })` or `JSON.stringify(err)`, whatever the depth of the cause
// chain, Headers and Response objects in it included; nor through a result's `raw` or image URLs.
import { Console } from 'node:console'
import { Writable } from 'node:stream'
import { inspect } from 'node:util'
import { Headers as UndiciHeaders, Response as UndiciResponse } from 'undici'
import { describe, expect, it } from 'vitest'
import { AmbiguousSubmitError, NanoBananaError, providers, redactSecrets } from '../../src/index.js'
import { FIXTURES, metaOf, responseExamples } from '../support.js'
import { client, createdAnswer, PROVIDERS, SECRET, server, succeededAnswer, thrown } from './core-support.js'

const ORG_TOKEN = 'org-token-Hk29Wq7xPz'

/** What `console.error(value)` prints. */
function consoleText(value: unknown): string {
  let text = ''
  const sink = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk)
      done()
    },
  })
  new Console({ stdout: sink, stderr: sink }).error(value)
  return text
}

/** Every way an app prints an error or a result. */
const renderings = (value: unknown) => [
  consoleText(value),
  inspect(value, { depth: Infinity }),
  inspect(value, { depth: Infinity, getters: true }),
  JSON.stringify(value) ?? '',
]

function expectClean(value: unknown, ...secrets: string[]) {
  for (const text of renderings(value)) for (const secret of secrets) expect(text).not.toContain(secret)
}

/** The key the request carried, whatever header the provider's spec puts it in. */
const keyOf = (headers: Record<string, string | string[] | undefined>) =>
  Object.values(headers)
    .flat()
    .find((v) => v?.includes(SECRET)) ?? ''

describe('a provider that echoes the key', () => {
  it.each(PROVIDERS)('%s: an unreadable 2xx whose headers echo the key and the custom header', async (provider) => {
    const api = await server((request) => ({
      status: 200,
      headers: { 'content-type': 'text/html', 'x-echo-key': keyOf(request.headers), 'x-echo-org': ORG_TOKEN },
      body: `<html>accepted for ${keyOf(request.headers)} / ${ORG_TOKEN}</html>`,
    }))
    const error = await thrown<NanoBananaError>(() => client(provider, api.url, { headers: { 'x-org-token': ORG_TOKEN } }).submit({ prompt: 'a banana' }))
    expect(error).toBeInstanceOf(AmbiguousSubmitError)
    expect(api.requests).toHaveLength(1)
    expectClean(error, SECRET, ORG_TOKEN)
  })

  it.each(PROVIDERS)('%s: a result whose raw body and image URLs carry the key', async (provider) => {
    const created = createdAnswer(provider)
    const done = succeededAnswer(provider, created.taskId)
    const urls: string[] = FIXTURES[provider].urlsOf(done)
    // Where the output is read once the status says done (`getImageTaskResult`), that read follows the status read.
    const resultOp = metaOf(provider).operations.result
    const output = resultOp ? responseExamples(provider, resultOp.operationId).find((e) => e.status === 200)!.value : undefined
    const withKey = (body: unknown) => {
      let text = JSON.stringify(body)
      for (const url of urls) text = text.split(JSON.stringify(url)).join(JSON.stringify(`${url}?key=${SECRET}`))
      return text
    }
    let reads = 0
    const api = await server((request) =>
      request.method === 'POST' ? { body: created.body } : { body: withKey(output !== undefined && reads++ % 2 === 1 ? output : done) },
    )
    const result = await client(provider, api.url).generate({ prompt: 'a banana' })
    expect(result.images.length).toBeGreaterThan(0)
    expectClean({ raw: result.raw, urls: result.images.map((i) => i.url) }, SECRET)
    expectClean(result, SECRET)
  })
})

describe('redactSecrets', () => {
  const nested = (depth: number, leaf: unknown) => {
    let error: unknown = leaf
    for (let i = 0; i < depth; i++) error = new Error(`level ${i}`, { cause: error })
    return new NanoBananaError('top', { cause: error })
  }
  it.each([
    ['a cause chain 50 errors deep', () => nested(50, new Error(`deep ${SECRET}`))],
    ['Headers in a cause', () => nested(3, { response: { headers: new Headers({ 'x-api-key': SECRET }) } })],
    ['a Response in a cause', () => nested(2, Object.assign(new Error('parse'), { response: new Response('x', { headers: { 'x-echo': SECRET } }) }))],
    // A custom fetch (undici's own: the Node guard on Node 26; node-fetch) answers with classes of its own copy.
    ['Headers of another fetch copy', () => nested(2, { response: { headers: new UndiciHeaders({ 'x-api-key': SECRET }) } })],
    [
      'a Response of another fetch copy',
      () => nested(2, Object.assign(new Error('parse'), { response: new UndiciResponse('x', { headers: { 'x-echo': SECRET } }) })),
    ],
    ['a Request in a cause', () => nested(1, { request: new Request(`https://api.example/v1?key=${SECRET}`, { headers: { authorization: `Bearer ${SECRET}` } }) })],
    ['an AggregateError of causes', () => nested(1, new AggregateError([new Error(`one ${SECRET}`), { body: [SECRET] }], 'many'))],
    ['a URL object', () => nested(1, { url: new URL(`https://cdn.example/x.png?k=${SECRET}`) })],
    ['a key as an object key', () => new NanoBananaError('x', { body: { [SECRET]: true } })],
    ['a body nested 500 levels deep', () => new NanoBananaError('x', { body: JSON.parse(`${'['.repeat(500)}"${SECRET}"${']'.repeat(500)}`) })],
    [
      'a cyclic cause',
      () => {
        const a = new Error(`a ${SECRET}`) as Error & { cause?: unknown }
        const b = new Error('b', { cause: a })
        a.cause = b
        return new NanoBananaError('x', { cause: b })
      },
    ],
  ])('%s', (_, make) => {
    const error = redactSecrets(make(), [SECRET])
    expectClean(error, SECRET)
  })
})

describe('redactResult (the copy-on-write walk of results)', () => {
  const secret = 'sk-live-0123456789'
  it('gives back the same object when nothing holds a secret', async () => {
    const { redactResult } = await import('../../src/errors.js')
    const value = { taskId: 't', raw: { data: [{ url: 'https://cdn.example/a.png' }, 'x'], n: 1 }, warnings: [] }
    expect(redactResult(value, [secret])).toBe(value)
  })

  it('copies only what holds a secret, at any position and in keys, and leaves the input untouched', async () => {
    const { redactResult } = await import('../../src/errors.js')
    const clean = { url: 'https://cdn.example/a.png' }
    const value = { a: 1, b: clean, raw: { list: ['ok', 'ok', `echo ${secret}`], [`k-${secret}`]: 2, tail: 'kept' } }
    const before = JSON.stringify(value)
    const out = redactResult(value, [secret])
    expect(JSON.stringify(out)).not.toContain(secret)
    expect(out).toEqual({ a: 1, b: clean, raw: { list: ['ok', 'ok', 'echo [redacted]'], 'k-[redacted]': 2, tail: 'kept' } })
    expect(Object.keys(out.raw)).toEqual(['list', 'k-[redacted]', 'tail'])
    expect(out.b).toBe(clean)
    expect(JSON.stringify(value)).toBe(before)
  })

  // The clean-data proof must say "clean" only where the scrub would change nothing.
  it('scrubs what the clean-data proof cannot vouch for: an Error inside, a nesting deeper than the cap, a cycle, a secret in a late key', async () => {
    const { redactResult } = await import('../../src/errors.js')
    const error = new Error(`refused ${secret}`)
    const withError = { raw: { cause: error } }
    expect(redactResult(withError, [secret]).raw.cause.message).toBe('refused [redacted]')

    let deep: Record<string, unknown> = { leaf: 'clean' }
    for (let i = 0; i < 250; i++) deep = { next: deep }
    expect(JSON.stringify(redactResult(deep, [secret]))).toContain('[redacted: nested too deeply]')

    const cyclic: Record<string, unknown> = { list: [1, 2], text: `a ${secret}` }
    cyclic.self = cyclic
    expect((redactResult(cyclic, [secret]) as { text: string }).text).toBe('a [redacted]')
    const cleanCycle: Record<string, unknown> = { ok: 'yes' }
    cleanCycle.self = cleanCycle
    expect(redactResult(cleanCycle, [secret])).toBe(cleanCycle)

    const late = { a: 'x', b: [{ c: 'y' }, { d: ['z', { [`e${secret}`]: 1 }] }] }
    expect(JSON.stringify(redactResult(late, [secret]))).not.toContain(secret)
    // Two secrets: the second one is found too.
    expect(redactResult({ a: ['x', 'other-secret-42'] }, [secret, 'other-secret-42'])).toEqual({ a: ['x', '[redacted]'] })
  })
})
