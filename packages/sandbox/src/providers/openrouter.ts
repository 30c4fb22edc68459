import { randomBytes } from 'node:crypto'
import type { CreateImageTaskResponse, ErrorResponse } from '@nano-banana/openrouter'
import { meta } from '@nano-banana/openrouter/meta'
import * as schemas from '@nano-banana/openrouter/schemas'
import type { Task } from '../tasks.js'
import { hasImages, unixSeconds, type ErrorKind, type ProviderWire, type Reply, type WireContext } from './types.js'

const error = (code: number, message: string, errorType?: string, extra: Record<string, string> = {}): Reply => {
  const body: ErrorResponse = { error: { code, message, ...(errorType ? { metadata: { error_type: errorType, ...extra } } : {}) } }
  return { status: code, body }
}

const notApplicable = (): Reply => error(404, 'Not Found')

/**
 * OpenRouter's Image API: specs/openrouter.openapi.yaml. Synchronous: the request is held open until the images
 * exist, then answered with them as `b64_json`. A failed task is the (assumed) answer without images.
 */
export const openrouter: ProviderWire = {
  id: 'openrouter',
  meta,
  schemas,
  newTaskId: (now) => `img-${unixSeconds(now)}-${randomBytes(9).toString('base64url')}`,
  refineRequest: (request, body) => ({ ...request, taskType: hasImages(body.input_references) ? 'image2image' : 'text2image' }),
  created: notApplicable,
  query: notApplicable,
  syncResult(task: Task, ctx: WireContext) {
    const images = task.outcome === 'succeeded' ? task.images : []
    const body: CreateImageTaskResponse = {
      id: task.id,
      created: unixSeconds(task.createdAt),
      data: images.map((image) => ({
        b64_json: Buffer.from(ctx.bytes(image)).toString('base64'),
        media_type: image.format === 'jpeg' ? 'image/jpeg' : 'image/png',
      })),
      usage: { prompt_tokens: 12, completion_tokens: 1290 * images.length, total_tokens: 12 + 1290 * images.length, cost: 0.039 * images.length },
    }
    return { status: 200, body }
  },
  callback: { payload: () => ({}) },
  error(kind: ErrorKind, _op, _ctx, detail) {
    switch (kind) {
      case 'unauthorized':
        return error(401, 'No auth credentials found', 'authentication')
      case 'invalid':
        return error(400, detail?.issue?.message ?? 'Invalid request', 'invalid_request')
      case 'modelNotFound':
        return error(404, `Model ${detail?.model ?? ''} not found`)
      case 'taskNotFound':
      case 'routeNotFound':
        return notApplicable()
      case 'rateLimited':
        return error(429, 'Rate limit exceeded', 'rate_limit_exceeded')
      case 'serverError':
        return error(500, 'Internal Server Error')
      case 'badGateway':
        return error(502, 'Provider returned error', 'provider_unavailable', { provider_name: 'Google AI Studio', provider_code: 'UNAVAILABLE' })
      case 'unavailable':
        // No 503 is documented; 529 is OpenRouter's "provider overloaded".
        return error(529, 'Provider is overloaded', 'provider_overloaded')
    }
  },
}
