// The checks live mode runs against a real provider through `prism proxy <spec> <real url> --errors`:
// calls that are free (credits, querying an unknown task, a bad key), plus task creation when asked
// for (it costs credits). Each answer must have a documented status and match its schema; Prism
// turns an upstream answer that breaks the spec into a 500 problem+json, reported as drift.
import { operationArguments } from './cases.mjs'
import { getProvider } from './providers.mjs'
import { checkSdkResult, documentedResponse } from './responses.mjs'
import { listOperations } from './spec.mjs'
import { createSpecValidator } from './validator.mjs'

export const INVALID_KEY = 'sk-invalid-contract-test-key'

/**
 * True when a 2xx answer is a refusal the spec documents: some providers (Crun) refuse with HTTP 200 and
 * a JSON code, and their spec models it (specs/CONVENTIONS.md) as a 2xx example that is also the example
 * of a 4xx response of the operation. The body must then match that 4xx response's schema.
 */
export function isDocumentedRefusal(spec, operationId, status, body) {
  const operation = listOperations(spec).find((o) => o.operationId === operationId)
  const answered = operation && documentedResponse(operation, status)
  if (!answered || body === undefined) return false
  const where = (example) => JSON.stringify(example.at)
  const inAnswer = new Set(answered.contents.flatMap((c) => c.examples.map(where)))
  const validator = createSpecValidator(spec)
  return operation.responses
    .filter((r) => r.code.startsWith('4'))
    .some((r) => r.contents.some((c) => c.schemaAt && c.examples.some((e) => inAnswer.has(where(e))) && validator.isValid(c.schemaAt, body)))
}

async function loadSdk(provider) {
  const sdk = await import(provider.packageName)
  const factory = sdk[provider.clientFactory]
  if (typeof factory !== 'function') throw new Error(`${provider.packageName} does not export ${provider.clientFactory}`)
  return { sdk, factory }
}

function findTaskId(value) {
  if (!value || typeof value !== 'object') return undefined
  for (const [key, child] of Object.entries(value)) {
    if (/^(task_?id|taskId|id)$/i.test(key) && typeof child === 'string') return child
  }
  for (const child of Object.values(value)) {
    const found = findTaskId(child)
    if (found) return found
  }
  return undefined
}

/**
 * The generated SDK of a provider and two clients on `baseUrl`: one with the key, one with a wrong key.
 * @param {{ providerId: string, baseUrl: string, apiKey: string, sdk?: Record<string, any> }} options
 */
export async function createLiveContext({ providerId, baseUrl, apiKey, sdk: given }) {
  const provider = getProvider(providerId)
  // A bundle (the published CLI) passes the generated client module it carries.
  const { sdk, factory } = given ? { sdk: given, factory: given[provider.clientFactory] } : await loadSdk(provider)
  return { sdk, client: factory({ apiKey, baseUrl }), badClient: factory({ apiKey: INVALID_KEY, baseUrl }) }
}

/**
 * The live checks for a spec (names are known without a network, so skipped runs can list them).
 * @param {{ spec: import('./types.js').LoadedSpec, create?: boolean }} options
 * @returns {import('./types.js').LiveCheck[]}
 */
export function planLiveChecks({ spec, create = false }) {
  const ops = new Map(listOperations(spec).map((op) => [op.operationId, op]))
  const call = async (ctx, c, operationId, extra = {}) => {
    const args = { ...operationArguments(spec, operationId), ...extra }
    const { header, ...rest } = args
    const result = await ctx.sdk[operationId]({ client: c, ...rest, ...(header ? { headers: header } : {}) })
    return { result, check: checkSdkResult(spec, operationId, result) }
  }
  const checks = []
  const readOnly = ops.get('getCredits') ?? [...ops.values()].find((op) => op.method === 'get')

  if (ops.has('getCredits')) {
    checks.push({
      name: 'getCredits with the key: documented status, body matches the spec',
      run: async (ctx) => (await call(ctx, ctx.client, 'getCredits')).check,
    })
  }
  if (readOnly) {
    checks.push({
      name: `${readOnly.operationId} with an invalid key: a documented refusal (4xx, or a 2xx the spec documents as one) whose body matches the spec`,
      run: async (ctx) => {
        const { result, check } = await call(ctx, ctx.badClient, readOnly.operationId)
        if (check.ok && result.response.ok && !isDocumentedRefusal(spec, readOnly.operationId, result.response.status, result.data)) {
          return {
            ...check,
            ok: false,
            problems: [`HTTP ${result.response.status} for an invalid key, expected a refusal: a 4xx, or a 2xx the spec documents as a refusal`],
          }
        }
        return check
      },
    })
  }
  if (ops.has('getImageTask')) {
    checks.push({
      name: 'getImageTask of a task that does not exist: documented status, body matches the spec',
      run: async (ctx) => (await call(ctx, ctx.client, 'getImageTask')).check,
    })
  }
  if (create && ops.has('createImageTask')) {
    checks.push({
      name: 'createImageTask (costs credits), then getImageTask of the new task',
      run: async (ctx) => {
        const created = await call(ctx, ctx.client, 'createImageTask')
        if (!created.check.ok) return created.check
        const id = findTaskId(created.result.data)
        if (!id) return { ok: false, problems: ['no task id in the create response'] }
        const query = ops.get('getImageTask')
        if (!query) return created.check
        const param = query.parameters.find((p) => p.in === 'path' || p.in === 'query')
        const args = operationArguments(spec, 'getImageTask')
        const extra = param ? { [param.in]: { ...args[param.in], [param.name]: id } } : {}
        const queried = await call(ctx, ctx.client, 'getImageTask', extra)
        return { ...queried.check, problems: queried.check.problems.map((p) => `getImageTask ${id}: ${p}`) }
      },
    })
  }
  return checks
}
