// UniAll's own adapter behaviour: the resolution travels in its model tier name.
import { imageInfo } from '@nano-banana/testkit'
import { generateImage } from 'ai'
import { describe, expect, it } from 'vitest'
import { metadataOf, useSandbox } from '../support.js'

const context = useSandbox()

describe('uniall provider options', () => {
  it('passes resolution, outputFormat and raw body fields through', async () => {
    const result = await generateImage({
      model: context.nanoBanana.image('uniall/NanoBanana2'),
      prompt: 'A banana',
      aspectRatio: '4:3',
      providerOptions: { 'nano-banana': { resolution: '2K', outputFormat: 'jpeg' } },
    })
    const info = imageInfo(result.images[0]!.uint8Array)
    expect(info.format).toBe('jpeg')
    expect(result.images[0]!.mediaType).toBe('image/jpeg')
    expect(info.width / info.height).toBeCloseTo(4 / 3, 1)
    const task = context.sandbox.tasks.get('uniall', metadataOf(result.providerMetadata).images[0]!.taskId)
    // UniAll encodes the resolution in its model tier name.
    expect(task).toMatchObject({ model: 'NanoBanana2-2K', format: 'jpeg', prompt: 'A banana' })
  })
})
