import { randomBytes } from 'node:crypto'
import type { CreateImageTaskResponse, ErrorResponse, ImageTask, ImageTaskResponse, ImagesResponse, OpenAiErrorResponse } from '@nano-banana/uniall'
import { meta } from '@nano-banana/uniall/meta'
import * as schemas from '@nano-banana/uniall/schemas'
import type { Task, TaskSnapshot } from '../tasks.js'
import { unixSeconds, type ErrorKind, type Operation, type ProviderWire, type Reply, type WireContext } from './types.js'

const FAILED_ERROR = { code: 'upstream_error', message: 'The upstream model rejected the request.' }

/** The synchronous OpenAI-compatible endpoints (every operation besides the task create and query). */
const isOpenAi = (op: Operation | undefined): boolean => op !== undefined && op !== meta.operations.create.operationId && op !== meta.operations.get.operationId

/** Task endpoints: `{code, message, data}` with a string code (spec's assumed envelope). */
const envelope = (status: number, code: string, message: string): Reply => {
  const body: ErrorResponse = { code, message, data: null }
  return { status, body }
}

/** OpenAI-compatible endpoints: OpenAI's `{error: {...}}`. */
const openAi = (status: number, code: string, message: string, type: string, param: string | null = null): Reply => {
  const body: OpenAiErrorResponse = { error: { message, type, param, code } }
  return { status, body }
}

/**
 * UniAll: specs/uniall.openapi.yaml. The async task flow plus the synchronous OpenAI-compatible endpoints.
 * `n` > 1 gives n images: `result_url` is the first (the documented field) and `result_urls` lists all, since
 * the docs do not say how several results come back. A `callback_url` is accepted (the request schema is open)
 * although UniAll documents none; the payload is then the query envelope, on the sandbox's default schedule.
 */
export const uniall: ProviderWire = {
  id: 'uniall',
  meta,
  schemas,
  undocumentedCallbackField: 'callback_url',
  // Model ids vary by account (the spec leaves them open); the sandbox's account has every documented
  // family, as the family id or one of its concrete ids (`<family>-<suffix>`).
  checkModel(model, operation, ctx) {
    const known = Object.keys(meta.models).some((family) => model === family || model.startsWith(`${family}-`))
    return known
      ? undefined
      : uniall.error('modelNotFound', operation, ctx, { issue: { path: '/model', field: 'model', keyword: 'enum', message: 'model not enabled' }, model })
  },
  newTaskId: () => `task_${randomBytes(12).toString('hex')}`,
  refineRequest(request, body, operation) {
    const taskType = body.task_type === 'text2image' || body.task_type === 'image2image' ? body.task_type : undefined
    const edit = operation === 'createImageEdit' || request.taskType === 'image2image'
    return { ...request, taskType: taskType ?? (edit ? 'image2image' : 'text2image') }
  },
  created(task) {
    const body: CreateImageTaskResponse = { code: 'success', message: '', data: { task_id: task.id, status: 'queued', progress: '0%' } }
    return { status: 200, body }
  },
  query: (task, snapshot, ctx) => ({ status: 200, body: queryBody(task, snapshot, ctx) }),
  syncResult(task, ctx) {
    if (task.outcome !== 'succeeded') return openAi(500, 'upstream_error', FAILED_ERROR.message, 'server_error')
    const body: ImagesResponse = { created: unixSeconds(task.finishedAt ?? task.createdAt), data: task.images.map((image) => ({ url: ctx.fileUrl(image) })) }
    return { status: 200, body }
  },
  callback: {
    payload: queryBody,
  },
  error(kind: ErrorKind, op, _ctx, detail) {
    if (isOpenAi(op)) {
      switch (kind) {
        case 'unauthorized':
          return openAi(401, 'invalid_api_key', 'Invalid API key', 'invalid_request_error')
        case 'invalid':
        case 'modelNotFound':
          return openAi(400, 'invalid_request', detail?.issue?.message ?? 'Invalid request', 'invalid_request_error', detail?.issue?.field ?? null)
        case 'rateLimited':
          return openAi(429, 'rate_limit_exceeded', 'Too many requests, please retry later', 'rate_limit_error')
        case 'badGateway':
          return openAi(502, 'upstream_error', 'Bad gateway', 'server_error')
        case 'unavailable':
          return openAi(503, 'service_unavailable', 'Service temporarily unavailable', 'server_error')
        case 'taskNotFound':
        case 'routeNotFound':
          return openAi(404, 'not_found', 'Not found', 'invalid_request_error')
        case 'serverError':
          return openAi(500, 'internal_error', 'Internal server error', 'server_error')
      }
    }
    switch (kind) {
      case 'unauthorized':
        return envelope(401, 'unauthorized', 'Invalid API key')
      case 'invalid':
      case 'modelNotFound':
        // The spec's example for a model id the account cannot use.
        if (detail?.issue?.field === 'model' && detail.model !== undefined) {
          return envelope(400, 'model_not_found', `Model ${detail.model} is not enabled for this account`)
        }
        return envelope(400, 'invalid_request', detail?.issue?.message ?? 'Invalid request')
      case 'taskNotFound':
        return envelope(404, 'task_not_found', `Task ${detail?.taskId ?? ''} not found`)
      case 'routeNotFound':
        return envelope(404, 'not_found', 'Not found')
      case 'rateLimited':
        return envelope(429, 'rate_limit_exceeded', 'Too many requests, please retry later')
      case 'serverError':
        return envelope(500, 'internal_error', 'Internal server error')
      case 'badGateway':
        return envelope(502, 'upstream_error', 'Bad gateway')
      case 'unavailable':
        return envelope(503, 'service_unavailable', 'Service temporarily unavailable, please retry later')
    }
  },
}

/** The sandbox's addition: every URL when `n` > 1 (the docs show only `result_url`). */
type Task_ = ImageTask & { result_urls?: string[] }

function queryBody(task: Task, snapshot: TaskSnapshot, ctx: WireContext): ImageTaskResponse & { data: Task_ } {
  const succeeded = snapshot.phase === 'succeeded'
  const urls = succeeded ? task.images.map(ctx.fileUrl) : []
  return {
    code: 'success',
    message: '',
    data: {
      task_id: task.id,
      status: ctx.word(snapshot.phase) as ImageTask['status'],
      progress: `${snapshot.phase === 'failed' ? 100 : snapshot.progress}%`,
      result_url: urls[0] ?? null,
      ...(succeeded ? { result_urls: urls } : {}),
      metadata: { task_type: task.taskType, result_count: urls.length },
      error: snapshot.phase === 'failed' ? FAILED_ERROR : null,
    },
  }
}
