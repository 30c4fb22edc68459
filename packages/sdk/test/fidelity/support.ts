// What the spec-fidelity tests share: a fetch that records what the client sends and answers with a
// body the test chooses, so each test asserts the wire shape of one provider's request or answer.
export interface Captured {
  url: string
  method: string
  body: any
}

export function recordingFetch(answer: (call: Captured) => { status?: number; body: unknown }) {
  const calls: Captured[] = []
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const call = { url: String(input), method: init?.method ?? 'GET', body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined }
    calls.push(call)
    const reply = answer(call)
    return new Response(JSON.stringify(reply.body), { status: reply.status ?? 200, headers: { 'content-type': 'application/json' } })
  }
  return { fetch: fetch as typeof globalThis.fetch, calls }
}

export const BASE = 'https://provider.test'
export const KEY = 'sk-fidelity-test-key'
export const FAST = { polling: { initialDelayMs: 1, minDelayMs: 1, maxDelayMs: 2 }, retry: { submit: { maxRetries: 0 }, poll: { maxRetries: 0 } } }
