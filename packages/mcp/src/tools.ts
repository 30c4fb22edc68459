import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import {
  AbortError,
  imageDataUrl,
  providerIds,
  providers,
  takesImageData,
  type AspectRatio,
  type GenerateRequest,
  type OutputFormat,
  type ProviderId,
  type Resolution,
  type Submission,
} from '@nano-banana/sdk'
import type { ServedImage } from '@nano-banana/sandbox'
import * as z from 'zod'
import { capabilityUnion as u, describeModels } from './capabilities.js'
import { isRemote, readLocalImage } from './local-images.js'
import { progressReporter, type Extra } from './progress.js'
import type { Registry } from './registry.js'
import { registerSavedImages } from './saved-images.js'
import { errorResult, imageResult, redactResult, redactText, submittedResult, taskResult } from './results.js'

export interface ToolOptions {
  registry: Registry
  outDir: string
  maxInlineBytes: number
  maxImageBytes: number
  /** How long a call waits for a task before answering "still running" with its id. */
  waitSeconds: number
  /** A line on stderr (the host's log): never a secret, already redacted. */
  log: (line: string) => void
}

const choice = (values: readonly string[]) => z.enum(values as [string, ...string[]])
const optionalChoice = (values: readonly string[], description: string) => (values.length ? { schema: choice(values).optional().describe(description) } : undefined)

