import { randomUUID } from 'node:crypto'
import type { CreateImageTaskResponse, CreditsResponse, ErrorResponse, ImageTask } from '@nano-banana/fal'
import { meta } from '@nano-banana/fal/meta'
import * as schemas from '@nano-banana/fal/schemas'
import type { Task, TaskSnapshot } from '../tasks.js'
import { unixSeconds, type ErrorKind, type ProviderWire, type Reply, type WireContext } from './types.js'

type Detail = ErrorResponse['error']

const error = (status: number, code: Detail['code'], message: string, type: Detail['type']): Reply => {
  const body: ErrorResponse = { error: { code, message, type } }
  return { status, body }
}

/** `'input.prompt' is required.`, the style of the documented 400 example (`'model' is required.`). */
function invalidMessage(issue: { keyword: string; path: string; message: string } | undefined): string {
  if (!issue) return 'Invalid request.'
  if (issue.keyword === 'required') return `'${issue.path}' is required.`
  return `${issue.message.replace(/^([\w.]+)/, "'$1'")}.`
}

/**
 * Fal: specs/fal.openapi.yaml. Keys must also start with `sk-` (the docs' key format, which
 * the security scheme cannot express). The create answer says `taskId`, the query and callback say `id`.
 * Results default to JPEG: the spec's `output_format` default is `jpg` (read from meta by the shared reader).
 */
export const fal: ProviderWire = {
  id: 'fal',
  meta,
  schemas,
  acceptsKey: (key) => key.startsWith('sk-'),
  newTaskId: () => randomUUID(),
  created(task) {
    const body: CreateImageTaskResponse = { code: 200, msg: 'success', data: { taskId: task.id } }
    return { status: 200, body }
  },
  query: (task, snapshot, ctx) => ({ status: 200, body: taskBody(task, snapshot, ctx) }),
  credits() {
    const body: CreditsResponse = { code: 200, msg: 'success', data: { balance: 9800, total_purchased: 10000, total_consumed: 200 } }
    return { status: 200, body }
  },
  callback: {
    // "The body matches the query task response."
    payload: taskBody,
    headers: (task, now) => ({
      'X-Event': task.outcome === 'failed' ? 'task.failed' : 'task.completed',
      'X-Task-Id': task.id,
      'X-Timestamp': String(unixSeconds(now)),
    }),
  },
  error(kind: ErrorKind, _op, _ctx, detail) {
    switch (kind) {
      case 'unauthorized':
        return error(401, 'invalid_api_key', 'API key is invalid, disabled, or deleted', 'authentication_error')
      case 'invalid':
        return error(400, 'invalid_request', invalidMessage(detail?.issue), 'invalid_request_error')
      case 'modelNotFound':
        return error(404, 'model_not_found', 'Model does not exist or is inactive', 'invalid_request_error')
      case 'taskNotFound':
        return error(404, 'task_not_found', 'Task ID does not exist', 'invalid_request_error')
      case 'routeNotFound':
        return error(404, 'invalid_request', 'Unknown endpoint', 'invalid_request_error')
      case 'rateLimited':
        return error(429, 'rate_limit_exceeded', 'Too many requests, please slow down', 'rate_limit_error')
      case 'serverError':
        return error(500, 'internal_error', 'Unexpected server error', 'api_error')
      case 'badGateway':
        // No 502 is documented; upstream_error is the documented code for an upstream failure.
        return error(502, 'upstream_error', 'Upstream AI provider returned an error', 'upstream_error')
      case 'unavailable':
        return error(503, 'upstream_error', 'Upstream AI provider returned an error', 'upstream_error')
    }
  },
}

function taskBody(task: Task, snapshot: TaskSnapshot, ctx: WireContext): ImageTask {
  const base = { id: task.id, status: ctx.word(snapshot.phase) as ImageTask['status'], model: task.model, created_at: unixSeconds(task.createdAt) }
  if (snapshot.phase === 'succeeded') {
    return {
      ...base,
      completed_at: unixSeconds(task.finishedAt ?? snapshot.now),
      output: { urls: task.images.map(ctx.fileUrl), metadata: { model: task.model, costTime: task.durationMs } },
    }
  }
  if (snapshot.phase === 'failed') {
    return {
      ...base,
      error: {
        code: 'upstream_error',
        message: `The request failed because the input text may contain sensitive information. Request id: ${task.id}`,
      },
    }
  }
  return base
}
