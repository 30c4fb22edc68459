import { providerIds } from '@nano-banana/sdk'
import { info, out } from '../output.js'

/** `nano-banana sandbox`: the offline fake of every provider in the foreground, until Ctrl-C. */
export async function sandboxCommand(flags: { port?: string; duration?: string }): Promise<void> {
  const { startSandbox } = await import('@nano-banana/sandbox')
  const sandbox = await startSandbox({
    ...(flags.port ? { port: Number(flags.port) } : {}),
    ...(flags.duration ? { taskDurationMs: Number(flags.duration) * 1000 } : {}),
  })
  out(`sandbox listening on ${sandbox.url} (API key: ${sandbox.apiKey})`)
  for (const id of providerIds) out(`  ${id.padEnd(11)} ${sandbox.baseUrl(id)}`)
  info('Point a client at it, e.g. EVOLINK_API_KEY=sk-sandbox EVOLINK_BASE_URL=<url above>. Ctrl-C stops.')
  await new Promise<void>((resolve) => {
    const stop = () => {
      void sandbox.close().then(resolve)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
