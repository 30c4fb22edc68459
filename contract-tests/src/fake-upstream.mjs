// A fake provider on 127.0.0.1 for testing the `prism proxy` path without a real key: it answers
// EvoLink-shaped requests, correctly for credits and task creation, and with a body that breaks the
// spec for task queries (numeric `id`, unknown `status`), which Prism proxy --errors must catch.
import { createServer } from 'node:http'

export const FAKE_UPSTREAM_KEY = 'fake-upstream-key'

export function startFakeUpstream() {
  const requests = []
  const server = createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, authorization: req.headers.authorization })
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    req.resume()
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname
      if (path === '/__requests') return send(200, requests.filter((r) => r.url !== '/__requests'))
      if (req.headers.authorization !== `Bearer ${FAKE_UPSTREAM_KEY}`) {
        return send(401, { error: { code: 401, message: 'Invalid or expired token', type: 'authentication_error' } })
      }
      if (req.method === 'GET' && path.endsWith('/v1/credits')) {
        return send(200, { success: true, message: '', data: { user: { remaining_credits: 12.5, used_credits: 1 }, token: { remaining_credits: 3, unlimited_credits: false, used_credits: 0 } } })
      }
      if (req.method === 'POST' && path.endsWith('/v1/images/generations')) {
        return send(200, { id: 'task-unified-1757165031-fake0001', status: 'pending', object: 'image.generation.task', progress: 0, created: 1757165031, model: 'nano-banana-2-lite', type: 'image' })
      }
      if (req.method === 'GET' && /\/v1\/tasks\/[^/]+$/.test(path)) {
        // Drift: `id` became a number and `status` has a word the spec does not list.
        return send(200, { id: 42, status: 'done', progress: 100, object: 'image.generation.task' })
      }
      send(404, { error: { code: 404, message: 'not found', type: 'not_found_error' } })
    })
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () => new Promise((r) => server.close(() => r(undefined))),
      })
    })
  })
}
