// `--allow-result-host`: hosts result images may be downloaded from although they are private or internal
// (the SDK's `allowResultHosts`). Widening what the CLI fetches deserves strict input: a bare host name or
// IP literal exactly as a URL would spell it (no scheme, port, path or user), or `*` for every host.
import { InputError } from './exit.js'

const FLAG = '--allow-result-host'
/** Dot-separated labels of letters, digits and hyphens (no wildcard: the SDK matches hosts exactly), or a bracketed IPv6 literal. */
const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/

/** One flag value, lowercased; InputError (exit 2) for anything that is not exactly a host. */
export function resultHost(value: string): string {
  if (value === '*') return value
  const host = value.toLowerCase()
  let parsed: URL | undefined
  try {
    parsed = new URL(`http://${host}/`)
  } catch {
    parsed = undefined
  }
  // The URL parser's own spelling must be the value itself: `a:80`, `a/b`, `u@a`, `010.1.1.1` (octal) or a
  // non-ASCII name (punycoded) come out different, and a bare IPv6 address does not parse at all.
  if (!parsed || parsed.hostname !== host || parsed.host !== host || !HOST.test(host)) {
    throw new InputError(`${FLAG} needs a host name or IP literal (e.g. cdn.internal, 10.0.0.5, [fd00::1]) or *, got "${value}"`)
  }
  return host
}

/** Every value of the repeatable flag, checked; undefined when the flag is absent. */
export function resultHosts(values: readonly string[] | undefined): string[] | undefined {
  return values?.length ? values.map(resultHost) : undefined
}
