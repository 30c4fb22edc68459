// Node only (`@nano-banana/sdk/node`): a fetch that will not connect to a private address. Result URLs and
// the reference images the SDK reads come from untrusted answers; `unsafeResultUrl` judges their names, and
// a public-looking name may still resolve to 127.0.0.1, 10.x or 169.254.169.254 (cloud metadata). The check
// runs inside the connection's own DNS lookup (an undici connector with a `lookup`), so the address checked
// is the address connected to: a name that answers public to one lookup and private to the next (DNS
// rebinding) gains nothing. Browsers cannot resolve names and edge runtimes' fetch reaches only the public
// internet: they never load this module.
import dns from 'node:dns'
import { isIP, type LookupFunction } from 'node:net'
import type { Dispatcher, fetch as undiciFetchType } from 'undici'
import { NotSentError } from '../errors.js'
import { isNonPublicAddress } from '../ip-ranges.js'
import { isLoopbackUrl } from '../result-url.js'

/** One address a host name resolves to (what `dns.lookup` gives with `all: true`). */
export interface ResolvedAddress {
  address: string
  family: number
}

/** Every address of a host name. The default is the system resolver (`dns.lookup`, all addresses). */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>

export interface GuardedFetchOptions {
  /**
   * The client's base URL, when it is not the provider's public API: its host is connected to whatever it
   * resolves to (you configured it), and loopback addresses are allowed when it is loopback (the sandbox,
   * a local proxy), as they are for result URLs.
   */
  baseUrl?: string
  /** Connect to loopback addresses (127.0.0.0/8, ::1); private and reserved ones stay refused. */
  allowLoopback?: boolean
  /** Host names (or IP literals) connected to whatever they resolve to: an internal CDN. `*` turns the guard off. */
  allowHosts?: readonly string[]
  /** Resolves host names; default the system resolver. A test seam, and the place for a resolver of your own. */
  resolve?: HostResolver
}

const bare = (host: string) =>
  host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')

/** The URL parser's form of an IP literal (IPv6 compressed, lower case, an IPv4 tail in hex), or undefined. */
function canonicalIp(address: string): string | undefined {
  const host = bare(address)
  const family = isIP(host)
  if (family === 0) return undefined
  return family === 4 ? host : bare(new URL(`http://[${host}]/`).hostname)
}

/** The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`) or IPv4-compatible (`::a.b.c.d`) IPv6 one. */
function embeddedIpv4(v6: string): string | undefined {
  const match = /^::(?:ffff:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6)
  if (!match) return undefined
  const [high, low] = [Number.parseInt(match[1]!, 16), Number.parseInt(match[2]!, 16)]
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.')
}

/** Names for the refused ranges, for messages; which addresses are refused is ip-ranges.ts's table alone. */
const CLASSES: readonly [name: string, test: RegExp][] = [
  ['loopback', /^(127\.|::1$)/],
  ['link-local (cloud metadata)', /^169\.254\./],
  ['link-local', /^fe[89ab][0-9a-f]:/],
  ['private', /^(10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.|f[cd][0-9a-f]{2}:)/],
  ['carrier-grade NAT', /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./],
  ['unspecified', /^(0\.|::$)/],
  ['multicast', /^(2(2[4-9]|3\d)\.|ff[0-9a-f]{2}:)/],
]

/**
 * Why the guard will not connect to `address`, as the name of its range (`loopback`, `private`,
 * `link-local (cloud metadata)`, `reserved`...), or undefined for a public unicast address. An IPv4 address
 * inside an IPv6 one is judged by its IPv4 range.
 */
export function refusedAddress(address: string, policy: Pick<GuardedFetchOptions, 'allowLoopback'> = {}): string | undefined {
  const ip = canonicalIp(address)
  if (ip === undefined) return 'not an IP address'
  if (!isNonPublicAddress(ip)) return undefined
  const inner = ip.includes(':') ? embeddedIpv4(ip) : undefined
  const judged = inner ?? ip
  const name = CLASSES.find(([, test]) => test.test(judged))?.[0] ?? 'reserved'
  if (name === 'loopback' && policy.allowLoopback) return undefined
  return inner ? `${name}, IPv4 ${inner} in IPv6` : name
}

/** A connection the guard would not open; nothing was sent. Download turns it into its `unsafe_url` refusal. */
function refusal(host: string, address: string, range: string): NotSentError {
  const shown = host === address ? host : `${host} (resolves to ${address})`
  return new NotSentError(`refused to connect to ${shown}: not a public address (${range}); allow the host explicitly if it is yours`, { code: 'unsafe_url' })
}

const systemResolver: HostResolver = (hostname) =>
  new Promise((resolve, reject) => {
    // Looked up on the module object at call time, like net does, so a resolver patched onto `dns` is used.
    dns.lookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)))
  })

