import { randomBytes } from 'node:crypto'
import type { ProviderMeta } from '@nano-banana/runtime'
import type { Task, TaskSnapshot } from '../tasks.js'
import type { ProviderId, TaskPhase } from '../types.js'
import { unixSeconds, type ErrorKind, type Operation, type ProviderWire, type Reply, type WireContext } from './types.js'

/**
 * The `image.generation.task` API family: several providers (a white-label original and its copies) answer with
 * the same bodies and differ only in their spec (meta, schemas), the default model and an optional task id
 * check. Error bodies use the older integer-code envelope, the one every member's docs show.
 */
export interface GenerationTaskFamilyConfig {
  id: ProviderId
  meta: ProviderMeta
  schemas: Readonly<Record<string, unknown>>
  /** A query id without this prefix is rejected with HTTP 400 (documented by some members). */
  taskIdPrefix?: string
}

/** The bodies this family renders; each member's file checks them against its own generated types. */
export interface FamilyBodies {
  created: {
    created: number
    id: string
    model: string
    object: 'image.generation.task'
    progress: number
    status: 'pending'
    task_info: { can_cancel: boolean; estimated_time?: number }
    type: 'image'
    usage: { billing_rule: 'per_call'; credits_reserved: number; user_group: 'default' }
  }
  task:
    | { id: string; object: 'image.generation.task'; status: 'failed'; model: string; progress: number; error: { code: string; message: string } }
    | {
        created: number
        id: string
        model: string
        object: 'image.generation.task'
        progress: number
        results?: string[]
        status: 'pending' | 'processing' | 'completed'
        task_info: { can_cancel: boolean }
        type: 'image'
      }
  credits: {
    data: { token: { remaining_credits: number; unlimited_credits: boolean; used_credits: number }; user: { remaining_credits: number; used_credits: number } }
    message: string
    success: boolean
  }
  error: { error: { code: number; message: string; type: string; param?: string; fallback_suggestion?: string } }
}

const FAILED_ERROR = {
  code: 'content_policy_violation',
  message: 'Content policy violation.\nYour request was blocked by safety filters...',
}

const error = (status: number, detail: Omit<FamilyBodies['error']['error'], 'code'>): Reply => {
  const body: FamilyBodies['error'] = { error: { code: status, ...detail } }
  return { status, body }
}

export function generationTaskFamily(config: GenerationTaskFamilyConfig): ProviderWire {
  const word = (ctx: WireContext, phase: TaskPhase): 'pending' | 'processing' | 'completed' => ctx.word(phase) as 'pending' | 'processing' | 'completed'
  const taskBody = (task: Task, snapshot: TaskSnapshot, ctx: WireContext): FamilyBodies['task'] => {
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
      status: word(ctx, snapshot.phase),
      task_info: { can_cancel: snapshot.phase === 'queued' },
      type: 'image',
    }
  }

  const errors: Record<ErrorKind, (op: Operation | undefined, param?: string) => Reply> = {
    unauthorized: () => error(401, { message: 'Invalid or expired token', type: 'authentication_error' }),
    invalid: (op, param) =>
      op === config.meta.operations.get?.operationId
        ? error(400, { message: 'Invalid task ID format', type: 'invalid_request_error', param: 'task_id' })
        : error(400, { message: 'Invalid request parameters', type: 'invalid_request_error', ...(param ? { param } : {}) }),
    modelNotFound: () =>
      error(404, {
        message: 'Specified model not found',
        type: 'not_found_error',
        param: 'model',
        fallback_suggestion: config.meta.defaultModel,
      }),
    taskNotFound: () => error(404, { message: 'Task not found or expired', type: 'not_found_error', param: 'task_id' }),
    routeNotFound: () => error(404, { message: 'Not found', type: 'not_found_error' }),
    rateLimited: () => error(429, { message: 'Rate limit exceeded', type: 'rate_limit_error', fallback_suggestion: 'retry after 60 seconds' }),
    serverError: () => error(500, { message: 'Internal server error', type: 'internal_server_error', fallback_suggestion: 'try again later' }),
    badGateway: (op) =>
      op === config.meta.operations.create.operationId
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
    meta: config.meta,
    schemas: config.schemas,
    checkTaskId(id) {
      return config.taskIdPrefix && !id.startsWith(config.taskIdPrefix) ? errors.invalid(config.meta.operations.get?.operationId) : undefined
    },
    newTaskId(now) {
      const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
      const suffix = [...randomBytes(8)].map((byte) => alphabet[byte % alphabet.length]).join('')
      return `task-unified-${unixSeconds(now)}-${suffix}`
    },
    created(task, ctx) {
      const estimate = ctx.options.estimatedTimeHints ? { estimated_time: Math.ceil(task.durationMs / 1000) } : {}
      const body: FamilyBodies['created'] = {
        created: unixSeconds(task.createdAt),
        id: task.id,
        model: task.model,
        object: 'image.generation.task',
        progress: 0,
        status: 'pending',
        task_info: { can_cancel: true, ...estimate },
        type: 'image',
        usage: { billing_rule: 'per_call', credits_reserved: 1.6, user_group: 'default' },
      }
      return { status: 200, body }
    },
    query: (task, snapshot, ctx) => ({ status: 200, body: taskBody(task, snapshot, ctx) }),
    credits: () => {
      const body: FamilyBodies['credits'] = {
        data: {
          token: { remaining_credits: 99416.4429, unlimited_credits: false, used_credits: 583.5571 },
          user: { remaining_credits: 1095.3996, used_credits: 135.9048 },
        },
        message: '',
        success: true,
      }
      return { status: 200, body }
    },
    callback: {
      // "The body is the same as the task query response."
      payload: taskBody,
    },
    // `param` names the offending field, as the documented 403/404/413 bodies do.
    error: (kind, op, _ctx, detail) => errors[kind](op, detail?.issue?.field),
  }
}
