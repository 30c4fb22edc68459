import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import {
  ContentPolicyError,
  imageTypeOf,
  NanoBananaError,
  TaskFailedError,
  TimeoutError,
  type GenerateResult,
  type ProviderId,
  type Submission,
  type Task,
} from '@nano-banana/sdk'
import { saveImages } from '@nano-banana/sdk/node'

type Content = CallToolResult['content'][number]

export interface ResultOptions {
  outDir: string
  maxInlineBytes: number
  signal?: AbortSignal
  /** Makes a saved file readable as a resource; returns its URI. */
  publish: (image: { path: string; mimeType: string; size: number }) => string
}

/** `key: value` lines: easy for a model to read and for a script to parse. */
const lines = (fields: Record<string, string | number | undefined>) =>
  Object.entries(fields)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')

const resume = (taskId: string, provider: ProviderId) => `call wait_task with task_id "${taskId}" and provider "${provider}"`

/**
 * Saves every image under `outDir`, then returns each one inline (base64 + mimeType) when it fits in
 * `maxInlineBytes`, else as a `resource_link` to the saved file, so a large picture never floods the
 * client's context. The text part names the task, provider, model and files.
 */
export async function imageResult(result: GenerateResult, options: ResultOptions): Promise<CallToolResult> {
  const files = await saveImages(result, options.outDir, options.signal ? { signal: options.signal } : {})
  const content: Content[] = []
  const notes: string[] = []
  for (const [i, file] of files.entries()) {
    const bytes = await readFile(file)
    const mimeType = imageTypeOf(bytes)?.contentType ?? 'application/octet-stream'
    const uri = options.publish({ path: file, mimeType, size: bytes.length })
    if (bytes.length <= options.maxInlineBytes) {
      content.push({ type: 'image', data: bytes.toString('base64'), mimeType })
    } else {
      content.push({ type: 'resource_link', uri, name: basename(file), mimeType, size: bytes.length, _meta: { path: file, fileUrl: pathToFileURL(file).href } })
      notes.push(`image ${i + 1} is ${bytes.length} bytes, above the ${options.maxInlineBytes}-byte inline limit: saved as ${file}, readable as the resource ${uri}`)
    }
  }
  const text = lines({
    status: 'succeeded',
    task_id: result.taskId,
    provider: result.provider,
    model: result.model,
    files: files.join(', '),
    result_urls: result.images.map((image) => image.url).join(', '),
    expires_at: result.images[0]?.expiresAt?.toISOString(),
    credits: result.usage?.credits,
  })
  const warnings = result.warnings.map((w) => `warning: ${w.message}`)
  return { content: [{ type: 'text', text: [text, ...warnings, ...notes].join('\n') }, ...content] }
}

/** The answer of a submit-only call: the id to resume with. */
export function submittedResult(submission: Submission): CallToolResult {
  const text = lines({
    status: 'submitted',
    task_id: submission.taskId,
    provider: submission.provider,
    model: submission.model,
    estimated_seconds: submission.estimatedSeconds,
  })
  const warnings = submission.warnings.map((w) => `warning: ${w.message}`)
  return {
    content: [
      {
        type: 'text',
        text: [text, ...warnings, `next: ${resume(submission.taskId, submission.provider)} to get the images (do not submit again: it would be paid twice)`].join(
          '\n',
        ),
      },
    ],
  }
}

/** One status query, as text. A failed task is a fact about the task, not a failure of the tool. */
export function taskResult(task: Task): CallToolResult {
  const text = lines({
    status: task.status,
    task_id: task.taskId,
    provider: task.provider,
    model: task.model,
    progress: task.progress !== undefined ? `${Math.round(task.progress * 100)}%` : undefined,
    estimated_seconds: task.estimatedSeconds,
    result_urls: task.urls.join(', '),
    reason: task.error ? (task.error.message ?? task.error.code) : undefined,
    credits: task.usage?.credits,
  })
  const next =
    task.status === 'queued' || task.status === 'running' || task.status === 'succeeded' ? `\nnext: ${resume(task.taskId, task.provider)} to get the images` : ''
  return { content: [{ type: 'text', text: text + next }] }
}

/**
 * An error as a tool result (`isError`), never a protocol error: the model reads the message and can
 * fix its input. A waiting deadline is no error: the task runs on and `wait_task` picks it up.
 */
export function errorResult(error: unknown, provider: ProviderId, submission?: Submission): CallToolResult {
  const taskId = (error instanceof NanoBananaError ? error.taskId : undefined) ?? submission?.taskId
  if (error instanceof TimeoutError && taskId) {
    return {
      content: [
        {
          type: 'text',
          text: `${lines({ status: 'running', task_id: taskId, provider, model: submission?.model })}\nThe task is still running at the provider.\nnext: ${resume(taskId, provider)} (do not submit again: it would be paid twice)`,
        },
      ],
    }
  }
  const name = error instanceof NanoBananaError ? error.name : 'Error'
  const message = error instanceof Error ? error.message : String(error)
  const ended = error instanceof TaskFailedError || error instanceof ContentPolicyError
  const extra = !taskId
    ? ''
    : ended
      ? `\ntask_id: ${taskId}\nprovider: ${provider}\nThe task ended without images; change the prompt or options before trying again.`
      : `\ntask_id: ${taskId}\nprovider: ${provider}\nThe provider accepted the task: do not submit it again; get_task / wait_task with this id tell what became of it.`
  return { content: [{ type: 'text', text: `${name}: ${message}${extra}` }], isError: true }
}

/** Removes every key value from a result's text parts (the sdk redacts its errors; this is the last guard). */
export function redactResult(result: CallToolResult, secrets: readonly string[]): CallToolResult {
  if (!secrets.length) return result
  return { ...result, content: result.content.map((part) => (part.type === 'text' ? { ...part, text: redactText(part.text, secrets) } : part)) }
}

export function redactText(text: string, secrets: readonly string[]): string {
  return secrets.reduce((t, secret) => (secret.length >= 4 ? t.split(secret).join('[redacted]') : t), text)
}
