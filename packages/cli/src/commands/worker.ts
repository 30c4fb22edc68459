import { createBatchWorker } from '@nano-banana/queue'
import { connect, providerOf } from '../connect.js'
import { InputError, positiveInt, positiveSeconds } from '../exit.js'
import { field, info } from '../output.js'

export interface WorkerFlags {
  redis: string
  queue?: string
  provider: string
  out: string
  concurrency?: string
  rate?: string
  lockDuration?: string
  stalledInterval?: string
  timeout?: string
}

/** `--rate 10/60`: at most 10 jobs started per 60 seconds across every worker of the queue. */
function parseRate(value: string): { max: number; duration: number } {
  const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(value)
  if (!match || Number(match[1]) < 1 || Number(match[2]) <= 0) throw new InputError(`--rate needs <jobs>/<seconds>, e.g. 10/60; got "${value}"`)
  return { max: Number(match[1]), duration: Math.round(Number(match[2]) * 1000) }
}

/** `nano-banana worker`: processes queued jobs until SIGINT/SIGTERM; run it on as many machines as you like. */
export async function workerCommand(flags: WorkerFlags): Promise<void> {
  const provider = providerOf(flags.provider)
  const { client } = await connect(provider, { allowSandbox: false })
  const worker = createBatchWorker({
    connection: { url: flags.redis },
    ...(flags.queue ? { queue: flags.queue } : {}),
    client,
    out: flags.out,
    concurrency: positiveInt('--concurrency', flags.concurrency, 4),
    ...(flags.rate ? { limiter: parseRate(flags.rate) } : {}),
    ...(flags.lockDuration ? { lockDuration: positiveInt('--lock-duration', flags.lockDuration, 30_000) } : {}),
    ...(flags.stalledInterval ? { stalledInterval: positiveInt('--stalled-interval', flags.stalledInterval, 30_000) } : {}),
    ...(flags.timeout !== undefined ? { timeoutMs: positiveSeconds('--timeout', flags.timeout) as number } : {}),
    onEvent: (e) => {
      if (e.type === 'submitted' || e.type === 'resumed') info(`${e.type} ${e.id} task ${field(e.taskId)}`)
      else if (e.type === 'done') info(`done ${e.id} ${e.files.join(' ')}`)
      else if (e.type === 'failed') info(`failed ${e.id}${e.retriable ? ' (will retry)' : ''}: ${e.error.name}: ${field(e.error.message)}`)
    },
  })
  worker.on('error', (error) => info(`worker error: ${error.message}`))
  await worker.waitUntilReady()
  info(`worker ready on queue ${flags.queue ?? 'nano-banana'} (${provider}, concurrency ${flags.concurrency ?? 4}); Ctrl-C stops after the jobs in hand`)
  await new Promise<void>((resolve) => {
    const stop = () => {
      info('stopping: finishing the jobs in hand...')
      void worker.close().then(resolve)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
