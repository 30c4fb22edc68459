// Input guards: what a provider would refuse (or must never be asked) is rejected locally, with a typed
// error naming the field, before a single request is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '@nano-banana/sandbox'
import {
  InvalidRequestError,
  providers,
  takesImageData,
  UnsupportedOptionError,
  validateRequest,
  type GenerateRequest,
  type NanoBananaError,
  type ProviderId,
} from '../../src/index.js'
import { fastSandbox, NO_CALLBACK_PROVIDERS, PROVIDERS, sandboxClient } from './support.js'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await fastSandbox()
})
afterAll(() => sandbox.close())

/** Submits through a real client and returns the error; asserts nothing reached the sandbox. */
async function rejected(provider: ProviderId, request: Partial<GenerateRequest>, options: { allowInsecureCallbackUrl?: boolean } = {}): Promise<NanoBananaError> {
  const before = sandbox.requests.length
  const nb = sandboxClient(sandbox, provider, { allowInsecureCallbackUrl: options.allowInsecureCallbackUrl ?? false })
  const error = (await nb.submit({ prompt: 'a banana', ...request } as GenerateRequest).catch((e: unknown) => e)) as NanoBananaError
  expect(sandbox.requests.length, 'requests sent').toBe(before)
  return error
}

const models = PROVIDERS.flatMap((provider) => Object.values(providers[provider].models).map((model) => [`${provider} ${model.id}`, provider, model] as const))

describe('prompt length per provider and model', () => {
  it.each(models)('%s', async (_, provider, model) => {
    const error = await rejected(provider, { model: model.id, prompt: 'b'.repeat(model.maxPromptLength + 1) })
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error).toMatchObject({ param: 'prompt', provider })
    expect(error.message).toContain(String(model.maxPromptLength))
    // At the limit the request goes out, and the provider (its spec, in the sandbox) accepts it.
    const ok = await sandboxClient(sandbox, provider).submit({ model: model.id, prompt: 'b'.repeat(model.maxPromptLength) })
    expect(sandbox.tasks.get(provider, ok.taskId)).toBeDefined()
  })

  it.each(PROVIDERS)('%s: an empty or non-string prompt', async (provider) => {
    for (const prompt of ['', '   ', undefined, 42, null]) {
      const error = await rejected(provider, { prompt: prompt as string })
      expect(error).toBeInstanceOf(InvalidRequestError)
      expect(error.param).toBe('prompt')
    }
  })
})

describe('reference images: count and URL scheme', () => {
  it.each(models)('%s: more than maxImages', async (_, provider, model) => {
    const images = Array.from({ length: model.maxImages + 1 }, (__, i) => `https://cdn.example.com/${i}.png`)
    const error = await rejected(provider, { model: model.id, images })
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error).toMatchObject({ param: 'images', provider })
    expect(() => validateRequest(providers[provider], { prompt: 'p', model: model.id, images: images.slice(1) })).not.toThrow()
  })

  it.each(PROVIDERS)('%s: schemes other than http(s)', async (provider) => {
    for (const url of [
      'ftp://cdn.example.com/a.png',
      'file:///etc/passwd',
      // Image bytes only where the provider takes them (test/reference-bytes.test.ts).
      ...(takesImageData(providers[provider]) ? [] : ['data:image/png;base64,iVBORw0KGgo=']),
      'javascript:alert(1)',
      '/relative.png',
      'not a url',
      42,
    ]) {
      // A model that takes two reference images (a default model may take none).
      const model = Object.values(providers[provider].models).find((m) => m.maxImages >= 2)!.id
      const error = await rejected(provider, { model, images: ['https://cdn.example.com/ok.png', url as string] })
      expect(error, String(url)).toBeInstanceOf(InvalidRequestError)
      expect(error.param, String(url)).toBe('images[1]')
    }
    const notArray = await rejected(provider, { images: 'https://cdn.example.com/a.png' as unknown as string[] })
    expect(notArray.param).toBe('images')
  })
})

const PRIVATE = [
  'https://127.0.0.1/hook',
  'https://127.8.9.10/hook',
  'https://10.0.0.1/hook',
  'https://172.16.0.1/hook',
  'https://172.31.255.254/hook',
  'https://192.168.1.20:8443/hook',
  'https://169.254.169.254/latest/meta-data',
  'https://0.0.0.0/hook',
  'https://localhost/hook',
  'https://LOCALHOST./hook',
  'https://api.localhost/hook',
  'https://[::1]/hook',
  'https://[::]/hook',
  'https://[fe80::1]/hook',
  'https://[fd12:3456::1]/hook',
  'https://[::ffff:127.0.0.1]/hook',
  'https://[::ffff:192.168.0.1]/hook',
  // Numeric spellings the URL parser normalizes to 127.0.0.1.
  'https://2130706433/hook',
  'https://0x7f.0.0.1/hook',
  'https://127.1/hook',
]
const PUBLIC = [
  'https://hooks.example.com/nano-banana',
  'https://172.15.0.1/hook',
  'https://172.32.0.1/hook',
  'https://192.169.0.1/hook',
  'https://11.0.0.1/hook',
  'https://[2606:4700:4700::1111]/hook',
  'https://localhost.example.com/hook',
]

