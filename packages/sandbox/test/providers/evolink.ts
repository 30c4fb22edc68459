import { expect, it } from 'vitest'
import { generationTaskFixture } from './generation-task-family.js'

export const fixture = generationTaskFixture({
  unknownModel: { status: 404, body: /model_not_found|Specified model not found/ },
  // EvoLink checks the `task-unified-` prefix first (HTTP 400), so an unknown id needs it.
  unknownTaskId: 'task-unified-0-unknown',
  ownTests({ sandbox, DRIVERS, call }) {
    it('rejects a query id without the task-unified- prefix (400)', async () => {
      const answer = await call(sandbox(), 'evolink', 'getImageTask', DRIVERS.evolink.queryPath('abc'))
      expect(answer.status).toBe(400)
      expect(answer.body.error.param).toBe('task_id')
    })
  },
})
