// kie against the sandbox: generate() through kie's status words, signed callbacks (HMAC-SHA256 of
// `taskId.timestamp`), and no cancel operation.
import { META } from '@nano-banana/manifest'
import type { Sandbox } from '@nano-banana/sandbox'
import { afterEach, describe, expect, it } from 'vitest'
import { UnsupportedOperationError } from '../../src/index.js'
import { captureDelivery, replay } from '../reliability/signed-callbacks.js'
import { fastSandbox, sandboxClient } from '../reliability/support.js'

const WORDS = Object.keys(META.kie.statusWords)

describe('kie against the sandbox', () => {
  let sandbox: Sandbox | undefined
  afterEach(async () => {
    await sandbox?.close()
    sandbox = undefined
  })

  it('generate() polls through the status words in order and returns the images', async () => {
    // Long enough for polls every few ms to see the running part (four fifths of the task) even on a busy machine.
    sandbox = await fastSandbox({ taskDurationMs: 1500 })
    const seen: string[] = []
    const result = await sandboxClient(sandbox, 'kie').generate({
      prompt: 'a banana',
      onProgress: (task) => void seen.push((task.raw as { data: { state: string } }).data.state),
    })
    expect(result.images).toHaveLength(1)
    expect(result.usage?.credits).toBeGreaterThan(0)
    // Every word seen is a spec word, in the spec's order, ending with success.
    const order = seen.map((word) => WORDS.indexOf(word))
    expect(order.every((index) => index >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(seen.at(-1)).toBe('success')
    expect(seen).toContain('generating')
  })

  it('a signed callback is accepted; forged, tampered, stale or unsigned ones are refused', async () => {
    sandbox = await fastSandbox({ taskDurationMs: 50 })
    const { delivery, taskId } = await captureDelivery(sandbox, 'kie')
    expect(delivery.headers['x-webhook-signature']).toBeDefined()
    const valid = await replay('kie', delivery)
    expect(valid.status).toBe(200)
    expect(valid.tasks.map((task) => task.taskId)).toEqual([taskId])

    expect((await replay('kie', delivery, { secret: 'not-the-key' })).status).toBe(401)
    expect((await replay('kie', delivery, { secret: undefined })).status).toBe(401)
    // Another task's id under the same signature.
    const otherTask = { ...delivery, body: delivery.body.replace(taskId, `${taskId}x`) }
    expect((await replay('kie', otherTask)).status).toBe(401)
    const forged = { ...delivery, headers: { ...delivery.headers, 'x-webhook-signature': Buffer.alloc(32, 1).toString('base64') } }
    expect((await replay('kie', forged)).status).toBe(401)
    const stale = { ...delivery, headers: { ...delivery.headers, 'x-webhook-timestamp': String(Number(delivery.headers['x-webhook-timestamp']) - 3600) } }
    expect((await replay('kie', stale)).status).toBe(401)
    const { 'x-webhook-signature': _omit, ...unsigned } = delivery.headers
    expect((await replay('kie', { ...delivery, headers: unsigned })).status).toBe(401)
    // The signature does not cover the rest of the body: such a change passes, which is why only a fresh
    // getTask(taskId) is to be trusted after a kie callback.
    const rewritten = { ...delivery, body: delivery.body.replace('"state":"success"', '"state":"fail"') }
    expect((await replay('kie', rewritten)).status).toBe(200)
  })

  it('has no cancel: UnsupportedOperationError, nothing sent', async () => {
    sandbox = await fastSandbox()
    const before = sandbox.requests.length
    await expect(sandboxClient(sandbox, 'kie').cancel('task_1')).rejects.toBeInstanceOf(UnsupportedOperationError)
    expect(sandbox.requests.length).toBe(before)
  })
})
