import { randomBytes } from 'node:crypto'
import type { CreateImageTaskResponse, ErrorResponse } from '@nano-banana/gemini'
import { meta } from '@nano-banana/gemini/meta'
import * as schemas from '@nano-banana/gemini/schemas'
import type { Task } from '../tasks.js'
import { hasImages, type ErrorKind, type ProviderWire, type Reply, type WireContext } from './types.js'

type Status = ErrorResponse['error']['status']

const error = (code: number, status: Status, message: string, details?: ErrorResponse['error']['details']): Reply => {
  const body: ErrorResponse = { error: { code, message, status, ...(details ? { details } : {}) } }
  return { status: code, body }
}

const parts = (body: Record<string, unknown>): Record<string, unknown>[] => {
  const contents = Array.isArray(body.contents) ? body.contents : []
  const first = contents[0] as { parts?: unknown } | undefined
  return Array.isArray(first?.parts) ? (first.parts.filter((p) => p && typeof p === 'object') as Record<string, unknown>[]) : []
}

const known = (model: string) => Object.hasOwn(meta.models, model) || Object.hasOwn(meta.modelAliases, model)

/** No answer yet: the same refusal whichever operation was asked (a synchronous API has no task to query). */
const notApplicable = (): Reply => error(404, 'NOT_FOUND', 'Method not found.')

/**
 * Google's Gemini API: specs/gemini.openapi.yaml. Synchronous: the request is held open until the images
 * exist, then answered with them inline (base64 PNG/JPEG bytes the sandbox rendered) and a `thoughtSignature`.
 * The model is the path parameter; an unknown one is Google's 404. A failed task is the documented
 * `IMAGE_SAFETY` answer (200, empty parts). An invalid key is Google's 400 `API_KEY_INVALID`.
 */
export const gemini: ProviderWire = {
  id: 'gemini',
  meta,
  schemas,
  newTaskId: () => randomBytes(16).toString('base64url').slice(0, 22),
  checkModel: (model) =>
    known(model) ? undefined : error(404, 'NOT_FOUND', `models/${model} is not found for API version v1beta, or is not supported for generateContent.`),
  refineRequest(request, body) {
    const all = parts(body)
    const prompt = all.map((part) => part.text).find((text) => typeof text === 'string')
    return { ...request, prompt: String(prompt ?? ''), taskType: hasImages(...all.map((part) => part.inlineData)) ? 'image2image' : 'text2image' }
  },
  created: notApplicable,
  query: notApplicable,
  syncResult(task: Task, ctx: WireContext) {
    const base = { modelVersion: task.model, responseId: task.id }
    if (task.outcome !== 'succeeded') {
      const body: CreateImageTaskResponse = { candidates: [{ content: { role: 'model', parts: [] }, finishReason: 'IMAGE_SAFETY', index: 0 }], ...base }
      return { status: 200, body }
    }
    const images = task.images.map((image) => ({
      inlineData: { mimeType: image.format === 'jpeg' ? 'image/jpeg' : 'image/png', data: Buffer.from(ctx.bytes(image)).toString('base64') },
      thoughtSignature: randomBytes(24).toString('base64'),
    }))
    const body: CreateImageTaskResponse = {
      candidates: [{ content: { role: 'model', parts: [{ text: 'Here is your image.' }, ...images] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 1290, totalTokenCount: 1302 },
      ...base,
    }
    return { status: 200, body }
  },
  callback: { payload: () => ({}) },
  error(kind: ErrorKind, _op, _ctx, detail) {
    switch (kind) {
      case 'unauthorized':
        return error(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
        ])
      case 'invalid':
        return error(400, 'INVALID_ARGUMENT', `Invalid JSON payload received. ${detail?.issue?.message ?? ''}`.trim())
      case 'modelNotFound':
        return error(404, 'NOT_FOUND', `models/${detail?.model ?? ''} is not found for API version v1beta, or is not supported for generateContent.`)
      case 'taskNotFound':
      case 'routeNotFound':
        return notApplicable()
      case 'rateLimited':
        return error(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.', [
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' },
        ])
      case 'serverError':
        return error(500, 'INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting')
      case 'badGateway':
        // Google documents no 502; a front end in between may answer one.
        return error(502, 'UNAVAILABLE', 'Bad gateway.')
      case 'unavailable':
        return error(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.')
    }
  },
}
