import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto'
import type { CallbackPayload, CancelResponse, CreateImageTaskResponse, ErrorResponse, ImageResult, ImageTask } from '@nano-banana/fal'
import { meta } from '@nano-banana/fal/meta'
import * as schemas from '@nano-banana/fal/schemas'
import type { Task, TaskSnapshot } from '../tasks.js'
import { unixSeconds, type ErrorKind, type ProviderWire, type Reply, type WireContext } from './types.js'

/**
 * The sandbox's own webhook key: callbacks are signed with it the way fal signs them, and its public half is
 * served as the JWKS of the spec's `getWebhookKeys` (`sandbox.fetch` routes fal's JWKS URL here), so a receiver
 * that loads keys through it verifies real signatures.
 */
const { privateKey, publicKey } = generateKeyPairSync('ed25519')
const JWK = publicKey.export({ format: 'jwk' }) as { kty: 'OKP'; crv: 'Ed25519'; x: string }
/** The user id fal's webhook headers name. */
const SANDBOX_USER = 'sandbox-user'

/** Requests canceled through `cancelImageTask`: they end at once and their result is an error. */
const canceled = new WeakSet<Task>()

const detail = (status: number, type: string, msg: string, loc: string[] = ['body'], retryable?: boolean): Reply => {
  const body: ErrorResponse = { detail: [{ loc, msg, type }] }
  return { status, body, ...(retryable !== undefined ? { headers: { 'x-fal-retryable': String(retryable) } } : {}) }
}
const message = (status: number, text: string, retryable?: boolean): Reply => {
  const body: ErrorResponse = { detail: text }
  return { status, body, ...(retryable !== undefined ? { headers: { 'x-fal-retryable': String(retryable) } } : {}) }
}

/** The id's parts: the model path (`{owner}/{app}`) and the request id. */
const requestIdOf = (task: Task) => task.id.split('/').at(-1)!

/** The URLs a queue answer hands back, on the sandbox's own origin, without `/edit` (as fal's do). */
function urlsOf(task: Task, ctx: WireContext) {
  const root = `${ctx.baseUrl}/${task.model}/requests/${requestIdOf(task)}`
  return { response_url: root, status_url: `${root}/status`, cancel_url: `${root}/cancel` }
}

/**
 * fal.ai queue: specs/fal.openapi.yaml. The model is the path; the status answer has IN_QUEUE, IN_PROGRESS or
 * COMPLETED, also for a failed request, whose result then answers the model's error (a content-policy refusal,
 * like the example); the output is read from the result operation. Canceled requests end at once.
 */
