import { ResponseParseError } from './errors.js'

/** FormData for multipart operations: arrays become repeated fields, objects JSON. */
export const formDataBodySerializer = {
  bodySerializer(body: unknown): FormData {
    const data = new FormData()
    for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
      if (value === undefined || value === null) continue
      for (const item of Array.isArray(value) ? value : [value]) {
        data.append(key, typeof item === 'string' || item instanceof Blob ? item : JSON.stringify(item))
      }
    }
    return data
  },
}

export const jsonBodySerializer = {
  bodySerializer: (body: unknown): string => JSON.stringify(body),
}

/** Reads a body as JSON when it claims to be JSON or looks like it; empty bodies are undefined. */
export async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 205 || response.headers.get('content-length') === '0') return undefined
  const type = response.headers.get('content-type') ?? ''
  // The common case, a 2xx declared as JSON: `json()` is measurably cheaper than `text()` + parse.
  if (response.ok && type.includes('json')) {
    try {
      return (await response.json()) as unknown
    } catch (cause) {
      throw new ResponseParseError(response, '', { cause })
    }
  }
  const text = await response.text()
  if (text.length === 0) return undefined
  const looksJson = type.includes('json') || /^\s*[[{"]/.test(text)
  if (!looksJson) {
    // A 2xx that is not JSON is a broken answer; an error page (HTML from a proxy) is kept as text.
    if (response.ok) throw new ResponseParseError(response, text.slice(0, 500))
    return text
  }
  try {
    return JSON.parse(text) as unknown
  } catch (cause) {
    if (response.ok) throw new ResponseParseError(response, text.slice(0, 500), { cause })
    return text
  }
}
