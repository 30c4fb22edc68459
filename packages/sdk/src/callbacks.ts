// Server-side helpers for provider callbacks. A separate entry (`@nano-banana/sdk/callbacks`) because
// it carries a JSON Schema validator and every provider's schemas, which a browser bundle of the client
// never needs (the schemas come from the generated schemas.gen.ts). The validator is @cfworker/json-schema: it interprets schemas and generates no code at
// run time (ajv compiles with `new Function`, which Cloudflare Workers/workerd forbid).
import { Validator, type OutputUnit } from '@cfworker/json-schema'
import { readCapped } from './read-capped.js'
import { schemas as SCHEMAS } from './generated/schemas.gen.js'
import { InvalidRequestError, NanoBananaError } from './errors.js'
import { providers } from './providers/index.js'
import type { ProviderId, Task } from './types.js'

/** The component a provider's callback bodies follow: the spec's, or the one its definition assumes. */
const componentOf = (provider: ProviderId): string | undefined => providers[provider].meta?.callback?.payloadSchema ?? providers[provider].callbackComponent

const validators = new Map<ProviderId, Validator>()

function validatorFor(provider: ProviderId): Validator {
  let validator = validators.get(provider)
  if (!validator) {
    const component = componentOf(provider)
    if (!component) throw new InvalidRequestError(`${provider}: no callback schema is known`, { provider, code: 'invalid_callback' })
    const schemas: Record<string, unknown> = {}
    for (const [name, schema] of Object.entries(SCHEMAS[provider] as Record<string, unknown>)) {
      if (name.endsWith('Schema')) schemas[name.slice(0, -'Schema'.length)] = schema
    }
    const id = `urn:nano-banana:${provider}`
    // The validator marks the schema objects it indexes (resolved $ref URIs): it gets its own copy so
    // that the provider package's exported schemas stay untouched.
    validator = new Validator({ $ref: `${id}#/components/schemas/${component}` }, '2020-12', true)
    validator.addSchema(structuredClone({ $id: id, components: { schemas } }))
    validators.set(provider, validator)
  }
  return validator
}

/** The innermost error (the one naming a field), rather than the "a subschema had errors" wrappers. */
function deepestError(errors: readonly OutputUnit[]): OutputUnit | undefined {
  let best: OutputUnit | undefined
  for (const error of errors) if (!best || error.instanceLocation.length >= best.instanceLocation.length) best = error
  return best
}

/** Validates a callback body against the provider's spec and returns the normalized task. */
export function parseCallback(provider: ProviderId, body: unknown): Task {
  if (typeof provider !== 'string' || !Object.hasOwn(providers, provider)) {
    throw new InvalidRequestError(`unknown provider ${JSON.stringify(provider) ?? String(provider)}`, { param: 'provider' })
  }
  const adapter = providers[provider]
  const validator = validatorFor(provider)
  let result: ReturnType<Validator['validate']>
  try {
    result = validator.validate(body)
  } catch (error) {
    // Not JSON data at all (a cycle, a throwing getter): nothing a provider could have sent.
    throw new InvalidRequestError(`${provider}: callback body is not JSON data`, { provider, code: 'invalid_callback', cause: error })
  }
  if (!result.valid) {
    const first = deepestError(result.errors)
    // "#/data/status" -> "/data/status", the JSON Pointer of the offending field.
    const path = first?.instanceLocation.replace(/^#/, '') ?? ''
    throw new InvalidRequestError(`${provider}: callback body does not match the spec: ${path || '/'} ${first?.error ?? 'invalid'}`, {
      provider,
      code: 'invalid_callback',
      param: path || undefined,
      body,
    })
  }
  const task = adapter.parseTask(body)
  if (task instanceof NanoBananaError) {
    // Valid per the schema but not a task (an error envelope, an unknown status word): not a delivery we can use.
    throw new InvalidRequestError(`${provider}: callback body is not a task: ${task.message}`, { provider, code: 'invalid_callback', body, cause: task })
  }
  return task
}

export interface CallbackHandlerOptions {
  provider: ProviderId
  /** Receives every valid callback, normalized. Its errors answer 500 so the provider retries. */
  onTask: (task: Task, request: Request) => void | Promise<void>
  /** Larger bodies are refused with 400 (`body_too_large`), like malformed ones. Default 1 MiB. */
  maxBytes?: number
  /** The provider's webhook signing secret; providers that sign callbacks are refused (401) without a valid signature. */
  webhookSecret?: string
  /** How far a signed callback's timestamp may be from now. Default 300 s. */
  webhookToleranceSeconds?: number
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

async function readLimited(request: Request, maxBytes: number, options: CallbackHandlerOptions): Promise<string | undefined | Response> {
  const bytes = await readCapped(request, maxBytes)
  if (!bytes) return undefined
  // A signing provider's signature is checked on the raw bytes, before anything in them is read.
  const verify = Object.hasOwn(providers, options.provider) ? providers[options.provider].verifyCallback : undefined
  if (verify) {
    const context = { fetch: globalThis.fetch, nowSeconds: Math.floor(Date.now() / 1000), toleranceSeconds: options.webhookToleranceSeconds ?? 300 }
    const verdict = await verify({ url: request.url, headers: request.headers, body: bytes }, { ...context, ...(options.webhookSecret ? { secret: options.webhookSecret } : {}) })
    if (!verdict.ok) return json(401, { error: 'invalid_signature', message: verdict.reason })
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
}

/**
 * A web-standard `(Request) => Promise<Response>` for a provider's callbacks: Node (with a Request
 * adapter), Next.js route handlers, Hono, Bun, Deno. It never throws: bad input is a 4xx answer.
 */
export function createCallbackHandler(options: CallbackHandlerOptions): (request: Request) => Promise<Response> {
  const maxBytes = options.maxBytes ?? 1024 * 1024
  return async (request) => {
    try {
      if (request.method !== 'POST') return json(405, { error: 'method_not_allowed' })
      let text: string | undefined | Response
      try {
        text = await readLimited(request, maxBytes, options)
      } catch {
        return json(400, { error: 'unreadable_body' })
      }
      if (text instanceof Response) return text
      if (text === undefined) return json(400, { error: 'body_too_large', maxBytes })
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        return json(400, { error: 'invalid_json' })
      }
      let task: Task
      try {
        task = parseCallback(options.provider, body)
      } catch (error) {
        return json(400, { error: 'invalid_callback', message: error instanceof Error ? error.message : String(error) })
      }
      try {
        await options.onTask(task, request)
      } catch {
        // A failing handler answers 500 so that the provider's retry schedule delivers it again.
        return json(500, { error: 'handler_failed' })
      }
      return json(200, { ok: true, taskId: task.taskId })
    } catch {
      return json(400, { error: 'bad_request' })
    }
  }
}
