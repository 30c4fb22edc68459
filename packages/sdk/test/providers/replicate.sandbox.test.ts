// Replicate against the sandbox: generate() through its status words with the model in the path,
// Standard Webhooks signatures, and cancel (best effort; canceled is terminal).
import { META } from '@nano-banana/manifest'
import type { Sandbox } from '@nano-banana/sandbox'
import { afterEach, describe, expect, it } from 'vitest'
import { TaskFailedError } from '../../src/index.js'
import { captureDelivery, replay } from '../reliability/signed-callbacks.js'
import { fastSandbox, sandboxClient } from '../reliability/support.js'

const WORDS = Object.keys(META.replicate.statusWords)

describe('replicate against the sandbox', () => {
  let sandbox: Sandbox | undefined
  afterEach(async () => {
    await sandbox?.close()
    sandbox = undefined
  })

  it('generate() creates at /models/{owner}/{name}/predictions and polls through the status words', async () => {
    sandbox = await fastSandbox({ taskDurationMs: 1500 })
    const seen: string[] = []
    const result = await sandboxClient(sandbox, 'replicate').generate({
      prompt: 'a banana',
      model: 'google/nano-banana-2',
      resolution: '2K',
      onProgress: (task) => void seen.push((task.raw as { status: string }).status),
    })
    expect(result.images).toHaveLength(1)
    expect(result.images[0]!.expiresAt).toBeInstanceOf(Date)
    const create = sandbox.requests.find((entry) => entry.phase === 'submit')!
    expect(create.path).toBe('/replicate/models/google/nano-banana-2/predictions')
    const order = seen.map((word) => WORDS.indexOf(word))
    expect(order.every((index) => index >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(seen.at(-1)).toBe('succeeded')
    expect(seen).toContain('processing')
  })

  it('cancel ends a running prediction (canceled, terminal) and reports an ended one as not canceled', async () => {
    sandbox = await fastSandbox({ taskDurationMs: 60_000 })
    const nb = sandboxClient(sandbox, 'replicate')
    const { taskId } = await nb.submit({ prompt: 'a banana' })
    await expect(nb.cancel(taskId)).resolves.toEqual({ canceled: true })
    await expect(nb.getTask(taskId)).resolves.toMatchObject({ status: 'canceled' })
    const error = await nb.wait(taskId).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TaskFailedError)
    expect(error).toMatchObject({ taskId, code: 'canceled' })
    // A prediction that already succeeded stays succeeded.
    const quick = sandboxClient(sandbox, 'replicate', { headers: { 'x-sandbox-duration-ms': '20' } })
    const done = await quick.generate({ prompt: 'quick' })
    await expect(quick.cancel(done.taskId)).resolves.toEqual({ canceled: false })
    await expect(quick.getTask(done.taskId)).resolves.toMatchObject({ status: 'succeeded' })
  })

  it('a Standard Webhooks delivery is accepted; forged, tampered, stale or unsigned ones are refused', async () => {
    sandbox = await fastSandbox({ taskDurationMs: 50 })
    const { delivery, taskId } = await captureDelivery(sandbox, 'replicate')
    expect(delivery.headers['webhook-signature']).toMatch(/^v1,/)
    const valid = await replay('replicate', delivery)
    expect(valid.status).toBe(200)
    expect(valid.tasks.map((task) => task.taskId)).toEqual([taskId])

    expect((await replay('replicate', delivery, { secret: 'whsec_bm90LXRoZS1zZWNyZXQ=' })).status).toBe(401)
    expect((await replay('replicate', delivery, { secret: undefined })).status).toBe(401)
    const tampered = { ...delivery, body: delivery.body.replace('"succeeded"', '"failed"') }
    expect(tampered.body).not.toBe(delivery.body)
    expect((await replay('replicate', tampered)).status).toBe(401)
    const forged = { ...delivery, headers: { ...delivery.headers, 'webhook-signature': `v1,${Buffer.alloc(32, 1).toString('base64')}` } }
    expect((await replay('replicate', forged)).status).toBe(401)
    const stale = { ...delivery, headers: { ...delivery.headers, 'webhook-timestamp': String(Number(delivery.headers['webhook-timestamp']) - 3600) } }
    expect((await replay('replicate', stale)).status).toBe(401)
    const { 'webhook-signature': _omit, ...unsigned } = delivery.headers
    expect((await replay('replicate', { ...delivery, headers: unsigned })).status).toBe(401)
  })
})
