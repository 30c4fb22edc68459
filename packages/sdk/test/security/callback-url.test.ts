// Item 12: a callback URL must name a public host (every non-public IP range is refused, however it is
// spelled), and `providerOptions` cannot replace what the unified request validated and maps.
import { describe, expect, it } from 'vitest'
import { InvalidRequestError, providers, validateRequest, type NanoBananaError } from '../../src/index.js'
import { client, createdAnswer, PROVIDERS, server, thrown } from './core-support.js'

const CALLBACK_PROVIDERS = PROVIDERS.filter((p) => providers[p].supportsCallback !== false)

const REFUSED_HOSTS = [
  ['IPv4-mapped IPv6 (loopback)', '[::ffff:127.0.0.1]'],
  ['IPv4-mapped IPv6 (metadata)', '[::ffff:169.254.169.254]'],
  ['IPv4-mapped IPv6 of a public address', '[::ffff:8.8.8.8]'],
  ['IPv4-compatible IPv6', '[::127.0.0.1]'],
  ['IPv4-compatible IPv6 (hex)', '[::a00:1]'],
  ['6to4 of a private address', '[2002:c0a8:1::1]'],
  ['6to4 of loopback', '[2002:7f00:1::]'],
  ['NAT64 (64:ff9b::/96)', '[64:ff9b::a9fe:a9fe]'],
  ['local-use NAT64 (64:ff9b:1::/48)', '[64:ff9b:1::a00:1]'],
  ['Teredo', '[2001:0:4136:e378:8000:63bf:3fff:fdd2]'],
  ['IPv6 multicast', '[ff02::1]'],
  ['IPv4 multicast', '224.0.0.251'],
  ['broadcast', '255.255.255.255'],
  ['benchmarking 198.18/15', '198.18.0.1'],
  ['benchmarking 198.19', '198.19.255.1'],
  ['site-local fec0::/10', '[fec0::1]'],
  ['documentation 203.0.113/24', '203.0.113.7'],
  ['reserved 240/4', '240.0.0.1'],
  ['unique local', '[fd00::1]'],
  ['CGNAT', '100.100.0.1'],
  ['this network', '0.1.2.3'],
] as const

describe('callbackUrl host', () => {
  const rows = CALLBACK_PROVIDERS.flatMap((provider) => REFUSED_HOSTS.map(([what, host]) => [provider, what, host] as const))
  it.each(rows)('%s: %s (%s): InvalidRequestError, nothing sent', async (provider, _, host) => {
    const api = await server(() => ({ body: createdAnswer(provider).body }))
    const error = await thrown<NanoBananaError>(() => client(provider, api.url).submit({ prompt: 'a banana', callbackUrl: `https://${host}/hook` }))
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error.param).toBe('callbackUrl')
    expect(api.requests).toHaveLength(0)
  })

  it.each(['https://hooks.example.com/nb', 'https://8.8.8.8/hook', 'https://[2606:4700:4700::1111]/hook', 'https://172.32.0.1/hook'])('public: %s passes', (url) => {
    for (const provider of CALLBACK_PROVIDERS) expect(() => validateRequest(providers[provider], { prompt: 'p', callbackUrl: url })).not.toThrow()
  })
})

/** For each provider: the keys providerOptions would replace in the object they are merged into (the prompt's). */
function mappedKeys(provider: (typeof PROVIDERS)[number]): [string, string][] {
  const model = providers[provider].models[providers[provider].defaultModel]!
  const fields = model.fields ?? {}
  const holder = (fields.prompt ?? 'prompt').split('.').slice(0, -1)
  const keys = new Map<string, string>()
  if (holder.length === 0) keys.set('model', 'model')
  for (const [option, path] of Object.entries(fields)) {
    const parts = path.split('.')
    if (parts.length > holder.length && holder.every((k, i) => parts[i] === k)) keys.set(parts[holder.length]!, option)
  }
  return [...keys]
}

describe('providerOptions cannot override validated fields', () => {
  const rows = PROVIDERS.flatMap((provider) => mappedKeys(provider).map(([key, option]) => [provider, key, option] as const))
  const hostile: Record<string, unknown> = {
    prompt: 'p'.repeat(50_000),
    model: 'some-other-model',
    callbackUrl: 'https://169.254.169.254/latest',
    images: ['javascript:alert(1)'],
  }
  it.each(rows)('%s: providerOptions.%s (the %s field): InvalidRequestError, nothing sent', async (provider, key, option) => {
    const api = await server(() => ({ body: createdAnswer(provider).body }))
    const value = hostile[option] ?? 'overridden'
    const error = await thrown<NanoBananaError>(() => client(provider, api.url).submit({ prompt: 'a banana', providerOptions: { [key]: value } }))
    expect(error).toBeInstanceOf(InvalidRequestError)
    expect(error.param).toBe(`providerOptions.${key}`)
    expect(api.requests).toHaveLength(0)
  })

  it.each(PROVIDERS)('%s: __proto__ is refused; an unmapped option is sent beside the validated ones', async (provider) => {
    const api = await server(() => ({ body: createdAnswer(provider).body }))
    const nb = client(provider, api.url)
    const polluted = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>
    const error = await thrown<NanoBananaError>(() => nb.submit({ prompt: 'a banana', providerOptions: polluted }))
    expect(error).toMatchObject({ name: 'InvalidRequestError', param: 'providerOptions.__proto__' })
    expect(api.requests).toHaveLength(0)
    await nb.submit({ prompt: 'a banana', providerOptions: { sec_core_extra: 7 } })
    expect(api.requests).toHaveLength(1)
    expect(api.requests[0]!.text).toContain('"sec_core_extra":7')
    expect(api.requests[0]!.text).toContain('a banana')
  })
})
