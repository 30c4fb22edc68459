// Replicate's own model ids: they contain a slash, which `<provider>/<model>` must keep.
import { describe, expect, it } from 'vitest'
import { createNanoBananaProvider } from '../../src/index.js'

describe('replicate model ids', () => {
  it('keep their slash', () => {
    expect(createNanoBananaProvider().image('replicate/google/nano-banana-2').modelId).toBe('google/nano-banana-2')
  })
})
