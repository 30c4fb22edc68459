// Result URLs come from the provider's answer (or a callback body): untrusted. A download is a GET from
// the caller's machine, so a URL naming a cloud metadata service, a private network or the caller's own
// loopback would turn the SDK into a request forger (SSRF). Only http(s) to public hosts is fetched.
import type { ProviderAdapter } from './adapter.js'
import type { InlineImage, Task, Warning } from './types.js'
import { isPrivateHost } from './ip-ranges.js'

export interface ResultUrlPolicy {
  /** Loopback hosts are fetched: set when the client's own base URL is loopback (the sandbox, a local proxy). */
  allowLoopback?: boolean
  /** Host names (or IP literals) fetched even though they are private: an internal CDN, a test server. `*` allows every host. */
  allowHosts?: readonly string[]
  /** `data:` URLs are decoded instead of refused: only for providers that document inline images. */
  allowData?: boolean
}

/** Names that reach cloud metadata services or the local network by name rather than by address. */
/** A URL from untrusted text; undefined when it is not an absolute URL (never the parser's TypeError). Here, not in
 * parse.ts: download.ts imports this module lazily, and what it imports is wrapped for lazy evaluation in
 * a one-file bundle. */
export const urlOf = (text: string): URL | undefined => {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

const INTERNAL_NAMES = new Set(['metadata', 'metadata.google.internal', 'instance-data', 'localhost'])
const INTERNAL_SUFFIXES = ['.internal', '.local', '.localhost', '.localdomain', '.home.arpa']

const bare = (hostname: string) =>
  hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')

/** True for a loopback host: 127.0.0.0/8, `::1` (also IPv4-mapped), `localhost` and its subdomains. */
export function isLoopbackHost(hostname: string): boolean {
  const host = bare(hostname)
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true
  // ::ffff:127.x.y.z, which the URL parser writes as ::ffff:7fXX:XXXX.
  return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host)
}

/** True when `baseUrl` (the client's API host) is loopback. */
export function isLoopbackUrl(baseUrl: string | undefined): boolean {
  const url = baseUrl ? urlOf(baseUrl) : undefined
  return url !== undefined && isLoopbackHost(url.hostname)
}

/**
 * Why a result URL must not be fetched, or undefined when it may. DNS names are judged by name: the
 * addresses they resolve to are not checked (fetch offers no hook for that on every runtime), so a
 * public name pointing at a private address is fetched; see the README's Security section.
 */
export function unsafeResultUrl(url: string, policy: ResultUrlPolicy = {}): string | undefined {
  const parsed = urlOf(url)
  if (!parsed) return 'it is not an absolute URL'
  if (parsed.protocol === 'data:') return policy.allowData ? undefined : 'data: URLs are accepted only from providers that document inline images'
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `the scheme ${parsed.protocol} is not http(s)`
  const host = bare(parsed.hostname)
  const allowed = policy.allowHosts ?? []
  if (allowed.includes('*') || allowed.some((h) => bare(h) === host)) return undefined
  if (isLoopbackHost(host)) return policy.allowLoopback ? undefined : `${host} is a loopback host (allowed only when the client's baseUrl is loopback)`
  if (INTERNAL_NAMES.has(host) || INTERNAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) return `${host} is an internal host name`
  // `host` is bare (no brackets): isPrivateHost judges an IPv6 literal without them too.
  if (isPrivateHost(host)) return `${host} is a private, link-local or reserved address`
  // A single-label name resolves through the local search domain: an intranet host.
  if (!host.includes('.') && !host.includes(':')) return `${host} is a single-label (intranet) host name`
  return undefined
}

/** Schemes a result may list: fetched ones, and `data:` (inline images; download() refuses it unless the provider documents them). */
const LISTED_SCHEMES = new Set(['https:', 'http:', 'data:'])

/**
 * The result images a task may hand to the caller: a `javascript:`, `file:` or `ftp:` URL is dropped (a page
 * that shows results as links or images must never receive one), and no more images than were asked for
 * are kept (`n` times the model's per-task maximum, one where each request returns one image), URLs and inline images together (URLs first, as the
 * result lists them), each cut announced by a warning. A provider's answer is untrusted: one that carries
 * more images than asked for must not fill the caller's disk or memory with them.
 */
export function keptResultUrls(
  task: Task,
  adapter: Pick<ProviderAdapter, 'models' | 'repeatForN'>,
  model: string,
  n?: number,
): { urls: string[]; inlineImages: InlineImage[]; warnings: Warning[] } {
  const warnings: Warning[] = []
  const listed = task.urls.filter((url) => LISTED_SCHEMES.has(urlOf(url)?.protocol as string))
  if (listed.length < task.urls.length) {
    warnings.push({ type: 'other', message: `${task.urls.length - listed.length} result URL(s) dropped: not http(s) (e.g. javascript:, file:, ftp:)` })
  }
  const inline = task.inlineImages ?? []
  // `x-repeat-for-n`: each request returns one image, so `n` requests return `n`. Without `n` (a wait() told
  // nothing of the submission) as many as could have been asked for: never fewer than were paid for.
  const perTask =
    adapter.repeatForN && n !== undefined ? 1 : Math.max(1, adapter.models[model]?.maxN ?? Math.max(1, ...Object.values(adapter.models).map((m) => m.maxN)))
  const limit = Math.max(1, Math.floor(n ?? 1)) * perTask
  const total = listed.length + inline.length
  if (total > limit) {
    warnings.push({ type: 'other', message: `the provider returned ${total} images where at most ${limit} were asked for; the first ${limit} are kept` })
  }
  const urls = listed.slice(0, limit)
  return { urls, inlineImages: inline.slice(0, limit - urls.length), warnings }
}