describe('callbackUrl', () => {
  const callbackProviders = PROVIDERS.filter((p) => providers[p].supportsCallback !== false)

  it.each(callbackProviders)('%s: must be https', async (provider) => {
    for (const url of ['http://hooks.example.com/nb', 'ftp://hooks.example.com/nb', 'wss://hooks.example.com/nb']) {
      const error = await rejected(provider, { callbackUrl: url })
      expect(error).toBeInstanceOf(InvalidRequestError)
      expect(error).toMatchObject({ param: 'callbackUrl', provider })
      expect(error.message).toMatch(/https/)
    }
  })

  it.each(callbackProviders)('%s: at most 2048 characters', async (provider) => {
    const base = 'https://hooks.example.com/'
    const error = await rejected(provider, { callbackUrl: base + 'a'.repeat(2049 - base.length) })
    expect(error).toMatchObject({ param: 'callbackUrl' })
    expect(error.message).toContain('2048')
    expect(() => validateRequest(providers[provider], { prompt: 'p', callbackUrl: base + 'a'.repeat(2048 - base.length) })).not.toThrow()
  })

  it.each(callbackProviders)('%s: not a loopback, private or link-local address', async (provider) => {
    for (const url of PRIVATE) {
      const error = await rejected(provider, { callbackUrl: url })
      expect(error, url).toBeInstanceOf(InvalidRequestError)
      expect(error.param, url).toBe('callbackUrl')
      expect(error.message, url).toMatch(/loopback or private/)
    }
    for (const url of PUBLIC) expect(() => validateRequest(providers[provider], { prompt: 'p', callbackUrl: url }), url).not.toThrow()
  })

  it('not a URL, or not a string', async () => {
    for (const value of ['hooks.example.com/nb', '', 42, { toString: () => 'https://hooks.example.com' }]) {
      const error = await rejected(PROVIDERS[0]!, { callbackUrl: value as string })
      expect(error, String(value)).toBeInstanceOf(InvalidRequestError)
      expect(error.param).toBe('callbackUrl')
    }
  })

  it('allowInsecureCallbackUrl admits http and loopback (development against the sandbox only)', () => {
    const provider = providers[callbackProviders[0]!]
    expect(() => validateRequest(provider, { prompt: 'p', callbackUrl: 'http://127.0.0.1:8080/hook' }, { allowInsecureCallbackUrl: true })).not.toThrow()
  })

  it.each(NO_CALLBACK_PROVIDERS)('%s documents no callback: refused as unsupported', async (provider) => {
    const error = await rejected(provider, { callbackUrl: 'https://hooks.example.com/nb' })
    expect(error).toBeInstanceOf(UnsupportedOptionError)
    expect(error.param).toBe('callbackUrl')
  })
})

describe('n within limits', () => {
  it.each(models)('%s', async (_, provider, model) => {
    for (const n of [0, -1, 1.5, Number.NaN, '2']) {
      const error = await rejected(provider, { model: model.id, n: n as number })
      expect(error, String(n)).toBeInstanceOf(InvalidRequestError)
      expect(error.param).toBe('n')
    }
    const over = await rejected(provider, { model: model.id, n: model.maxN + 1 })
    expect(over).toBeInstanceOf(UnsupportedOptionError)
    expect(over).toMatchObject({ param: 'n' })
    expect((over as UnsupportedOptionError).allowed).toEqual(Array.from({ length: model.maxN }, (__, i) => i + 1))
  })

  // The provider whose models take the most images per task.
  const most = PROVIDERS.map((p) => [p, Math.max(...Object.values(providers[p].models).map((m) => m.maxN))] as const).sort((a, b) => b[1] - a[1])[0]!

  it(`${most[0]} takes n up to its limit (${most[1]}) and returns that many images`, async () => {
    const [provider, maxN] = most
    const model = Object.values(providers[provider].models).find((m) => m.maxN === maxN)!
    const result = await sandboxClient(sandbox, provider).generate({ prompt: 'four', model: model.id, n: maxN })
    expect(result.images).toHaveLength(maxN)
  })
})

describe('model', () => {
  it.each(PROVIDERS)('%s: an unknown model (even an Object.prototype key) is refused with the list', async (provider) => {
    for (const model of ['no-such-model', 'toString', '__proto__', 'constructor']) {
      const error = await rejected(provider, { model })
      expect(error, model).toBeInstanceOf(UnsupportedOptionError)
      expect(error.param).toBe('model')
    }
  })
})
