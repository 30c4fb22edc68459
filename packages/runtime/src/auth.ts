import type { Auth, AuthProvider } from './types.js'

/** Writes the credential where the operation's `security` entry says (header or query). */
export async function applyAuth(
  security: ReadonlyArray<Auth>,
  provider: AuthProvider,
  headers: Record<string, string>,
  query: Record<string, unknown>,
): Promise<void> {
  for (const auth of security) {
    const token = typeof provider === 'function' ? await provider(auth) : provider
    if (!token) continue
    const value = auth.scheme === 'bearer' ? `Bearer ${token}` : auth.scheme === 'basic' ? `Basic ${btoa(token)}` : token
    const name = auth.name ?? 'Authorization'
    if (auth.in === 'query') query[name] = value
    else headers[name.toLowerCase()] = value
    // One satisfied scheme is enough (OpenAPI security alternatives are OR-ed).
    return
  }
}
