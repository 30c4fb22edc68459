import { connect, providerOf } from '../connect.js'
import { positiveSeconds } from '../exit.js'
import { resultHosts } from '../hosts.js'
import { interruptible } from '../interrupt.js'
import { field, out, outJson } from '../output.js'
import { createProgressView } from '../progress.js'
import { finish } from './generate.js'

/** `nano-banana status <taskId>`: one query, normalized. */
interface KeyFlags {
  provider?: string
  apiKey?: string
  baseUrl?: string
}

const credentials = (flags: KeyFlags) => ({
  allowSandbox: false,
  ...(flags.apiKey !== undefined ? { apiKey: flags.apiKey } : {}),
  ...(flags.baseUrl !== undefined ? { baseUrl: flags.baseUrl } : {}),
})

export async function statusCommand(taskId: string, flags: KeyFlags & { json?: boolean }): Promise<void> {
  const { client } = await connect(providerOf(flags.provider), credentials(flags))
  const task = await client.getTask(taskId)
  if (flags.json) {
    outJson({ taskId: task.taskId, provider: task.provider, status: task.status, progress: task.progress, urls: task.urls, error: task.error })
    return
  }
  const progress = task.progress !== undefined ? ` ${Math.round(task.progress * 100)}%` : ''
  out(`${field(task.taskId)}: ${task.status}${progress}`)
  for (const url of task.urls) out(field(url))
  if (task.error) out(`reason: ${field(task.error.message ?? task.error.code)}`)
}

/** `nano-banana wait <taskId>`: resume waiting for a task submitted earlier, then save its images. */
export async function waitCommand(taskId: string, flags: KeyFlags & { out: string; json?: boolean; timeout?: string; allowResultHost?: string[] }): Promise<void> {
  const timeoutMs = positiveSeconds('--timeout', flags.timeout)
  const allowResultHosts = resultHosts(flags.allowResultHost)
  const started = Date.now()
  const { client } = await connect(providerOf(flags.provider), { ...credentials(flags), ...(allowResultHosts ? { allowResultHosts } : {}) })
  const view = createProgressView(taskId, !flags.json)
  try {
    const result = await interruptible(
      (signal) => client.wait(taskId, { signal, onProgress: (t) => view.update(t), ...(timeoutMs !== undefined ? { timeoutMs } : {}) }),
      () => view.stop(),
    )
    view.stop()
    await finish(result, flags, started)
  } finally {
    view.stop()
  }
}
