import { randomUUID } from 'node:crypto'
import type { Task, TaskSnapshot } from '../tasks.js'
import type { TaskPhase } from '../types.js'
import { formatOf, hasImages, seedOf, str, unixSeconds, type ErrorKind, type ProviderWire, type Reply, type WireContext } from './types.js'

const WORDS: Record<TaskPhase, string> = { queued: 'pending', running: 'processing', succeeded: 'completed', failed: 'failed' }

const error = (status: number, code: string, message: string, type: string): Reply => ({ status, body: { error: { code, message, type } } })

/** `'input.prompt' is required.`, the style of the documented 400 example (`'model' is required.`). */
function invalidMessage(issue: { keyword: string; path: string; message: string } | undefined): string {
  if (!issue) return 'Invalid request.'
  if (issue.keyword === 'required') return `'${issue.path}' is required.`
  return `${issue.message.replace(/^([\w.]+)/, "'$1'")}.`
}

/**
 * aivideoapi.ai: specs/aivideoapi.openapi.yaml. Keys must also start with `sk-`. The create answer says
 * `taskId`, the query and callback say `id`. Results default to JPEG: the spec's `output_format` default is
 * `jpg` and the documented results are .jpg files.
 */
export const aivideoapi: ProviderWire = {
  id: 'aivideoapi',
  auth: 'bearer',
  keyPrefix: 'sk-',
  route(method, path) {
    if (method === 'POST' && path === '/v1/images/generations') return { operation: 'createImageTask' }
    if (method === 'GET' && path === '/v1/credits') return { operation: 'getCredits' }
    const match = /^\/v1\/tasks\/([^/]+)$/.exec(path)
    if (method === 'GET' && match) return { operation: 'getImageTask', taskId: decodeURIComponent(match[1]!) }
    return undefined
  },
  newTaskId: () => randomUUID(),
  describe(body) {
    const input = (body.input ?? {}) as Record<string, unknown>
    return {
      model: String(body.model),
      prompt: String(input.prompt),
      seed: seedOf(body),
      aspectRatio: str(input.aspect_ratio),
      format: formatOf(input.output_format, 'jpeg'),
      n: 1,
      callbackUrl: str(body.callback_url),
      taskType: hasImages(input.image_urls) ? 'image2image' : 'text2image',
      body,
    }
  },
  created: (task) => ({ status: 200, body: { code: 200, msg: 'success', data: { taskId: task.id } } }),
  query: (task, snapshot, ctx) => ({ status: 200, body: taskBody(task, snapshot, ctx) }),
  credits: () => ({ status: 200, body: { code: 200, msg: 'success', data: { balance: 9800, total_purchased: 10000, total_consumed: 200 } } }),
  callback: {
    // "The body matches the query task response."
    payload: taskBody,
    headers: (task, now) => ({
      'X-Event': task.outcome === 'failed' ? 'task.failed' : 'task.completed',
      'X-Task-Id': task.id,
      'X-Timestamp': String(unixSeconds(now)),
    }),
    // Documented: 3 attempts in total, immediately, after 3 minutes, after 10 minutes.
    scheduleSeconds: [0, 180, 420],
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
  statusWord: (phase) => WORDS[phase],
}

function taskBody(task: Task, snapshot: TaskSnapshot, ctx: WireContext): Record<string, unknown> {
  const base = { id: task.id, status: WORDS[snapshot.phase], model: task.model, created_at: unixSeconds(task.createdAt) }
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
