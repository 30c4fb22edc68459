import { randomBytes } from 'node:crypto'
import type { Task, TaskSnapshot } from '../tasks.js'
import type { ProviderId, TaskPhase } from '../types.js'
import { formatOf, hasImages, seedOf, str, unixSeconds, type ErrorKind, type Operation, type ProviderWire, type Reply, type WireContext } from './types.js'

/**
 * odkkk is a white-label copy of EvoLink's API, so both share this module; they differ in the default model
 * and in EvoLink's task id check. Error bodies use the older integer-code envelope, the one both seeds document.
 */
export interface EvolinkFamilyConfig {
  id: ProviderId
  defaultModel: string
  /** EvoLink's newer docs reject query ids without this prefix (HTTP 400). */
  taskIdPrefix?: string
}

const WORDS: Record<TaskPhase, string> = { queued: 'pending', running: 'processing', succeeded: 'completed', failed: 'failed' }

const FAILED_ERROR = {
  code: 'content_policy_violation',
  message: 'Content policy violation.\nYour request was blocked by safety filters...',
}

const error = (status: number, detail: Record<string, unknown>): Reply => ({ status, body: { error: { code: status, ...detail } } })

export function evolinkFamily(config: EvolinkFamilyConfig): ProviderWire {
  const taskBody = (task: Task, snapshot: TaskSnapshot, ctx: WireContext): Record<string, unknown> => {
    if (snapshot.phase === 'failed') {
      // The documented failed example carries exactly these fields.
      return { id: task.id, object: 'image.generation.task', status: 'failed', model: task.model, progress: 0, error: FAILED_ERROR }
    }
    return {
      created: unixSeconds(task.createdAt),
      id: task.id,
      model: task.model,
      object: 'image.generation.task',
      progress: snapshot.progress,
      ...(snapshot.phase === 'succeeded' ? { results: task.images.map(ctx.fileUrl) } : {}),
      status: WORDS[snapshot.phase],
      task_info: { can_cancel: snapshot.phase === 'queued' },
      type: 'image',
    }
  }

  const errors: Record<ErrorKind, (op: Operation | undefined, param?: string) => Reply> = {
    unauthorized: () => error(401, { message: 'Invalid or expired token', type: 'authentication_error' }),
    invalid: (op, param) =>
      op === 'getImageTask'
        ? error(400, { message: 'Invalid task ID format', type: 'invalid_request_error', param: 'task_id' })
        : error(400, { message: 'Invalid request parameters', type: 'invalid_request_error', ...(param ? { param } : {}) }),
    modelNotFound: () =>
      error(404, {
        message: 'Specified model not found',
        type: 'not_found_error',
        param: 'model',
        fallback_suggestion: config.defaultModel,
      }),
    taskNotFound: () => error(404, { message: 'Task not found or expired', type: 'not_found_error', param: 'task_id' }),
    routeNotFound: () => error(404, { message: 'Not found', type: 'not_found_error' }),
    rateLimited: () =>
      error(429, { message: 'Rate limit exceeded', type: 'rate_limit_error', fallback_suggestion: 'retry after 60 seconds' }),
    serverError: () =>
      error(500, { message: 'Internal server error', type: 'internal_server_error', fallback_suggestion: 'try again later' }),
    badGateway: (op) =>
      op === 'createImageTask'
        ? error(502, { message: 'Upstream AI service unavailable', type: 'upstream_error', fallback_suggestion: 'try different model' })
        : error(502, { message: 'Upstream service error', type: 'upstream_error', fallback_suggestion: 'try again later' }),
    unavailable: () =>
      error(503, {
        message: 'Service temporarily unavailable',
        type: 'service_unavailable_error',
        fallback_suggestion: 'retry after 30 seconds',
      }),
  }

  return {
    id: config.id,
    auth: 'bearer',
    route(method, path) {
      if (method === 'POST' && path === '/v1/images/generations') return { operation: 'createImageTask' }
      if (method === 'GET' && path === '/v1/credits') return { operation: 'getCredits' }
      const match = /^\/v1\/tasks\/([^/]+)$/.exec(path)
      if (method === 'GET' && match) return { operation: 'getImageTask', taskId: decodeURIComponent(match[1]!) }
      return undefined
    },
    checkTaskId(id) {
      return config.taskIdPrefix && !id.startsWith(config.taskIdPrefix) ? errors.invalid('getImageTask') : undefined
    },
    newTaskId(now) {
      const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
      const suffix = [...randomBytes(8)].map((byte) => alphabet[byte % alphabet.length]).join('')
      return `task-unified-${unixSeconds(now)}-${suffix}`
    },
    describe(body) {
      return {
        model: String(body.model),
        prompt: String(body.prompt),
        seed: seedOf(body),
        aspectRatio: str(body.size),
        // Neither spec has an output format field: results are PNG.
        format: formatOf(undefined),
        n: 1,
        callbackUrl: str(body.callback_url),
        taskType: hasImages(body.image_urls) ? 'image2image' : 'text2image',
        body,
      }
    },
    created(task, ctx) {
      const estimate = ctx.options.estimatedTimeHints ? { estimated_time: Math.ceil(task.durationMs / 1000) } : {}
      return {
        status: 200,
        body: {
          created: unixSeconds(task.createdAt),
          id: task.id,
          model: task.model,
          object: 'image.generation.task',
          progress: 0,
          status: 'pending',
          task_info: { can_cancel: true, ...estimate },
          type: 'image',
          usage: { billing_rule: 'per_call', credits_reserved: 1.6, user_group: 'default' },
        },
      }
    },
    query: (task, snapshot, ctx) => ({ status: 200, body: taskBody(task, snapshot, ctx) }),
    credits: () => ({
      status: 200,
      body: {
        data: {
          token: { remaining_credits: 99416.4429, unlimited_credits: false, used_credits: 583.5571 },
          user: { remaining_credits: 1095.3996, used_credits: 135.9048 },
        },
        message: '',
        success: true,
      },
    }),
    callback: {
      // "The body is the same as the task query response."
      payload: taskBody,
      // Documented: first delivery at the end, then at most 3 retries after 1, 2 and 4 seconds.
      scheduleSeconds: [0, 1, 2, 4],
    },
    // `param` names the offending field, as the documented 403/404/413 bodies do.
    error: (kind, op, _ctx, detail) => errors[kind](op, detail?.issue?.field),
    statusWord: (phase) => WORDS[phase],
  }
}
