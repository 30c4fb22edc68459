import type { RequestOptions } from './types.js'

const PATH_PARAM = /\{([^}]+)\}/g

/** Joins base URL, path template and query; only the flat styles the provider specs use. */
export function buildUrl({ baseUrl = '', url, path, query }: Pick<RequestOptions, 'baseUrl' | 'path' | 'query' | 'url'>): string {
  let pathname =
    path && url.includes('{')
      ? url.replace(PATH_PARAM, (_, name: string) => {
          const value = path[name]
          if (value === undefined || value === null) throw new TypeError(`Missing path parameter "${name}"`)
          return encodeURIComponent(String(value))
        })
      : url
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
