import { expect } from 'vitest'
import type { Fixture } from '../helpers/fixture.js'

/** The fixture shared by the members of the `image.generation.task` API family (src/providers/generation-task-family.ts). */
export function generationTaskFixture(overrides: Pick<Fixture, 'unknownModel' | 'unknownTaskId' | 'ownTests'>): Fixture {
  return {
    ...overrides,
    idOf: (created) => created.id,
    statusOf: (queried) => queried.status,
    urlsOf: (queried) => queried.results ?? [],
    codeOf: (body) => body?.error?.code,
    refusals: { 'rate-limit': [429, 429], 'server-error': [500, 500], 'bad-gateway': [502, 502], unavailable: [503, 503] },
    missingPrompt: { error: { code: 400, message: 'Invalid request parameters', type: 'invalid_request_error', param: 'prompt' } },
    checkFailed: (last) => expect(last.error.code).toBe('content_policy_violation'),
    checkLifecycle(created, answers, task) {
      // The real duration rounded up to whole seconds.
      expect(created.task_info.estimated_time).toBe(Math.ceil(task.durationMs / 1000))
      const progress = answers.map((answer) => answer.progress as number)
      expect(progress.every(Number.isInteger)).toBe(true)
      expect(progress).toEqual([...progress].sort((a, b) => a - b))
      expect(progress[0]).toBe(0)
      expect(progress.at(-1)).toBe(100)
      expect(progress.some((value) => value > 0 && value < 100)).toBe(true)
    },
    taskIdPattern: /^task-unified-\d+-[a-z0-9]{8}$/,
    estimateOf: (created) => created.task_info?.estimated_time,
    undocumentedFaultStatuses: [],
  }
}
