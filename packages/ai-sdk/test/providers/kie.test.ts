// kie's model ids may contain a slash, which `<provider>/<model>` must keep.
import { describe, expect, it } from 'vitest'
import { createNanoBananaProvider } from '../../src/index.js'

describe('kie model ids', () => {
  it('keep their slash', () => {
    expect(createNanoBananaProvider().image('kie/google/nano-banana-edit').modelId).toBe('google/nano-banana-edit')
  })
})
