import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { once, WaitTimeoutError, waitFor } from '../src/index.js'

describe('waitFor', () => {
  it('resolves with the first value that is not undefined, null or false', async () => {
    let calls = 0
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined))
    expect(value).toEqual({ calls: 3 })
    expect(await waitFor(() => 0)).toBe(0)
    expect(await waitFor(async () => 'async')).toBe('async')
  })

  it('times out with what it waited for and the context', async () => {
    const error = await waitFor(() => false, { timeoutMs: 20, what: 'the callback', context: () => ({ hits: 0 }) }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect(String(error)).toMatch(/timed out after 20 ms waiting for the callback: \{"hits":0\}/)
  })
})

describe('once', () => {
  it('resolves with the first matching event of an EventEmitter and removes its listeners', async () => {
    const emitter = new EventEmitter()
    const next = once<number>(emitter, 'tick', { filter: (n) => n > 1 })
    emitter.emit('tick', 1)
    emitter.emit('tick', 2)
    expect(await next).toBe(2)
    expect(emitter.listenerCount('tick')).toBe(0)
    expect(emitter.listenerCount('error')).toBe(0)
  })

  it('rejects on an error event and on timeout', async () => {
    const emitter = new EventEmitter()
    const failing = once(emitter, 'done')
    emitter.emit('error', new Error('broken'))
    await expect(failing).rejects.toThrow('broken')
    await expect(once(emitter, 'done', { timeoutMs: 10 })).rejects.toThrow(/waiting for event 'done'/)
    expect(emitter.listenerCount('done')).toBe(0)
  })

  it('works with an EventTarget', async () => {
    const target = new EventTarget()
    const next = once<Event>(target, 'ping')
    target.dispatchEvent(new Event('ping'))
    expect((await next).type).toBe('ping')
  })
})