const familyOf = (family: unknown): 0 | 4 | 6 => (family === 4 || family === 'IPv4' ? 4 : family === 6 || family === 'IPv6' ? 6 : 0)

/** The error a lookup that found nothing gives in Node, so that callers classify it as "not sent". */
function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname, syscall: 'getaddrinfo' })
}

/**
 * A fetch that connects only to public addresses: every address a host name resolves to is checked in the
 * connection's own lookup (and an IP literal before connecting), so a refused address never receives a byte.
 * A refusal rejects with a NotSentError (`code: 'unsafe_url'`) naming the host and the range; `download()`
 * reports it as its ResponseFormatError `unsafe_url`. Redirects are connections too: each is checked.
 *
 * ```ts
 * import { createNanoBanana } from '@nano-banana/sdk'
 * import { createGuardedFetch } from '@nano-banana/sdk/node'
 * const nb = createNanoBanana({ provider, apiKey, fetch: createGuardedFetch() })
 * ```
 */
export function createGuardedFetch(options: GuardedFetchOptions = {}): typeof fetch {
  return guardedFetch(options, defaultSend())
}

/**
 * What sends a guarded request: Node's own fetch with the guard's dispatcher, or the fetch of the undici copy
 * that built the dispatcher. Node's fetch takes a dispatcher of another undici copy up to its bundled undici 7
 * (Node 20-24); undici 8 (Node 26) refuses one built by undici 6 (`invalid onRequestStart method`), so there
 * undici's own fetch sends. Node's fetch is preferred where it works: its Response is the global class.
 */
export type GuardedSend = 'node' | 'undici'

const defaultSend = (): GuardedSend => (Number(process.versions.undici?.split('.')[0] ?? 0) >= 8 ? 'undici' : 'node')

/** `createGuardedFetch` with the sender chosen (a test seam: both are tested on every Node). */
export function guardedFetch(options: GuardedFetchOptions, send: GuardedSend): typeof fetch {
  const baseHost = options.baseUrl ? bare(new URL(options.baseUrl).hostname) : undefined
  const allowLoopback = options.allowLoopback ?? isLoopbackUrl(options.baseUrl)
  const allowed = new Set([...(options.allowHosts ?? []).map(bare), ...(baseHost ? [baseHost] : [])])
  const trusted = (host: string) => allowed.has('*') || allowed.has(host)
  const resolveHost = options.resolve ?? systemResolver

  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    const host = bare(hostname)
    const family = familyOf(lookupOptions.family)
    resolveHost(host)
      .then((answer) => {
        // Every address is checked, not only the one connected to: Happy Eyeballs may try any of them.
        if (!trusted(host)) {
          for (const { address } of answer) {
            const range = refusedAddress(address, { allowLoopback })
            if (range) throw refusal(host, address, range)
          }
        }
        const usable = answer.filter((a) => family === 0 || a.family === family).map((a) => ({ address: a.address, family: a.family }))
        if (usable.length === 0) throw notFound(host)
        return usable
      })
      .then(
        (usable) => (lookupOptions.all ? callback(null, usable) : callback(null, usable[0]!.address, usable[0]!.family)),
        (error: NodeJS.ErrnoException) => callback(error, '', 0),
      )
  }

  // Loaded on the first request: importing undici takes over 100 ms, which users of the node entry's other helpers need not pay.
  let agent: Promise<{ dispatcher: Dispatcher; undiciFetch: typeof undiciFetchType }> | undefined
  const load = () =>
    (agent ??= import('undici').then(({ Agent, buildConnector, fetch: undiciFetch }) => {
      const connector = buildConnector({ lookup })
      const dispatcher = new Agent({
        connect(connectOptions, callback) {
          // Node connects to an IP literal without a lookup: judged here instead.
          const host = bare(connectOptions.hostname)
          const range = isIP(host) && !trusted(host) ? refusedAddress(host, { allowLoopback }) : undefined
          if (range) {
            queueMicrotask(() => callback(refusal(host, host, range), null))
            return
          }
          return connector(connectOptions, callback)
        },
      })
      return { dispatcher, undiciFetch }
    }))

  return async (input, init) => {
    try {
      // No fetch of the caller's is taken: one that ignored the dispatcher would skip the check.
      const { dispatcher, undiciFetch } = await load()
      if (send === 'undici')
        return (await undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...init, dispatcher } as Parameters<typeof undiciFetch>[1])) as unknown as Response
      return await globalThis.fetch(input, { ...init, dispatcher } as RequestInit)
    } catch (error) {
      // fetch wraps a connection failure in `TypeError: fetch failed`; the refusal is more useful than that.
      throw refusalIn(error) ?? error
    }
  }
}

function refusalIn(error: unknown): NotSentError | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof NotSentError && e.code === 'unsafe_url') return e
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}
