import { createHmac, randomBytes } from 'node:crypto'
import type { ErrorResponse, Prediction } from '@nano-banana/replicate'
import { meta } from '@nano-banana/replicate/meta'
import * as schemas from '@nano-banana/replicate/schemas'
import type { Task, TaskSnapshot } from '../tasks.js'
import type { ErrorKind, ProviderWire, Reply, WireContext } from './types.js'

const PROBLEM = { 'content-type': 'application/problem+json' }

const problem = (status: number, title: string | undefined, detail: string): Reply => {
  const body: ErrorResponse = { ...(title ? { title } : {}), detail, status }
  return { status, body, headers: PROBLEM }
}

/** The spec's word for a canceled prediction. */
const CANCELED = Object.keys(meta.statusWords).find((word) => meta.statusWords[word as keyof typeof meta.statusWords] === 'canceled') as Prediction['status']

/**
 * Replicate (api.replicate.com/v1): specs/replicate.openapi.yaml. The model is in the create path; answers are
 * the prediction (201 on create), `output` one URI string; errors are problem+json; webhooks are signed with
 * Standard Webhooks using the sandbox's `whsec_` webhook secret.
 */
export const replicate = {
  id: 'replicate',
  meta,
  schemas,
  newTaskId: () => randomBytes(16).toString('hex').slice(0, 26),
  created(task, ctx) {
    return { status: 201, body: prediction(task, { phase: 'queued', progress: 0, now: task.createdAt }, ctx) }
  },
  query(task, snapshot, ctx) {
    return { status: 200, body: prediction(task, snapshot, ctx) }
  },
  cancel(task, _snapshot, ctx, end) {
    return { status: 200, body: prediction(task, end(), ctx) }
  },
  callback: {
    payload: prediction,
    headers(task, now, body, secret) {
      const id = `msg_${task.id}`
      const timestamp = String(Math.floor(now / 1000))
      const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
      const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
      return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` }
    },
  },
  error(kind: ErrorKind, _op, _ctx, detail) {
    switch (kind) {
      case 'unauthorized':
        return problem(401, 'Unauthenticated', 'You did not pass a valid authentication token')
      case 'invalid':
        return problem(422, 'Input validation failed', `- ${detail?.issue?.message ?? 'invalid input'}`)
      case 'modelNotFound':
      case 'taskNotFound':
      case 'routeNotFound':
        return problem(404, 'Not found', 'The requested resource could not be found.')
      case 'rateLimited':
        return problem(429, undefined, 'Request was throttled. Your rate limit resets in ~1s.')
      case 'serverError':
        return problem(500, 'Internal server error', 'An unexpected error occurred.')
      case 'badGateway':
        return problem(502, 'Bad gateway', 'The upstream server did not answer.')
      case 'unavailable':
        return problem(503, 'Service unavailable', 'Replicate is temporarily unavailable.')
    }
  },
} satisfies ProviderWire

function prediction(task: Task, snapshot: TaskSnapshot, ctx: WireContext): Prediction {
  const ended = snapshot.phase === 'succeeded' || snapshot.phase === 'failed'
  const iso = (ms: number) => new Date(ms).toISOString()
  const status = (task.canceled ? CANCELED : ctx.word(snapshot.phase)) as Prediction['status']
  return {
    id: task.id,
    model: task.model,
    version: 'hidden',
    input: task.body.input as Record<string, unknown>,
    logs: '',
    output: snapshot.phase === 'succeeded' ? (task.images.length === 1 ? ctx.fileUrl(task.images[0]!) : task.images.map(ctx.fileUrl)) : null,
    error: snapshot.phase === 'failed' && !task.canceled ? 'The input or output was flagged as sensitive. Please try again with different inputs. (E005)' : null,
    status,
    source: 'api',
    data_removed: false,
    created_at: iso(task.createdAt),
    started_at: snapshot.phase === 'queued' ? null : iso(task.createdAt + task.durationMs * 0.2),
    completed_at: ended ? iso(task.finishedAt ?? snapshot.now) : null,
    webhook: task.callbackUrl ?? null,
    ...(ended ? { metrics: { predict_time: (task.durationMs * 0.8) / 1000, total_time: task.durationMs / 1000 } } : {}),
  }
}