/** Registers generate_image, edit_image, wait_task, get_task and list_providers on the server. */
export function registerTools(server: McpServer, options: ToolOptions): { close(): Promise<void> } {
  const { registry } = options
  /** Local files the sandbox hosts for submit-only tasks still running: stopped when the server closes. */
  const lingering = new Set<ServedImage>()
  const byteTakers = providerIds.filter((id) => takesImageData(providers[id]))
  const savedImages = registerSavedImages(server)
  const resultOptions = (signal: AbortSignal) => ({ outDir: options.outDir, maxInlineBytes: options.maxInlineBytes, signal, publish: savedImages.add })
  const secrets = registry.secrets
  const log = (line: string) => options.log(redactText(line, secrets))
  const defaultModel = providers[registry.defaultProvider].defaultModel

  const providerField = choice(u.providers)
    .optional()
    .describe(`Provider (reseller API). Default: ${registry.defaultProvider}. list_providers shows each one's models and whether its key is configured.`)
  const waitSecondsField = z
    .number()
    .positive()
    .optional()
    .describe(
      `How long to wait for the task before answering "running" with its task id (default ${options.waitSeconds}); the task keeps running and wait_task picks it up.`,
    )
  const format = optionalChoice(u.outputFormats, 'Output file format, where the model lets you choose.')
  const requestShape = {
    prompt: z.string().min(1).max(u.maxPromptLength).describe('What to draw (or how to change the reference images).'),
    provider: providerField,
    model: choice(u.models).optional().describe(`Model id of the provider; default: its default model (${defaultModel} for ${registry.defaultProvider}).`),
    aspect_ratio: choice(u.aspectRatios).optional().describe('Aspect ratio; each model accepts a subset (list_providers).'),
    resolution: choice(u.resolutions).optional().describe('Output resolution; each model accepts a subset (list_providers).'),
    ...(format ? { output_format: format.schema } : {}),
    n: z.number().int().min(1).max(u.maxN).optional().describe("Number of images, up to the model's limit (list_providers shows n <= ...)."),
    wait: z.boolean().optional().describe('false: submit only and answer at once with the task id (then wait_task). Default true.'),
    wait_seconds: waitSecondsField,
  }
  const imagesField = z
    .array(z.string().min(1))
    .max(u.maxImages)
    .describe(
      registry.sandbox
        ? 'Reference images: http(s) URLs or absolute local file paths / file:// URLs (PNG, JPEG, WebP, GIF).'
        : `Reference images: public http(s) URLs the provider can fetch. Absolute local file paths / file:// URLs (PNG, JPEG, WebP, GIF) are sent as their bytes to the providers that take bytes (${byteTakers.join(', ') || 'none'}); the others take URLs only (they document no upload API).`,
    )
  const generateShape = { ...requestShape, images: imagesField.optional() }
  const editShape = { ...requestShape, images: imagesField.min(1) }
  type GenerateArgs = z.infer<z.ZodObject<typeof generateShape>>

  const providerOf = (value: string | undefined): ProviderId => (value as ProviderId | undefined) ?? registry.defaultProvider

  /**
   * URLs pass through; a local file is read (bounded, must be an image) and goes as its bytes (a data: URL) to
   * a provider that takes bytes; in sandbox mode the sandbox hosts it for the others; live, they refuse it.
   * `served` collects what the sandbox hosts, so a failure half-way still stops serving them.
   */
  async function referenceImages(provider: ProviderId, values: readonly string[], served: ServedImage[]): Promise<string[]> {
    const bytesTaken = takesImageData(providers[provider])
    const urls: string[] = []
    for (const value of values) {
      if (isRemote(value)) {
        urls.push(value)
        continue
      }
      // Refused before the file is read: a URL-only provider cannot use it whatever it holds.
      if (!bytesTaken && !registry.sandbox) {
        throw new Error(
          `image ${JSON.stringify(value)}: ${provider} takes reference images as public http(s) URLs only (its API documents no upload and no data: URLs); ` +
            `pass a URL it can fetch${byteTakers.length ? `, or use a provider that takes image bytes (${byteTakers.join(', ')})` : ''}`,
        )
      }
      const image = await readLocalImage(value, options.maxImageBytes)
      if (bytesTaken) {
        urls.push(imageDataUrl(image.bytes, { maxBytes: options.maxImageBytes }))
        continue
      }
      const file = await registry.serveImage(image.bytes, image.contentType)
      served.push(file)
      urls.push(file.url)
    }
    return urls
  }

  async function generate(args: GenerateArgs, extra: Extra): Promise<CallToolResult> {
    const provider = providerOf(args.provider)
    let submission: Submission | undefined
    const served: ServedImage[] = []
    try {
      const client = await registry.client(provider)
      const images = await referenceImages(provider, args.images ?? [], served)
      const request: GenerateRequest = {
        prompt: args.prompt,
        ...(args.model ? { model: args.model } : {}),
        ...(args.aspect_ratio ? { aspectRatio: args.aspect_ratio as AspectRatio } : {}),
        ...(args.resolution ? { resolution: args.resolution as Resolution } : {}),
        ...('output_format' in args && args.output_format ? { outputFormat: args.output_format as OutputFormat } : {}),
        ...(args.n !== undefined ? { n: args.n } : {}),
        ...(images.length ? { images } : {}),
      }
      if (args.wait === false) {
        submission = await client.submit(request, { signal: extra.signal })
        log(`task ${submission.taskId} submitted to ${provider} (${submission.model}), not waiting`)
        return submittedResult(submission)
      }
      const progress = progressReporter(extra)
      const result = await client.generate({
        ...request,
        signal: extra.signal,
        timeoutMs: (args.wait_seconds ?? options.waitSeconds) * 1000,
        onSubmitted: (s) => {
          submission = s
          log(`task ${s.taskId} submitted to ${provider} (${s.model})`)
          progress.submitted(s)
        },
        onProgress: progress.update,
      })
      return await imageResult(result, resultOptions(extra.signal))
    } catch (error) {
      if (error instanceof AbortError || extra.signal.aborted) cancelled(provider, submission?.taskId ?? (error as { taskId?: string }).taskId)
      return errorResult(error, provider, submission)
    } finally {
      // A submit-only task may still be running: its files stay served for this session.
      for (const file of served) args.wait === false ? lingering.add(file) : file.stop()
    }
  }

  /** The client gave up on the call: its result is dropped, so the task id goes to the log instead. */
  function cancelled(provider: ProviderId, taskId: string | undefined) {
    const data = taskId
      ? `cancelled while waiting: task ${taskId} on ${provider} keeps running; call wait_task with task_id "${taskId}" and provider "${provider}" to get its images`
      : `cancelled during submission to ${provider}: a task may have been created; check before submitting again`
    log(data)
    server.sendLoggingMessage({ level: 'warning', logger: 'nano-banana', data: redactText(data, secrets) }).catch(() => undefined)
  }

  const guard =
    <A>(fn: (args: A, extra: Extra) => Promise<CallToolResult>) =>
    async (args: A, extra: Extra) =>
      redactResult(await fn(args, extra), secrets)

  server.registerTool(
    'generate_image',
    {
      title: 'Generate an image (Nano Banana)',
      description:
        `Generates images with Google's Nano Banana models through a reseller API and returns them (inline, or as file links when large), ` +
        `saved under ${options.outDir}. Unsupported options for the chosen model are refused before anything is paid. ` +
        `The text part names the task id: if the answer says "running", call wait_task; never resubmit a task that was accepted.`,
      inputSchema: generateShape,
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true, idempotentHint: false },
    },
    guard(generate),
  )

  server.registerTool(
    'edit_image',
    {
      title: 'Edit images (Nano Banana)',
      description: `Changes or combines the reference images as the prompt says (image-to-image). Same options and answer as generate_image; images are required.`,
      inputSchema: editShape,
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true, idempotentHint: false },
    },
    guard(generate),
  )

  server.registerTool(
    'wait_task',
    {
      title: 'Wait for a task',
      description:
        'Waits for a task submitted earlier (by generate_image, edit_image or another session) and returns its images. Nothing is submitted or paid again.',
      inputSchema: { task_id: z.string().min(1).describe('The task id from generate_image / edit_image.'), provider: providerField, wait_seconds: waitSecondsField },
      // Not read-only: it saves the images under --out. Idempotent: the same task gives the same files.
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true, idempotentHint: true },
    },
    guard(async (args, extra) => {
      const provider = providerOf(args.provider)
      try {
        const client = await registry.client(provider)
        const progress = progressReporter(extra)
        progress.resumed(args.task_id, provider)
        const result = await client.wait(args.task_id, {
          signal: extra.signal,
          timeoutMs: (args.wait_seconds ?? options.waitSeconds) * 1000,
          onProgress: progress.update,
        })
        return await imageResult(result, resultOptions(extra.signal))
      } catch (error) {
        if (extra.signal.aborted) cancelled(provider, args.task_id)
        return errorResult(error, provider, undefined)
      }
    }),
  )

  server.registerTool(
    'get_task',
    {
      title: 'Task status',
      description: 'One status query of a task: queued, running, succeeded (with result URLs), failed (with the reason) or canceled.',
      inputSchema: { task_id: z.string().min(1), provider: providerField },
      annotations: { readOnlyHint: true, openWorldHint: true, idempotentHint: true },
    },
    guard(async (args, extra) => {
      const provider = providerOf(args.provider)
      try {
        const client = await registry.client(provider)
        return taskResult(await client.getTask(args.task_id, { signal: extra.signal }))
      } catch (error) {
        return errorResult(error, provider, undefined)
      }
    }),
  )

  server.registerTool(
    'list_providers',
    {
      title: 'Providers and models',
      description: 'Every provider with its models and what each accepts (aspect ratios, resolutions, formats, limits), and whether its API key is configured.',
      inputSchema: {},
      annotations: { readOnlyHint: true, openWorldHint: false, idempotentHint: true },
    },
    guard(async () => {
      const blocks = providerIds.map((id) => {
        const adapter = providers[id]
        const status = registry.status(id)
        const head = `${id} (${adapter.name})${id === registry.defaultProvider ? ' [default provider]' : ''}`
        const key = registry.sandbox
          ? `key: ${status.key} (${adapter.envKey}); not used: --sandbox serves this provider offline`
          : `key: ${status.key} (${adapter.envKey})${status.problem ? `; not usable: ${status.problem}` : ''}`
        return [head, key, ...describeModels(adapter).map((line) => `  model ${line}`)].join('\n')
      })
      const mode = registry.sandbox ? 'mode: sandbox (offline, no credits spent, pictures are synthetic)' : 'mode: live (requests go to the providers and are paid)'
      return { content: [{ type: 'text', text: [mode, ...blocks].join('\n\n') }] }
    }),
  )

  return {
    close: async () => {
      for (const file of lingering) file.stop()
      lingering.clear()
    },
  }
}