export const fal: ProviderWire = {
  id: 'fal',
  meta,
  schemas,
  newTaskId: (_now, request) => `${request.model}/${randomUUID()}`,
  checkModel(model, operation) {
    // `google/nano-banana-2-lite` has no `/edit` endpoint: its branch has no image field.
    const fields: Readonly<Record<string, string | undefined>> | undefined = meta.models[model as keyof typeof meta.models]?.capabilities.fields
    if (operation === meta.operations.create.imagesOperation && fields?.images === undefined) {
      return message(404, `Application '${model}/edit' not found`)
    }
    return undefined
  },
  created(task, ctx) {
    const body: CreateImageTaskResponse = {
      status: 'IN_QUEUE',
      request_id: requestIdOf(task),
      ...urlsOf(task, ctx),
      queue_position: 0,
      ...(task.callbackUrl ? { gateway_request_id: requestIdOf(task) } : {}),
    }
    return { status: 200, body }
  },
  query(task, snapshot, ctx, operation) {
    const ended = snapshot.phase === 'succeeded' || snapshot.phase === 'failed' || canceled.has(task)
    if (operation === meta.operations.result.operationId) {
      if (!ended) return message(400, 'Request is still in progress')
      return result(task, snapshot, ctx)
    }
    const common = { request_id: requestIdOf(task), ...urlsOf(task, ctx) }
    let body: ImageTask
    if (ended) body = { status: 'COMPLETED', ...common, logs: [], metrics: { inference_time: task.durationMs / 1000 } }
    else if (snapshot.phase === 'queued') body = { status: 'IN_QUEUE', ...common, queue_position: 0 }
    else
      body = {
        status: 'IN_PROGRESS',
        ...common,
        logs: [{ message: `${snapshot.progress}%`, level: 'INFO', source: 'USER', timestamp: new Date(snapshot.now).toISOString() }],
      }
    return { status: 200, body }
  },
  cancel(task, snapshot) {
    if (snapshot.phase === 'succeeded' || snapshot.phase === 'failed' || canceled.has(task)) {
      const body: CancelResponse = { status: 'ALREADY_COMPLETED' }
      return { status: 400, body }
    }
    canceled.add(task)
    // It ends failed (its webhook says ERROR); a queued request would never have run.
    task.fail = true
    const body: CancelResponse = { status: 'CANCELLATION_REQUESTED' }
    return { status: 202, body }
  },
  publicRoutes: {
    getWebhookKeys: () => ({ status: 200, body: { keys: [{ ...JWK, kid: 'sandbox' }] } }),
  },
  callback: {
    payload(task, snapshot, ctx): CallbackPayload {
      const reply = result(task, snapshot, ctx)
      const base = { request_id: requestIdOf(task), gateway_request_id: requestIdOf(task) }
      if (reply.status === 200) return { ...base, status: 'OK', payload: reply.body as ImageResult }
      return { ...base, status: 'ERROR', error: `Invalid status code ${reply.status}`, payload: reply.body as ErrorResponse }
    },
    headers(task, now, body) {
      const timestamp = String(unixSeconds(now))
      const digest = createHash('sha256').update(body).digest('hex')
      const signature = sign(null, Buffer.from(`${requestIdOf(task)}\n${SANDBOX_USER}\n${timestamp}\n${digest}`), privateKey).toString('hex')
      return {
        'X-Fal-Webhook-Request-Id': requestIdOf(task),
        'X-Fal-Webhook-User-Id': SANDBOX_USER,
        'X-Fal-Webhook-Timestamp': timestamp,
        'X-Fal-Webhook-Signature': signature,
      }
    },
  },
  error(kind: ErrorKind, _op, _ctx, info) {
    switch (kind) {
      case 'unauthorized':
        return message(401, 'No user found for Key ID and Secret')
      case 'invalid': {
        const issue = info?.issue
        if (!issue) return message(400, 'Invalid request body')
        const loc = ['body', ...issue.path.split(/[./]/).filter(Boolean)]
        return detail(422, issue.keyword === 'required' ? 'missing' : 'value_error', issue.keyword === 'required' ? 'Field required' : issue.message, loc, false)
      }
      case 'modelNotFound':
        return message(404, `Application '${info?.model ?? ''}' not found`)
      case 'taskNotFound':
        return message(404, 'Request not found')
      case 'routeNotFound':
        return message(404, 'Not Found')
      case 'rateLimited':
        return message(429, 'Too many requests', true)
      case 'serverError':
        // No X-Fal-Retryable: whether repeating helps is unknown, as for any unexplained 5xx.
        return detail(500, 'internal_server_error', 'Internal server error')
      case 'badGateway':
        return message(502, 'Bad gateway')
      case 'unavailable':
        return detail(503, 'downstream_service_unavailable', 'The downstream service is unavailable', ['body'], true)
    }
  },
}

/** The result of an ended request: the images, or the model's error (a canceled request, a refused prompt). */
function result(task: Task, snapshot: TaskSnapshot, ctx: WireContext): Reply {
  if (canceled.has(task)) return message(400, 'Request was cancelled', false)
  if (snapshot.phase === 'failed') return detail(422, 'content_policy_violation', 'The content was flagged by a content checker.', ['body', 'prompt'], false)
  const body: ImageResult = {
    images: task.images.map((image) => ({
      url: ctx.fileUrl(image),
      content_type: image.format === 'jpeg' ? 'image/jpeg' : 'image/png',
      file_name: `${requestIdOf(task)}.${image.format === 'jpeg' ? 'jpg' : 'png'}`,
      width: task.width,
      height: task.height,
    })),
    description: '',
  }
  return { status: 200, body }
}
