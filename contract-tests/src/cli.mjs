// nano-banana-contract-tests: the contract checks for one provider, outside the monorepo.
//   mock (default): `prism mock` of the spec shipped in this package; the local checks plus every
//     forcible documented response and JSON request case through the provider's generated client.
//   --live: `prism proxy <spec> <provider API> --errors` with the key from the provider's variable;
//     the free calls (credits, an unknown task, a wrong key), plus a paid task with --create.
// Prints one line per failed check and a summary; exit 0 when every check passed, 1 otherwise, 2 on
// bad usage. The bundle (scripts/build.mjs) calls `main` with the generated clients it carries.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createLiveContext, planLiveChecks } from './live-checks.mjs'
import { runMockChecks } from './mock-checks.mjs'
import { startPrism, stopAllPrism } from './prism.mjs'
import { loadSpec } from './spec.mjs'

const capitalize = (s) => s[0].toUpperCase() + s.slice(1)

function usage(ids) {
  return `Usage: nano-banana-contract-tests --provider <${ids.join('|')}> [--live [--create]] [--spec <file>] [--base-url <url>] [--json]

  --provider <id>   the provider to check
  --live            check the real API through prism proxy (needs the provider's key variable)
  --create          with --live: also create one image task (costs credits) and query it
  --spec <file>     check this OpenAPI file instead of the spec shipped with the package
  --base-url <url>  with --live: the provider's API (default: <ID>_BASE_URL, else the spec's server)
  --json            print the results as JSON

Mock mode (the default) needs no key and no network.`
}

/** The key and upstream of live mode, from the flags and the provider's variables (generated meta). */
function liveTarget(meta, spec, env, baseUrl) {
  const keyVar = meta.envKeys.find((name) => env[name]) ?? meta.envKey
  const apiKey = env[keyVar] || undefined
  const upstream = baseUrl ?? (env[meta.baseUrlEnvKey] || undefined) ?? (spec.doc['x-base-url-required'] ? undefined : spec.doc.servers?.[0]?.url)
  const missing = [...(apiKey ? [] : [meta.envKey]), ...(upstream ? [] : [`${meta.baseUrlEnvKey} (or --base-url)`])]
  return { apiKey, upstream: upstream?.replace(/\/+$/, ''), missing }
}

/**
 * The local Prism mock is stateless: a request whose connection broke before any answer (a keep-alive
 * socket Prism closed just then, on a loaded machine) is sent once more. An HTTP answer is never retried.
 */
async function retryingConnection(input, init) {
  const request = input instanceof Request ? input : new Request(input, init)
  try {
    return await fetch(request.clone())
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    return fetch(request)
  }
}

function report(out, { provider, mode, specPath, results }, json) {
  const failed = results.filter((r) => !r.ok)
  if (json) {
    out.log(JSON.stringify({ provider, mode, spec: specPath, passed: results.length - failed.length, failed: failed.length, results }, null, 2))
    return
  }
  const kinds = [...new Set(results.map((r) => r.kind))]
  out.log(`${provider} (${mode}, ${specPath})`)
  for (const kind of kinds) {
    const all = results.filter((r) => r.kind === kind)
    out.log(`  ${kind}: ${all.filter((r) => r.ok).length}/${all.length} passed`)
  }
  for (const r of failed) out.log(`  FAIL ${r.id}: ${r.message}`)
  out.log(`${results.length} checks, ${results.length - failed.length} passed, ${failed.length} failed`)
}

/**
 * @param {{ argv: string[], sdks: Record<string, Record<string, any>>, meta: Record<string, any>, specsDir: string,
 *   env?: Record<string, string | undefined>, out?: Pick<Console, 'log' | 'error'> }} options
 * @returns {Promise<number>} the exit code
 */
export async function main({ argv, sdks, meta, specsDir, env = process.env, out = console }) {
  const ids = Object.keys(meta)
  let values
  try {
    ;({ values } = parseArgs({
      args: argv.filter((a) => a !== '--'),
      options: {
        provider: { type: 'string', short: 'p' },
        live: { type: 'boolean', default: false },
        create: { type: 'boolean', default: false },
        spec: { type: 'string' },
        'base-url': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    out.error(`${error.message}\n\n${usage(ids)}`)
    return 2
  }
  if (values.help) {
    out.log(usage(ids))
    return 0
  }
  const provider = values.provider
  if (!provider || !Object.hasOwn(meta, provider) || !sdks[provider]) {
    out.error(`${provider ? `unknown provider "${provider}"` : '--provider is required'}.\n\n${usage(ids)}`)
    return 2
  }
  const specPath = values.spec ?? join(specsDir, `${provider}.openapi.yaml`)
  if (!existsSync(specPath)) {
    out.error(`no spec at ${specPath}`)
    return 2
  }
  const spec = loadSpec(specPath, { cache: false })
  const sdk = sdks[provider]
  const factory = sdk[`create${capitalize(provider)}Client`]

  try {
    if (!values.live) {
      const prism = await startPrism({ specPath, mode: 'mock' })
      const client = factory({ apiKey: 'sk-contract-test-key', baseUrl: prism.url, fetch: retryingConnection })
      const results = await runMockChecks({ spec, sdk, client })
      report(out, { provider, mode: 'mock', specPath, results }, values.json)
      return results.every((r) => r.ok) ? 0 : 1
    }
    const target = liveTarget(meta[provider], spec, env, values['base-url'])
    if (target.missing.length) {
      out.error(`cannot check ${provider} against its real API: set ${target.missing.join(' and ')}`)
      return 1
    }
    const prism = await startPrism({ specPath, mode: 'proxy', upstream: target.upstream, errors: true })
    // The key never reaches the report, whatever an answer echoes.
    const hide = (text) => text.replaceAll(target.apiKey, '***')
    const context = await createLiveContext({ providerId: provider, baseUrl: prism.url, apiKey: target.apiKey, sdk })
    const results = []
    for (const check of planLiveChecks({ spec, create: values.create })) {
      try {
        const result = await check.run(context)
        results.push({ id: check.name, kind: 'live', ok: result.ok && result.problems.length === 0, message: hide(result.problems.join('; ') || 'ok') })
      } catch (error) {
        results.push({ id: check.name, kind: 'live', ok: false, message: hide(String(error?.message ?? error)) })
      }
    }
    report(out, { provider, mode: `live via prism proxy -> ${target.upstream}`, specPath, results }, values.json)
    return results.every((r) => r.ok) ? 0 : 1
  } catch (error) {
    out.error(`contract tests: ${error?.message ?? error}`)
    return 1
  } finally {
    // Prism's process is unref'd: keep the loop alive until it is stopped, or the process ends mid-stop.
    const alive = setInterval(() => {}, 1_000)
    await stopAllPrism()
    clearInterval(alive)
  }
}
