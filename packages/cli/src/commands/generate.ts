import type { AspectRatio, GenerateResult, OutputFormat, Resolution } from '@nano-banana/sdk'
import { saveImages } from '@nano-banana/sdk/node'
import { connect, providerOf, usesSandbox } from '../connect.js'
import { positiveInt, positiveSeconds } from '../exit.js'
import { resultHosts } from '../hosts.js'
import { referenceImages, serveLocalImages } from '../files.js'
import { field, info, out, outJson } from '../output.js'
import { interruptedError, interruptible, isInterrupt } from '../interrupt.js'
import { createProgressView } from '../progress.js'

export interface GenerateFlags {
  provider?: string
  model?: string
  aspect?: string
  resolution?: string
  image?: string[]
  n?: string
  format?: string
  out: string
  json?: boolean
  sandbox?: boolean
  timeout?: string
  apiKey?: string
  baseUrl?: string
  allowResultHost?: string[]
}

/** Prints where the files went (or the JSON summary for scripts). */
export async function finish(result: GenerateResult, flags: { out: string; json?: boolean }, started: number): Promise<void> {
  const files = await saveImages(result, flags.out)
  if (flags.json) {
    outJson({
      taskId: result.taskId,
      provider: result.provider,
      model: result.model,
      files,
      // An inline image (synchronous provider) is only its file: its data: URL would be the whole image again.
      images: result.images.map((i) =>
        i.data ? { inline: true, contentType: i.contentType, bytes: i.data.byteLength } : { url: i.url, expiresAt: i.expiresAt?.toISOString() },
      ),
      warnings: result.warnings,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    })
    return
  }
  for (const warning of result.warnings) info(`warning: ${field(warning.message)}`)
  for (const file of files) out(file)
  info(`${files.length} image${files.length === 1 ? '' : 's'} saved to ${flags.out} (task ${field(result.taskId)}, ${((Date.now() - started) / 1000).toFixed(1)} s)`)
}

export async function generateCommand(prompt: string, flags: GenerateFlags): Promise<void> {
  // Numbers first: a bad flag must stop the command before a sandbox starts or a task is paid for.
  const n = flags.n !== undefined ? positiveInt('--n', flags.n, 1) : undefined
  const timeoutMs = positiveSeconds('--timeout', flags.timeout)
  const allowResultHosts = resultHosts(flags.allowResultHost)
  const provider = providerOf(flags.provider)
  const sandbox = usesSandbox(provider, { ...(flags.sandbox ? { sandbox: true } : {}), ...(flags.apiKey !== undefined ? { apiKey: flags.apiKey } : {}) })
  // Local files are read and checked here too: a refused file starts no sandbox and sends nothing.
  const references = await referenceImages(provider, flags.image ?? [], { sandbox })
  const started = Date.now()
  const connection = await connect(provider, {
    allowSandbox: true,
    ...(flags.sandbox ? { sandbox: true } : {}),
    ...(flags.apiKey !== undefined ? { apiKey: flags.apiKey } : {}),
    ...(flags.baseUrl !== undefined ? { baseUrl: flags.baseUrl } : {}),
    ...(allowResultHosts ? { allowResultHosts } : {}),
  })
  // From here on the embedded sandbox may be running: every path, errors included, goes through finally.
  let served: ReturnType<typeof serveLocalImages> | undefined
  let view = createProgressView('', false)
  try {
    served = serveLocalImages(references, connection.sandbox)
    const images = served.images
    let submitted: string | undefined
    const result = await interruptible(
      (signal) =>
        connection.client.generate({
          prompt,
          signal,
          ...(flags.model ? { model: flags.model } : {}),
          ...(flags.aspect ? { aspectRatio: flags.aspect as AspectRatio } : {}),
          ...(flags.resolution ? { resolution: flags.resolution as Resolution } : {}),
          ...(images.length ? { images } : {}),
          ...(n !== undefined ? { n } : {}),
          ...(flags.format ? { outputFormat: (flags.format === 'jpg' ? 'jpeg' : flags.format) as OutputFormat } : {}),
          ...(timeoutMs !== undefined ? { timeoutMs } : {}),
          onSubmitted: (s) => {
            submitted = s.taskId
            info(`task ${field(s.taskId)} submitted to ${s.provider} (${s.model}); waiting...`)
            view = createProgressView(s.taskId, !flags.json)
          },
          onProgress: (task) => view.update(task),
        }),
      () => view.stop(),
    ).catch((error: unknown) => {
      // The embedded sandbox ends with this command, and its tasks with it: a resume hint could not work.
      if (connection.sandbox && isInterrupt(error)) {
        throw interruptedError(`interrupted${submitted ? `: task ${submitted} ran in the embedded offline sandbox, which stops with this command` : ''}`)
      }
      throw error
    })
    view.stop()
    await finish(result, flags, started)
  } finally {
    view.stop()
    served?.close()
    await connection.sandbox?.close()
  }
}
