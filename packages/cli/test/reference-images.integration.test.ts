// `generate --image` end to end with task providers (each run waits for the provider's first poll): a local
// file's bytes reach the providers that take them, and an http(s) URL reaches a URL-only provider unchanged.
import { providerIds, providers, takesImageData } from '@nano-banana/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { proxiedSandbox, sentAsBytes, type Proxied } from './reference-support.js'

const taskByteTakers = providerIds.filter((id) => takesImageData(providers[id]) && !providers[id].synchronous)
const urlOnly = providerIds.filter((id) => !takesImageData(providers[id]))

let env: Proxied
beforeAll(async () => {
  env = await proxiedSandbox()
})
afterAll(() => env?.close())

describe.each(taskByteTakers)('%s takes bytes', (provider) => {
  it('a local file is sent as its bytes (a data: URL of its sniffed type) and the task succeeds', async () => {
    await sentAsBytes(env, provider, taskByteTakers.indexOf(provider) + 200)
  })
})

it(`${urlOnly[0]}: an http URL is sent as it was given and the task succeeds`, async () => {
  const url = `${env.images.url}/ref.png?sig=abc`
  const before = env.proxy.requests.length
  const r = await env.generate(urlOnly[0]!, url)
  expect(r.code, r.stderr).toBe(0)
  const sent = env.creates(before, urlOnly[0]!)
  expect(sent).toHaveLength(1)
  expect(JSON.stringify(sent[0]!.body)).toContain(JSON.stringify(url).slice(1, -1))
})
