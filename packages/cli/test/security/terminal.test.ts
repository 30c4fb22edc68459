// Security, issue 15 item 11: provider-controlled strings (task ids, messages, URLs, warnings) reach the
// terminal without control characters or escape sequences; `--json` stays exact JSON of the same values.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { providerIds, providers } from '@nano-banana/sdk'
import { startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { startTestServer } from '@nano-banana/testkit'
import { statusCommand } from '../../src/commands/tasks.js'
import { field, outJson, sanitize } from '../../src/output.js'

const ESC = '\u001b'
/** Escape sequences and controls a malicious provider puts in its strings. */
const ATTACKS: [string, string][] = [
  ['window title (OSC 0)', `${ESC}]0;pwned\u0007`],
  ['hyperlink (OSC 8)', `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`],
  ['screen clear', `${ESC}[2J${ESC}[H`],
  ['colour', `${ESC}[31mred${ESC}[0m`],
  ['cursor up and erase line (fake lines)', `${ESC}[1A${ESC}[2K`],
  ['carriage return overwrite', '\rsucceeded'],
  ['one-byte CSI (C1)', '\u009b2J'],
  ['bell and backspace', '\u0007\u0008\u0008'],
  ['bidi override', '\u202egnp.exe'],
  ['line separator', '\u2028fake'],
  ['DEL and NUL', '\u007f\u0000'],
]
// biome-ignore lint/suspicious/noControlCharactersInRegex: the assertion looks for control characters.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

describe('sanitize / field', () => {
  it.each(ATTACKS)('%s: nothing a terminal acts on is left', (_, attack) => {
    const text = `task-1 ${attack} done`
    expect(sanitize(text)).not.toMatch(CONTROL)
    expect(field(text)).not.toMatch(CONTROL)
    expect(sanitize(text)).toMatch(/^task-1 .*done$/)
  })

  it('field() also folds line breaks (no forged lines); sanitize() keeps the CLI’s own newlines', () => {
    expect(field('a\nstatus: succeeded')).toBe('a status: succeeded')
    expect(sanitize('line 1\nline 2')).toBe('line 1\nline 2')
  })
})

describe('--json stays exact JSON', () => {
  const written: string[] = []
  afterEach(() => {
    vi.restoreAllMocks()
    written.length = 0
  })
  it.each(ATTACKS)('%s: JSON.parse gives the provider’s exact string; no raw control character is written', (_, attack) => {
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk))
      return true
    })
    const value = { taskId: `t-${attack}`, urls: [`https://cdn.example/${attack}`] }
    outJson(value)
    expect(written.join('')).not.toMatch(CONTROL)
    expect(JSON.parse(written.join(''))).toEqual(value)
  })
})

describe('nano-banana status against a provider that answers with escape sequences', () => {
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    vi.restoreAllMocks()
    await Promise.all(cleanups.splice(0).map((fn) => fn()))
  })

  // `status` queries a task: a synchronous provider has none (its getTask refuses; the CLI says so).
  it.each(providerIds.filter((id) => !providers[id].synchronous))('%s: the printed task id, URLs and reason carry no control characters', async (provider) => {
    const sandbox: Sandbox = await startSandbox({ apiKey: 'sk-sandbox', taskDurationMs: 1, imageLongSide: 16 })
    cleanups.push(() => sandbox.close())
    // A malicious proxy in front of the sandbox: every JSON string of its answers gets an escape payload.
    const payload = ATTACKS.map(([, a]) => a).join('')
    const proxy = await startTestServer({
      handle: async (request) => {
        const upstream = await fetch(`${new URL(sandbox.baseUrl(provider)).origin}${request.url}`, {
          method: request.method,
          headers: Object.fromEntries(Object.entries(request.headers).filter(([k]) => k !== 'host' && k !== 'content-length')) as Record<string, string>,
          ...(request.method === 'GET' ? {} : { body: new Uint8Array(request.bytes) }),
        })
        const text = await upstream.text()
        // Every URL string gets the payload, also inside JSON carried as a string (a provider may nest its result that way).
        const poison = (value: unknown): unknown => {
          if (typeof value === 'string') {
            if (/^https?:/.test(value)) return `${value}${payload}`
            if (/^[[{]/.test(value)) {
              try {
                return JSON.stringify(poison(JSON.parse(value)))
              } catch {
                return value
              }
            }
            return value
          }
          if (Array.isArray(value)) return value.map(poison)
          if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v)]))
          return value
        }
        let poisoned = text
        try {
          poisoned = JSON.stringify(poison(JSON.parse(text)))
        } catch {}
        return { status: upstream.status, headers: { 'content-type': 'application/json' }, body: poisoned }
      },
    })
    cleanups.push(() => proxy.close())
    const base = `${proxy.url}${new URL(sandbox.baseUrl(provider)).pathname}`.replace(/\/$/, '')
    const { createNanoBanana } = await import('@nano-banana/sdk')
    const nb = createNanoBanana({ provider, apiKey: 'sk-sandbox', baseUrl: sandbox.baseUrl(provider), polling: { initialDelayMs: 5, minDelayMs: 5 } })
    const { taskId } = await nb.submit({ prompt: 'escape me' })
    await nb.wait(taskId)
    const printed: string[] = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk))
      return true
    })
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk))
      return true
    })
    await statusCommand(taskId, { provider, apiKey: 'sk-sandbox', baseUrl: base })
    const output = printed.join('')
    expect(output).toContain(taskId)
    // The URLs were printed (with their payload removed).
    expect(output).toMatch(/https?:\/\//)
    expect(output.replace(/\n/g, '')).not.toMatch(CONTROL)
    expect(output).not.toContain(']0;pwned')
  })
})
