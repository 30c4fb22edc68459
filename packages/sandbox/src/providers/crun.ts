import { randomUUID } from 'node:crypto'
import type { Task, TaskSnapshot } from '../tasks.js'
import type { TaskPhase } from '../types.js'
import { formatOf, hasImages, seedOf, str, unixSeconds, type ErrorKind, type ProviderWire, type Reply, type WireContext } from './types.js'

const WORDS: Record<TaskPhase, string> = { queued: 'pending', running: 'running', succeeded: 'success', failed: 'failed' }

/** Credits of a finished task: the value of the documented success fixture; failed tasks are free. */
const CREDITS = 6

/** The spec's named examples, by JSON code. */
const MESSAGES: Record<number, string> = {
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
 * Crun (api.crun.ai/api/v1): specs/crun.openapi.yaml. Every answer is the `{code, message, data}` envelope.
 * The docs report failures in the JSON `code` with HTTP 200, so that is the default; `crunHttpErrors` sends the
 * same envelope with the HTTP status equal to the code, the other behaviour the spec models.
 */
export const crun: ProviderWire = {
  id: 'crun',
  auth: 'x-api-key',
  route(method, path, query) {
    if (method === 'POST' && path === '/client/job/CreateTask') return { operation: 'createImageTask' }
    if (method === 'GET' && path === '/client/job/TaskInfo') return { operation: 'getImageTask', taskId: query.get('task_id') ?? '' }
    if (method === 'GET' && path === '/client/account/balance') return { operation: 'getCredits' }
    return undefined
  },
  checkTaskId(id, ctx) {
    return id ? undefined : envelope(422, 'Validation Error - task_id is required', ctx)
  },
  newTaskId: () => randomUUID(),
  describe(body) {
    const input = (body.input ?? {}) as Record<string, unknown>
    return {
      model: String(body.model),
      prompt: String(input.prompt),
      seed: seedOf(body),
      aspectRatio: str(input.aspect_ratio),
      format: formatOf(input.output_format),
      n: 1,
      callbackUrl: str(body.callback_url),
      taskType: hasImages(input.image_urls, input.img_urls) ? 'image2image' : 'text2image',
      body,
    }
  },
  created: (task) => ({ status: 200, body: { code: 200, message: 'success', data: { task_id: task.id } } }),
  query: (task, snapshot, ctx) => ({ status: 200, body: { code: 200, message: 'success', data: taskData(task, snapshot, ctx) } }),
  credits: () => ({ status: 200, body: { code: 200, message: 'success', data: { balance: 1000 } } }),
  callback: {
    // "The payload has the same structure as the `data` object returned by TaskInfo."
    payload: taskData,
    // Undocumented; the sandbox's choice: first delivery at the end, then retries after 5, 30 and 120 seconds.
    scheduleSeconds: [0, 5, 30, 120],
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
        // Crun's documented "Service Unavailable" is code 455 (maintenance).
        return envelope(455, MESSAGES[455]!, ctx)
      case 'badGateway':
        // A gateway in front of Crun answers this one, so it is a real HTTP 502 in either mode.
        return { status: 502, body: { code: 500, message: MESSAGES[500]!, data: null } }
    }
  },
  statusWord: (phase) => WORDS[phase],
}

function envelope(code: number, message: string, ctx: WireContext): Reply {
  return { status: ctx.options.crunHttpErrors ? code : 200, body: { code, message, data: null } }
}

function taskData(task: Task, snapshot: TaskSnapshot, ctx: WireContext): Record<string, unknown> {
  const ended = snapshot.phase === 'succeeded' || snapshot.phase === 'failed'
  const finishedAt = task.finishedAt ?? snapshot.now
  return {
    task_id: task.id,
    provider: 'Google',
    model_version: task.model.replace(/^google\//, ''),
    status: WORDS[snapshot.phase],
    param: { model: task.model, callback_url: task.callbackUrl ?? null, input: task.body.input },
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
