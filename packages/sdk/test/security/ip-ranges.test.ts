// The shipped IP range check (src/ip-ranges.ts) against ipaddr.js, which the client used to ship: for every
// host the URL parser can produce from an IP literal, both must refuse the same addresses.
import fc from 'fast-check'
import ipaddr from 'ipaddr.js'
import { describe, expect, it } from 'vitest'
import { isNonPublicAddress } from '../../src/ip-ranges.js'

// The ranges ipaddr.js calls unicast that the client refuses as well (see src/ip-ranges.ts).
const ALSO_REFUSED = ['::/96', 'fec0::/10', '64:ff9b:1::/48'].map((cidr) => ipaddr.parseCIDR(cidr))

/** The former check, on ipaddr.js. */
function oracle(host: string): boolean {
  const literal = host.replace(/^\[|\]$/g, '')
  if (!ipaddr.isValid(literal)) return false
  const address = ipaddr.parse(literal)
  if (address.range() !== 'unicast') return true
  return address.kind() === 'ipv6' && ALSO_REFUSED.some(([range, bits]) => (address as ipaddr.IPv6).match(range as ipaddr.IPv6, bits))
}

/** The host as the client sees it: through the URL parser. */
const hostOf = (literal: string) => new URL(`https://${literal}/`).hostname

/** Every special range's network address, its last address, and their neighbours just outside. */
function boundaries(): string[] {
  const out: string[] = []
  const ranges = [
    ...Object.values(
      (ipaddr.IPv4.prototype as unknown as { SpecialRanges: Record<string, [ipaddr.IPv4, number][]> }).SpecialRanges as Record<string, [ipaddr.IPv4, number][]>,
    ).flat(),
    ...Object.values(
      (ipaddr.IPv6.prototype as unknown as { SpecialRanges: Record<string, unknown> }).SpecialRanges as Record<
        string,
        [ipaddr.IPv6, number] | [ipaddr.IPv6, number][]
      >,
    ).flatMap((r) => (Array.isArray(r[0]) ? (r as [ipaddr.IPv6, number][]) : [r as [ipaddr.IPv6, number]])),
    ...ALSO_REFUSED,
  ]
  for (const [network, bits] of ranges) {
    const bytes = network.toByteArray()
    const total = bytes.length * 8
    const asBig = bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n)
    const size = 1n << BigInt(total - bits)
    for (const value of [asBig - 1n, asBig, asBig + size - 1n, asBig + size]) {
      if (value < 0n || value >= 1n << BigInt(total)) continue
      const back = Array.from({ length: bytes.length }, (_, i) => Number((value >> BigInt((bytes.length - 1 - i) * 8)) & 0xffn))
      const address = ipaddr.fromByteArray(back)
      out.push(address.kind() === 'ipv6' ? `[${address.toString()}]` : address.toString())
    }
  }
  return out
}

describe('isNonPublicAddress agrees with ipaddr.js', () => {
  it('at the edges of every range', () => {
    const hosts = boundaries().map(hostOf)
    expect(hosts.length).toBeGreaterThan(100)
    for (const host of hosts) expect([host, isNonPublicAddress(host)]).toEqual([host, oracle(host)])
  })

  it('on random IPv4 addresses in every spelling the URL parser normalizes', () => {
    const spellings = (b: number[]) => [
      b.join('.'),
      String(((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!),
      `0x${b.map((x) => x.toString(16).padStart(2, '0')).join('')}`,
      b.map((x) => `0${x.toString(8)}`).join('.'),
      `[::ffff:${b.join('.')}]`,
    ]
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), (b) => {
        for (const host of spellings(b).map(hostOf)) expect([host, isNonPublicAddress(host)]).toEqual([host, oracle(host)])
      }),
      { numRuns: 1000 },
    )
    // CPU-bound: on a loaded machine it outlasted vitest's default 5 s.
  }, 60_000)

  it('on random IPv6 addresses, biased to the special prefixes', () => {
    const prefixes = [0x0000, 0x0064, 0x0100, 0x2001, 0x2002, 0x2620, 0x2606, 0xfc00, 0xfd12, 0xfe80, 0xfec0, 0xff02, 0xffff]
    const group = fc.integer({ min: 0, max: 0xffff })
    const groups = fc.tuple(
      fc.oneof(fc.constantFrom(...prefixes), group),
      fc.oneof(fc.constantFrom(0, 0x2, 0x3, 0x4, 0x10, 0x20, 0x30, 0xdb8, 0x4f, 0xff9b), group),
      ...Array.from({ length: 6 }, () => fc.oneof(fc.constant(0), fc.constant(0xffff), group)),
    )
    fc.assert(
      fc.property(groups, (g) => {
        const host = hostOf(`[${g.map((x) => x.toString(16)).join(':')}]`)
        expect([host, isNonPublicAddress(host)]).toEqual([host, oracle(host)])
      }),
      { numRuns: 3000 },
    )
  }, 60_000)

  it('names are not addresses', () => {
    for (const host of ['example.com', 'localhost', 'a.b.c.d', '1.2.3.4.example', 'fe80.example']) expect(isNonPublicAddress(host)).toBe(false)
  })
})
