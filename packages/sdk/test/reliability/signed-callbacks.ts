// What the signed-callback tests of a provider share: capture one real delivery of the sandbox (which signs
// with its webhook secret), then replay it, altered or not, to a callbacks handler.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DEFAULT_WEBHOOK_SECRET, type Sandbox } from '@nano-banana/sandbox'
import { createCallbackHandler } from '../../src/callbacks.js'
import type { ProviderId, Task } from '../../src/index.js'
import { sandboxClient } from './support.js'

export interface Delivery {
  headers: Record<string, string>
  body: string
}

/** Submits a task with a callback to a local receiver and resolves with the first delivery as it arrived. */
export async function captureDelivery(sandbox: Sandbox, provider: ProviderId): Promise<{ delivery: Delivery; taskId: string }> {
  let resolve!: (delivery: Delivery) => void
  const arrived = new Promise<Delivery>((r) => (resolve = r))
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]))
      res.writeHead(200).end('{}')
      resolve({ headers, body: Buffer.concat(chunks).toString('utf8') })
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  try {
    const { port } = server.address() as AddressInfo
    const { taskId } = await sandboxClient(sandbox, provider).submit({ prompt: 'signed', callbackUrl: `http://127.0.0.1:${port}/hook` })
    return { delivery: await arrived, taskId }
  } finally {
    server.closeAllConnections()
    await new Promise<void>((r) => server.close(() => r()))
  }
}

/** Replays a delivery to a fresh handler; resolves with its HTTP status and the tasks it reported. */
export async function replay(
  provider: ProviderId,
  delivery: Delivery,
  options: { secret?: string; toleranceSeconds?: number } = {},
): Promise<{ status: number; tasks: Task[] }> {
  const tasks: Task[] = []
  const handler = createCallbackHandler({
    provider,
    ...('secret' in options ? (options.secret === undefined ? {} : { webhookSecret: options.secret }) : { webhookSecret: DEFAULT_WEBHOOK_SECRET }),
    ...(options.toleranceSeconds !== undefined ? { toleranceSeconds: options.toleranceSeconds } : {}),
    onTask: (task) => void tasks.push(task),
  })
  const response = await handler(new Request('https://hooks.example.com/nb', { method: 'POST', headers: delivery.headers, body: delivery.body }))
  return { status: response.status, tasks }
}
