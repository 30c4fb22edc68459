// Which IP literals are not public unicast: what a callback URL or a result URL must never name. The
// hosts judged here come out of the WHATWG URL parser, which already writes every IPv4 form (`2130706433`,
// `0x7f.1`, `0177.0.0.1`) as dotted decimal and every IPv6 one in hex groups, so parsing stays small. The
// table is ipaddr.js's special ranges (every range it does not call unicast) plus three it still calls
// unicast; ipaddr.js itself checks this module in the tests (test/security/ip-ranges.test.ts), it is not
// shipped: it was the biggest module of a browser bundle.

type Range = readonly [bytes: readonly number[], bits: number]

/** The bytes of a dotted-decimal IPv4 address, or undefined. */
function ipv4(text: string): number[] | undefined {
  const parts = text.split('.')
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined
  return parts.map(Number)
}

/** The 16 bytes of an IPv6 address in hex groups (`::` and a dotted IPv4 tail allowed), or undefined. */
function ipv6(text: string): number[] | undefined {
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const groups = (half: string | undefined): number[] | undefined => {
    if (!half) return []
    const out: number[] = []
    const items = half.split(':')
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!
      const tail = i === items.length - 1 && item.includes('.') ? ipv4(item) : undefined
      if (tail) out.push((tail[0]! << 8) | tail[1]!, (tail[2]! << 8) | tail[3]!)
      else if (/^[0-9a-f]{1,4}$/i.test(item)) out.push(Number.parseInt(item, 16))
      else return undefined
    }
    return out
  }
  const head = groups(halves[0])
  const rest = groups(halves[1])
  if (!head || !rest) return undefined
  const missing = 8 - head.length - rest.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const words = [...head, ...Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...rest]
  return words.flatMap((word) => [word >> 8, word & 0xff])
}

const cidr =
  (parse: (text: string) => number[] | undefined) =>
  (text: string): Range => {
    const [address, bits] = text.split('/')
    return [parse(address!)!, Number(bits)]
  }

// A range that another one covers is left out (ipaddr.js's broadcast is in 240.0.0.0/4; its 2001::/23
// holds Teredo, benchmarking, AMT, AS112 and ORCHID; ::/96 holds :: and ::1): the same addresses, fewer bytes.
const IPV4_REFUSED = [
  '0.0.0.0/8', // this network
  '224.0.0.0/3', // multicast (224.0.0.0/4), reserved (240.0.0.0/4) and broadcast
  '169.254.0.0/16', // link-local (cloud metadata)
  '127.0.0.0/8', // loopback
  '100.64.0.0/10', // carrier-grade NAT
  '10.0.0.0/8', // private
  '172.16.0.0/12',
  '192.168.0.0/16',
  '192.0.0.0/24', // reserved, documentation, 6to4 relay, benchmarking
  '192.0.2.0/24',
  '192.88.99.0/24',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '192.175.48.0/24', // AS112
  '192.31.196.0/24',
  '192.52.193.0/24', // AMT
].map(cidr(ipv4))

const IPV6_REFUSED = [
  'fe80::/10', // link-local
  'ff00::/8', // multicast
  'fc00::/7', // unique local
  '::ffff:0:0/96', // IPv4-mapped
  '100::/64', // discard
  '::ffff:0:0:0/96', // IPv4-translated (RFC 6145)
  '64:ff9b::/96', // NAT64
  '2002::/16', // 6to4
  '2001::/23', // IETF protocol assignments: Teredo, benchmarking, AMT, AS112, ORCHID...
  '2620:4f:8000::/48', // AS112
  '2001:db8::/32', // documentation
  // What ipaddr.js still calls unicast but no provider may be sent to:
  '::/96', // IPv4-compatible (deprecated): ::a.b.c.d; also the unspecified :: and the loopback ::1
  'fec0::/10', // site-local (deprecated)
  '64:ff9b:1::/48', // local-use NAT64 (RFC 8215)
].map(cidr(ipv6))

function within(bytes: readonly number[], [prefix, bits]: Range): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    const take = Math.min(8, bits - i * 8)
    const mask = (0xff << (8 - take)) & 0xff
    if ((bytes[i]! & mask) !== (prefix[i]! & mask)) return false
  }
  return true
}

/** True for an IP literal (IPv6 with or without brackets) that is not public unicast; false for any other text (a name). */
export function isNonPublicAddress(host: string): boolean {
  const literal = host.replace(/^\[|\]$/g, '')
  const v4 = ipv4(literal)
  if (v4) return IPV4_REFUSED.some((range) => within(v4, range))
  const v6 = literal.includes(':') ? ipv6(literal) : undefined
  return v6 !== undefined && IPV6_REFUSED.some((range) => within(v6, range))
}

/**
 * A host a provider cannot (and must not) call back: any IP literal that is not public unicast,
 * `localhost` and its subdomains. The URL parser has already normalized numeric forms (`2130706433`,
 * `0x7f.1` -> `127.0.0.1`); a name is not resolved here (DNS answers change; the provider resolves it).
 * Here, not in validate.ts: result-url.ts (which download.ts imports) needs it too, and the request
 * validation must not become a dependency of the lazily imported download module.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '')
  return host === 'localhost' || host.endsWith('.localhost') || isNonPublicAddress(host)
}
