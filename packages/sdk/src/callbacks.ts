// Server-side helpers for provider callbacks. A separate entry (`@nano-banana/sdk/callbacks`) because
// it carries ajv and every provider's JSON schemas (the generated schemas.gen.ts), which a browser bundle
// of the client never needs.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import { readCapped } from './read-capped.js'
import addFormatsModule from 'ajv-formats'
import { InvalidRequestError, NanoBananaError } from './errors.js'
import { schemas as SCHEMAS } from './generated/schemas.gen.js'
import { providers } from './providers/index.js'
import type { ProviderId, Task } from './types.js'

type AddFormats = typeof addFormatsModule.default
const addFormats: AddFormats = (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats)

/** The component a provider's callback bodies follow: the spec's, or the one its definition assumes. */
const componentOf = (provider: ProviderId): string | undefined => providers[provider].meta?.callback?.payloadSchema ?? providers[provider].callbackComponent

const ajv = new Ajv2020({ strict: false, allErrors: false })
addFormats(ajv)
const validators = new Map<ProviderId, ValidateFunction>()

function validatorFor(provider: ProviderId): ValidateFunction {
  let validate = validators.get(provider)
  if (!validate) {
    const component = componentOf(provider)
    if (!component) throw new InvalidRequestError(`${provider}: no callback schema is known`, { provider, code: 'invalid_callback' })
    const schemas: Record<string, unknown> = {}
    for (const [name, schema] of Object.entries(SCHEMAS[provider] as Record<string, unknown>)) {
      if (name.endsWith('Schema')) schemas[name.slice(0, -'Schema'.length)] = schema
    }
    const id = `urn:nano-banana:${provider}`
    ajv.addSchema({ $id: id, components: { schemas } })
    validate = ajv.getSchema(`${id}#/components/schemas/${component}`)!
    validators.set(provider, validate)
  }
  return validate
}

/** Validates a callback body against the provider's spec and returns the normalized task. */
export function parseCallback(provider: ProviderId, body: unknown): Task {
  if (typeof provider !== 'string' || !Object.hasOwn(providers, provider)) {
    throw new InvalidRequestError(`unknown provider ${JSON.stringify(provider) ?? String(provider)}`, { param: 'provider' })
  }
  const adapter = providers[provider]
  const validate = validatorFor(provider)
  let valid: boolean
  try {
    valid = validate(body) as boolean
  } catch (error) {
    // Not JSON data at all (a cycle, a throwing getter): nothing a provider could have sent.
    throw new InvalidRequestError(`${provider}: callback body is not JSON data`, { provider, code: 'invalid_callback', cause: error })
  }
  if (!valid) {
    const first = validate.errors?.[0]
    throw new InvalidRequestError(`${provider}: callback body does not match the spec: ${first?.instancePath || '/'} ${first?.message ?? 'invalid'}`, {
      provider,
      code: 'invalid_callback',
      param: first?.instancePath || undefined,
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
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

async function readLimited(request: Request, maxBytes: number): Promise<string | undefined> {
  const bytes = await readCapped(request, maxBytes)
  if (!bytes) return undefined
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
      let text: string | undefined
      try {
        text = await readLimited(request, maxBytes)
      } catch {
        return json(400, { error: 'unreadable_body' })
      }
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
