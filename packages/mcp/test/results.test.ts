import { NanoBananaError, TaskFailedError, TimeoutError, UnsupportedOptionError, providerIds } from '@nano-banana/sdk'
import { describe, expect, it } from 'vitest'
import { errorResult, redactResult } from '../src/results.js'

const provider = providerIds[0]!
const text = (result: { content: { type: string; text?: string }[] }) =>
  result.content
    .filter((p) => p.type === 'text')
    .map((p) => p.text)
    .join('\n')

describe('tool results for errors', () => {
  it('answers a wait that ran out as "running" with the task id, not as an error', () => {
    const result = errorResult(new TimeoutError('did not finish', { provider, taskId: 't-1' }), provider)
    expect(result.isError).toBeUndefined()
    expect(text(result)).toMatch(/^status: running$/m)
    expect(text(result)).toMatch(/^task_id: t-1$/m)
    expect(text(result)).toContain('wait_task')
  })

  it('refuses an unsupported option as isError without a task id', () => {
    const result = errorResult(new UnsupportedOptionError('aspectRatio "x" is not supported; allowed: a, b', ['a', 'b'], { provider }), provider)
    expect(result.isError).toBe(true)
    expect(text(result)).toMatch(/^UnsupportedOptionError: /)
    expect(text(result)).not.toContain('task_id')
  })

  it('keeps the task id of an accepted task and says not to resubmit it', () => {
    const accepted = errorResult(new NanoBananaError('poll failed', { provider, taskId: 't-2' }), provider)
    expect(accepted.isError).toBe(true)
    expect(text(accepted)).toMatch(/^task_id: t-2$/m)
    expect(text(accepted)).toContain('do not submit it again')

    const failed = errorResult(new TaskFailedError('task t-3 failed: nope', { provider, taskId: 't-3' }), provider)
    expect(text(failed)).toMatch(/^task_id: t-3$/m)
    expect(text(failed)).toContain('ended without images')
  })
})

describe('redactResult', () => {
  it('removes every secret from the text parts and leaves images alone', () => {
    const secret = 'sk-abcdef123456'
    const result = redactResult(
      {
        content: [
          { type: 'text', text: `key ${secret} and again ${secret}` },
          { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
        ],
      },
      [secret],
    )
    expect(text(result)).toBe('key [redacted] and again [redacted]')
    expect(result.content[1]).toEqual({ type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' })
  })
})
