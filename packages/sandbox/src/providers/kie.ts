import { randomUUID } from 'node:crypto'
import type { CreateImageTaskResponse, CreditsResponse, ErrorResponse, ImageTask, ImageTaskResponse } from '@nano-banana/kie'
import { meta } from '@nano-banana/kie/meta'
import * as schemas from '@nano-banana/kie/schemas'
import type { Task, TaskSnapshot } from '../tasks.js'
import { unixSeconds, type ErrorKind, type ProviderWire, type Reply, type WireContext } from './types.js'

/** Credits of a finished task: the value of the documented success fixture; failed tasks are free. */
const CREDITS = 6

type Code = ErrorResponse['code']

/** The spec's named examples, by JSON code. */
const MESSAGES: Partial<Record<Code, string>> = {
  401: 'Unauthorized - Authentication credentials are missing or invalid',
  402: 'Insufficient Credits - Account does not have enough credits to perform the operation',
  404: 'Not Found - The requested resource or endpoint does not exist',
  429: 'Rate Limited - Request limit has been exceeded for this resource',
  455: 'Service Unavailable - System is currently undergoing maintenance',
  500: 'Server Error - An unexpected error occurred while processing the request',
  501: 'Generation Failed - Content generation task failed',
  505: 'Feature Disabled - The requested feature is currently disabled',
}

/**
 * Kie (api.kie.ai/api/v1): specs/kie.openapi.yaml. Every answer is the `{code, message, data}` envelope.
 * The docs report failures in the JSON `code` with HTTP 200, so that is the default; the `httpStatusErrors`
 * option (formerly `kieHttpErrors`) sends the same envelope with the HTTP status equal to the code, the other
 * behaviour the spec models.
 */
export const kie = {
  id: 'kie',
  meta,
  schemas,
  legacyOptions: { kieHttpErrors: 'httpStatusErrors' } as const,
  checkTaskId(id, ctx) {
    return id ? undefined : envelope(422, 'Validation Error - task_id is required', ctx)
  },
  newTaskId: () => randomUUID(),
  created(task) {
    const body: CreateImageTaskResponse = { code: 200, message: 'success', data: { task_id: task.id } }
    return { status: 200, body }
  },
  query(task, snapshot, ctx) {
    const body: ImageTaskResponse = { code: 200, message: 'success', data: taskData(task, snapshot, ctx) }
    return { status: 200, body }
  },
  credits() {
    const body: CreditsResponse = { code: 200, message: 'success', data: { balance: 1000 } }
    return { status: 200, body }
  },
  callback: {
    // "The payload has the same structure as the `data` object returned by TaskInfo."
    payload: taskData,
  },
  error(kind: ErrorKind, _op, ctx, detail) {
    switch (kind) {
      case 'unauthorized':
        return envelope(401, MESSAGES[401]!, ctx)
      case 'invalid':
      case 'modelNotFound':
        return envelope(422, `Validation Error - ${detail?.issue?.message ?? 'invalid request body'}`, ctx)
      case 'taskNotFound':
        return envelope(404, 'Not Found - task not found', ctx)
      case 'routeNotFound':
        return envelope(404, MESSAGES[404]!, ctx)
      case 'rateLimited':
        return envelope(429, MESSAGES[429]!, ctx)
      case 'serverError':
        return envelope(500, MESSAGES[500]!, ctx)
      case 'unavailable':
        // Kie's documented "Service Unavailable" is code 455 (maintenance).
        return envelope(455, MESSAGES[455]!, ctx)
      case 'badGateway': {
        // A gateway in front of Kie answers this one, so it is a real HTTP 502 in either mode.
        const body: ErrorResponse = { code: 500, message: MESSAGES[500]!, data: null }
        return { status: 502, body }
      }
    }
  },
} satisfies ProviderWire

function envelope(code: Code, message: string, ctx: WireContext): Reply {
  const body: ErrorResponse = { code, message, data: null }
  return { status: ctx.options.httpStatusErrors ? code : 200, body }
}

function taskData(task: Task, snapshot: TaskSnapshot, ctx: WireContext): ImageTask {
  const ended = snapshot.phase === 'succeeded' || snapshot.phase === 'failed'
  const finishedAt = task.finishedAt ?? snapshot.now
  return {
    task_id: task.id,
    provider: 'Google',
    model_version: task.model.replace(/^google\//, ''),
    status: ctx.word(snapshot.phase) as ImageTask['status'],
    param: { model: task.model, callback_url: task.callbackUrl ?? null, input: task.body.input as Record<string, unknown> },
    create_at: unixSeconds(task.createdAt),
    result: !ended
      ? null
      : snapshot.phase === 'succeeded'
        ? { code: 200, message: 'success', media_urls: task.images.map(ctx.fileUrl) }
        : { code: 501, message: 'Generation failed' },
    duration_s: ended ? Math.round((finishedAt - task.createdAt) / 100) / 10 : null,
    complete_at: ended ? unixSeconds(finishedAt) : null,
    source: 'api',
    ...(ended ? { credits: snapshot.phase === 'succeeded' ? CREDITS : 0 } : {}),
  }
}
