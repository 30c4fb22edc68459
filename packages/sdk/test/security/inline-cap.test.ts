// A synchronous provider's answer carries its images inline, and an answer is untrusted: one holding more
// images than were asked for keeps only as many as a result of URLs would (`n` times the per-task maximum,
// one per request where n is n requests), with a warning, like the URL results of task providers.
import { startTestServer, type TestServer } from '@nano-banana/testkit'
import { afterEach, describe, expect, it } from 'vitest'
import { createNanoBanana, providers } from '../../src/index.js'
import { decodeBase64 } from '../../src/inline-images.js'
import { sniffImageType } from '../../src/image-type.js'
import { metaOf, responseExamples, SYNC_FIXTURES, syncIds, type Json } from '../support.js'

let servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()))
  servers = []
})

/** True for a string that is a base64 image (the spec example's inline image), whoever's field holds it. */
const isInlineImage = (value: unknown) => typeof value === 'string' && value.length > 16 && sniffImageType(decodeBase64(value) ?? new Uint8Array()) !== undefined
const holdsImage = (value: unknown): boolean => isInlineImage(value) || (typeof value === 'object' && value !== null && Object.values(value).some(holdsImage))

/** The answer with the innermost array that holds the inline images repeated `times` times over. */
function multiplied(answer: Json, times: number): Json {
  const visit = (node: Json): boolean => {
    if (Array.isArray(node)) {
      if (node.some((item) => visit(item))) return true
      if (!node.some(holdsImage)) return false
      const copies = Array.from({ length: times }, () => structuredClone(node)).flat()
      node.splice(0, node.length, ...copies)
      return true
    }
    return typeof node === 'object' && node !== null && Object.values(node).some((child) => visit(child))
  }
  const copy = structuredClone(answer)
  if (!visit(copy)) throw new Error('the success example holds no inline image')
  return copy
}

describe.each(syncIds)('%s: an answer with more inline images than asked for', (id) => {
  const adapter = providers[id]
  const fixture = SYNC_FIXTURES[id]!
  const success = responseExamples(id, metaOf(id).operations.create.operationId).find((e) => e.status === 200 && e.name === fixture.success)!.value
  const model = adapter.defaultModel
  const perTask = adapter.repeatForN ? 1 : Math.max(1, adapter.models[model]!.maxN)

  it.each([1, 2])('n=%i keeps n times the per-task maximum, with a warning naming the counts', async (n) => {
    const limit = n * perTask
    const times = limit * 3
    const api = await startTestServer({ handle: () => ({ body: multiplied(success, times) }) })
    servers.push(api)
    const nb = createNanoBanana({ provider: id, apiKey: 'sk-inline-cap-3f9a', baseUrl: api.url })
    const result = await nb.generate({ prompt: 'a banana', n })
    const requests = adapter.repeatForN ? n : 1
    expect(api.requests).toHaveLength(requests)
    const returned = requests * times * fixture.images
    expect(result.images).toHaveLength(limit)
    for (const image of result.images) expect(sniffImageType(image.data!)).toBeDefined()
    const warning = result.warnings.find((w) => w.message.includes(`returned ${returned} images`))
    expect(warning?.message).toContain(`at most ${limit}`)
  })

  it('an answer with no more than asked for is kept whole, without a warning', async () => {
    const api = await startTestServer({ handle: () => ({ body: structuredClone(success) }) })
    servers.push(api)
    const nb = createNanoBanana({ provider: id, apiKey: 'sk-inline-cap-3f9a', baseUrl: api.url })
    const result = await nb.generate({ prompt: 'a banana' })
    expect(result.images).toHaveLength(fixture.images)
    expect(result.warnings.filter((w) => /images where at most/.test(w.message))).toEqual([])
  })
})
