// The mock-mode checks the CLI runs (the vitest suite's cases, as a plain list of results): the local
// checker (examples, request cases against ajv, response examples), then, through the provider's
// generated client against a `prism mock` of the spec, every forcible documented response and every
// JSON request case (a valid one accepted, one breaking a constraint refused).
import { operationArguments, requestCases, responseCases } from './cases.mjs'
import { runLocalChecks } from './checker.mjs'
import { checkSdkResult } from './responses.mjs'
import { isJsonMediaType } from './spec.mjs'

const sdkOptions = (args, headers = {}) => {
  const { header, ...rest } = args
  return { ...rest, headers: { ...(header ?? {}), ...headers } }
}

/**
 * @param {{ spec: import('./types.js').LoadedSpec, sdk: Record<string, unknown>, client: unknown }} options
 *   `client`: the generated client on the Prism mock's URL
 * @returns {Promise<import('./types.js').CheckResult[]>}
 */
export async function runMockChecks({ spec, sdk, client }) {
  const results = runLocalChecks(spec)
  const call = (operationId, options) => {
    const fn = sdk[operationId]
    if (typeof fn !== 'function') throw new Error(`the generated client has no function ${operationId}`)
    return fn({ client, ...options })
  }
  const attempt = async (id, kind, body) => {
    try {
      const problems = await body()
      results.push({ id, kind, ok: problems.length === 0, message: problems.length ? problems.join('; ') : 'ok' })
    } catch (error) {
      results.push({ id, kind, ok: false, message: String(error?.message ?? error) })
    }
  }

  for (const c of responseCases(spec).filter((rc) => rc.forcible)) {
    await attempt(`prism response ${c.id}`, 'response', async () => {
      const result = await call(c.operationId, sdkOptions(operationArguments(spec, c.operationId), { Prefer: c.prefer }))
      const status = result.response.status
      if (status !== c.status) return [`Prism answered HTTP ${status}, expected ${c.status}`]
      const problems = [...checkSdkResult(spec, c.operationId, result).problems]
      const body = status < 300 ? result.data : result.error
      if (c.example !== undefined && JSON.stringify(body) !== JSON.stringify(c.exampleValue)) problems.push('the body is not the documented example')
      return problems
    })
  }

  const { cases } = requestCases(spec)
  for (const c of cases.filter((rc) => isJsonMediaType(rc.mediaType))) {
    await attempt(`prism request ${c.id} -> ${c.expect === 'valid' ? 'accepted' : 'rejected'}`, 'request', async () => {
      const result = await call(c.operationId, { ...sdkOptions(operationArguments(spec, c.operationId)), body: c.body })
      const status = result.response.status
      if (c.expect === 'valid')
        return status >= 200 && status < 300 ? [] : [`Prism refused a valid request: HTTP ${status} ${result.response.headers.get('sl-violations') ?? ''}`]
      return status >= 400 && status < 500 ? [] : [`Prism accepted a request that breaks ${c.constraint ?? 'a constraint'} (HTTP ${status})`]
    })
  }
  return results
}
