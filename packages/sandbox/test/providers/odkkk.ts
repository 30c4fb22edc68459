import { expect, it } from 'vitest'
import { generationTaskFixture } from './generation-task-family.js'

export const fixture = generationTaskFixture({
  unknownModel: { status: 400 },
  unknownTaskId: 'unknown-task',
  ownTests({ sandbox, DRIVERS, call }) {
    it('documents no task id pattern: any unknown id is simply not found (404)', async () => {
      const answer = await call(sandbox(), 'odkkk', 'getImageTask', DRIVERS.odkkk.queryPath('abc'))
      expect(answer.status).toBe(404)
    })
  },
})
