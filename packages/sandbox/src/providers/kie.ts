import { createHmac, randomBytes } from 'node:crypto'
import type { CallbackPayload, CreateImageTaskResponse, CreditsResponse, ErrorResponse, ImageTask, ImageTaskResponse } from '@nano-banana/kie'
import { meta } from '@nano-banana/kie/meta'
import * as schemas from '@nano-banana/kie/schemas'
import type { Task, TaskSnapshot } from '../tasks.js'
import type { ErrorKind, ProviderWire, Reply, WireContext } from './types.js'

/** Credits of a finished task (kie's callback example charges 8 for nano-banana-2); failed tasks are free. */
const CREDITS = 8
/** The balance the documented example answers. */
const BALANCE = 100

type Code = ErrorResponse['code']

const MESSAGES: Record<Code, string> = {
  401: 'Unauthorized - authentication credentials are missing or invalid',
  402: 'Insufficient Credits - the account does not have enough credits',
  404: 'Not Found - the requested resource or endpoint does not exist',
  422: 'Validation Error - the request parameters failed validation',
  429: 'Rate Limited - request limit has been exceeded',
  455: 'Service Unavailable - system maintenance',
  500: 'Server Error - an unexpected error occurred',
  501: 'Generation Failed',
  505: 'Feature Disabled',
}

/**
 * kie.ai (api.kie.ai): specs/kie.openapi.yaml. Every answer is the `{code, msg, data}` envelope with HTTP 200
 * (the `httpStatusErrors` option sends the HTTP status equal to the code, the other behaviour the spec models).
 * A queued task is `waiting`, then `queuing`; `resultJson` and `param` are JSON strings; callbacks are the
 * envelope, signed over `taskId.timestamp` with the sandbox's webhook secret.
 */
export const kie = {
  id: 'kie',
  meta,
  schemas,
  checkTaskId(id, ctx) {
    return id ? undefined : envelope(422, 'Validation Error - taskId is required', ctx)
  },
  newTaskId: (now) => `task_${now}_${randomBytes(4).toString('hex')}`,
  created(task) {
    const body: CreateImageTaskResponse = { code: 200, msg: 'success', data: { taskId: task.id } }
    return { status: 200, body }
  },
  query(task, snapshot, ctx) {
    // `msg` as on every other kie answer (the recordInfo page also shows `message`; the spec allows both).
    const body: ImageTaskResponse = { code: 200, msg: 'success', data: taskData(task, snapshot, ctx) }
    return { status: 200, body }
  },
  credits() {
    const body: CreditsResponse = { code: 200, msg: 'success', data: BALANCE }
    return { status: 200, body }
  },
  callback: {
    payload(task, snapshot, ctx) {
      const failed = snapshot.phase === 'failed'
      const body: CallbackPayload = {
        code: failed ? 501 : 200,
        // A success is the query answer itself; a failure comes with code 501 (third-party summary of kie's docs).
        msg: failed ? 'Playground task failed.' : 'success',
        data: taskData(task, snapshot, ctx),
      }
      return body
    },
    headers(task, now, _body, secret) {
      const timestamp = String(Math.floor(now / 1000))
      const signature = createHmac('sha256', secret).update(`${task.id}.${timestamp}`).digest('base64')
      return { 'x-webhook-timestamp': timestamp, 'x-webhook-signature': signature }
    },
  },
  error(kind: ErrorKind, _op, ctx, detail) {
    switch (kind) {
      case 'unauthorized':
        return envelope(401, MESSAGES[401], ctx)
      case 'invalid':
        return envelope(422, `Validation Error - ${detail?.issue?.message ?? 'invalid request body'}`, ctx)
      case 'modelNotFound':
        // The third-party report of an unsupported model name.
        return envelope(422, 'model name not supported', ctx)
      case 'taskNotFound':
        return envelope(404, 'Not Found - task not found', ctx)
      case 'routeNotFound':
        return envelope(404, MESSAGES[404], ctx)
      case 'rateLimited':
        return envelope(429, MESSAGES[429], ctx)
      case 'serverError':
        return envelope(500, MESSAGES[500], ctx)
      case 'unavailable':
        // kie's documented "Service Unavailable" is code 455 (maintenance).
        return envelope(455, MESSAGES[455], ctx)
      case 'badGateway': {
        // A gateway in front of kie answers this one: a real HTTP 502 in either mode.
        const body: ErrorResponse = { code: 500, msg: MESSAGES[500], data: null }
        return { status: 502, body }
      }
    }
  },
} satisfies ProviderWire

function envelope(code: Code, msg: string, ctx: WireContext): Reply {
  const body: ErrorResponse = { code, msg, data: null }
  return { status: ctx.options.httpStatusErrors ? code : 200, body }
}

/** `waiting` for the first half of the queued phase, `queuing` for the rest (both queued words of the spec). */
function stateOf(task: Task, snapshot: TaskSnapshot, ctx: WireContext): ImageTask['state'] {
  if (snapshot.phase !== 'queued') return ctx.word(snapshot.phase) as ImageTask['state']
  const queuedWords = Object.keys(meta.statusWords).filter((word) => meta.statusWords[word as keyof typeof meta.statusWords] === 'queued')
  const half = snapshot.now - task.createdAt >= task.durationMs * 0.1
  return (queuedWords[half ? queuedWords.length - 1 : 0] ?? ctx.word('queued')) as ImageTask['state']
}

function taskData(task: Task, snapshot: TaskSnapshot, ctx: WireContext): ImageTask {
  const ended = snapshot.phase === 'succeeded' || snapshot.phase === 'failed'
  const finishedAt = task.finishedAt ?? snapshot.now
  const succeeded = snapshot.phase === 'succeeded'
  return {
    taskId: task.id,
    model: task.model,
    state: stateOf(task, snapshot, ctx),
    param: JSON.stringify({ model: task.model, ...(task.callbackUrl ? { callBackUrl: task.callbackUrl } : {}), input: task.body.input }),
    resultJson: succeeded ? JSON.stringify({ resultUrls: task.images.map(ctx.fileUrl) }) : '',
    failCode: snapshot.phase === 'failed' ? (task.canceled ? '499' : '500') : '',
    failMsg: snapshot.phase === 'failed' ? (task.canceled ? 'Task canceled' : 'Internal server error') : '',
    costTime: ended ? Math.round((finishedAt - task.createdAt) / 1000) : null,
    consumeCredits: ended ? (succeeded ? CREDITS : 0) : null,
    completeTime: ended ? finishedAt : null,
    createTime: task.createdAt,
    updateTime: ended ? finishedAt : snapshot.now,
  }
}
