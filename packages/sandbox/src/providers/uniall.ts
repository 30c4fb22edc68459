import { randomBytes } from 'node:crypto'
import type { Task, TaskSnapshot } from '../tasks.js'
import type { TaskPhase } from '../types.js'
import { formatOf, hasImages, seedOf, str, unixSeconds, type ErrorKind, type Operation, type ProviderWire, type Reply, type WireContext } from './types.js'

const WORDS: Record<TaskPhase, string> = { queued: 'queued', running: 'running', succeeded: 'succeeded', failed: 'failed' }

const FAILED_ERROR = { code: 'upstream_error', message: 'The upstream model rejected the request.' }

const isOpenAi = (op: Operation | undefined): boolean => op === 'createImageGeneration' || op === 'createImageEdit'

/** Task endpoints: `{code, message, data}` with a string code (spec's assumed envelope). */
const envelope = (status: number, code: string, message: string): Reply => ({ status, body: { code, message, data: null } })

/** OpenAI-compatible endpoints: OpenAI's `{error: {...}}`. */
const openAi = (status: number, code: string, message: string, type: string, param: string | null = null): Reply => ({
  status,
  body: { error: { message, type, param, code } },
})

/**
 * UniAll: specs/uniall.openapi.yaml. The async task flow plus the synchronous OpenAI-compatible endpoints.
 * `n` > 1 gives n images: `result_url` is the first (the documented field) and `result_urls` lists all, since
 * the docs do not say how several results come back. A `callback_url` is accepted (the request schema is open)
 * although UniAll documents none; the payload is then the query envelope.
 */
export const uniall: ProviderWire = {
  id: 'uniall',
  auth: 'bearer',
  route(method, path) {
    if (method === 'POST' && path === '/v1/images/tasks') return { operation: 'createImageTask' }
    if (method === 'POST' && path === '/v1/images/generations') return { operation: 'createImageGeneration' }
    if (method === 'POST' && path === '/v1/images/edits') return { operation: 'createImageEdit' }
    const match = /^\/v1\/images\/tasks\/([^/]+)$/.exec(path)
    if (method === 'GET' && match) return { operation: 'getImageTask', taskId: decodeURIComponent(match[1]!) }
    return undefined
  },
  newTaskId: () => `task_${randomBytes(12).toString('hex')}`,
  describe(body, operation) {
    const n = typeof body.n === 'number' && body.n >= 1 ? Math.floor(body.n) : 1
    const taskType = body.task_type === 'text2image' || body.task_type === 'image2image' ? body.task_type : undefined
    return {
      model: String(body.model),
      prompt: String(body.prompt),
      seed: seedOf(body),
      aspectRatio: str(body.aspect_ratio),
      // webp is a valid request, but the sandbox only encodes PNG and JPEG: webp requests get PNG.
      format: formatOf(body.output_format),
      n,
      callbackUrl: str(body.callback_url),
      taskType: taskType ?? (operation === 'createImageEdit' || hasImages(body.image, body.images) ? 'image2image' : 'text2image'),
      body,
    }
  },
  created: (task) => ({
    status: 200,
    body: { code: 'success', message: '', data: { task_id: task.id, status: 'queued', progress: '0%' } },
  }),
  query: (task, snapshot, ctx) => ({ status: 200, body: queryBody(task, snapshot, ctx) }),
  syncResult(task, ctx) {
    if (task.outcome !== 'succeeded') return openAi(500, 'upstream_error', FAILED_ERROR.message, 'server_error')
    return {
      status: 200,
      body: { created: unixSeconds(task.finishedAt ?? task.createdAt), data: task.images.map((image) => ({ url: ctx.fileUrl(image) })) },
    }
  },
  callback: {
    payload: queryBody,
    // Undocumented; the sandbox's choice: first delivery at the end, then retries after 5, 30 and 120 seconds.
    scheduleSeconds: [0, 5, 30, 120],
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
  statusWord: (phase) => WORDS[phase],
}

function queryBody(task: Task, snapshot: TaskSnapshot, ctx: WireContext): Record<string, unknown> {
  const succeeded = snapshot.phase === 'succeeded'
  const urls = succeeded ? task.images.map(ctx.fileUrl) : []
  return {
    code: 'success',
    message: '',
    data: {
      task_id: task.id,
      status: WORDS[snapshot.phase],
      progress: `${snapshot.phase === 'failed' ? 100 : snapshot.progress}%`,
      result_url: urls[0] ?? null,
      ...(succeeded ? { result_urls: urls } : {}),
      metadata: { task_type: task.taskType, result_count: urls.length },
      error: snapshot.phase === 'failed' ? FAILED_ERROR : null,
    },
  }
}
