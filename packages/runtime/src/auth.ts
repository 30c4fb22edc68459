import type { Auth, AuthProvider, AuthToken } from './types.js'

/**
 * Writes the credential where the operation's `security` entry says (header or query). Synchronous unless
 * the auth function returns a promise: every call pays for an await otherwise.
 */
export function applyAuth(
  security: ReadonlyArray<Auth>,
  provider: AuthProvider,
  headers: Record<string, string>,
  query: Record<string, unknown>,
  from = 0,
): void | Promise<void> {
  for (let i = from; i < security.length; i++) {
    const auth = security[i]!
    const token = typeof provider === 'function' ? provider(auth) : provider
    if (token instanceof Promise) {
      return token.then((resolved) => {
        if (!place(auth, resolved, headers, query)) return applyAuth(security, provider, headers, query, i + 1)
      })
    }
    // One satisfied scheme is enough (OpenAPI security alternatives are OR-ed).
    if (place(auth, token, headers, query)) return
  }
}

function place(auth: Auth, token: AuthToken, headers: Record<string, string>, query: Record<string, unknown>): boolean {
  if (!token) return false
  const value = auth.scheme === 'bearer' ? `Bearer ${token}` : auth.scheme === 'basic' ? `Basic ${btoa(token)}` : token
  const name = auth.name ?? 'Authorization'
  if (auth.in === 'query') query[name] = value
  else headers[name.toLowerCase()] = value
  return true
}
