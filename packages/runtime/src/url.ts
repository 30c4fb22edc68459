import type { RequestOptions } from './types.js'

const PATH_PARAM = /\{([^}]+)\}/

/**
 * Path templates split once (`'/tasks/{id}'` -> `['/tasks/', 'id', '']`: literals at even indexes, parameter
 * names at odd ones), instead of a regex replace per call. Bounded: a URL may come from an answer.
 */
const templates = new Map<string, string[]>()
const MAX_TEMPLATES = 256

function partsOf(url: string): string[] {
  let parts = templates.get(url)
  if (parts === undefined) {
    parts = url.split(PATH_PARAM)
    if (templates.size < MAX_TEMPLATES) templates.set(url, parts)
  }
  return parts
}

/** Joins base URL, path template and query; only the flat styles the provider specs use. */
export function buildUrl({ baseUrl = '', url, path, query }: Pick<RequestOptions, 'baseUrl' | 'path' | 'query' | 'url'>): string {
  return joinUrl(baseUrl, url, path, query)
}

/** buildUrl's arguments one by one (the client's hot path builds no options object). */
export function joinUrl(baseUrl: string, url: string, path: Record<string, unknown> | undefined, query: Record<string, unknown> | undefined): string {
  let pathname = url
  if (path && url.includes('{')) {
    const parts = partsOf(url)
    pathname = parts[0]!
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i]!
      const value = path[name]
      if (value === undefined || value === null) throw new TypeError(`Missing path parameter "${name}"`)
      pathname += encodeURIComponent(String(value)) + parts[i + 1]!
    }
  }
  let search = ''
  if (query) {
    // Most calls have no query at all: skip building an empty URLSearchParams.
    let empty = true
    for (const key in query) if (query[key] !== undefined && query[key] !== null) empty = false
    if (empty) query = undefined
  }
  if (query) {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined || value === null) continue
      if (Array.isArray(value)) for (const item of value) params.append(key, String(item))
      else params.append(key, typeof value === 'object' ? JSON.stringify(value) : String(value))
    }
    const encoded = params.toString()
    if (encoded) search = `?${encoded}`
  }
  const base = baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl
  if (!pathname.startsWith('/')) pathname = `/${pathname}`
  return `${base}${pathname}${search}`
}
