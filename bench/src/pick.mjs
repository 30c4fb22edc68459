// Which provider a benchmark runs against, chosen by what it can do, never by name: the first provider
// of the manifest whose sandboxed create answer carries a completion estimate and whose spec
// documents callbacks (what the completion benchmark compares), else the first provider.
import { META, PROVIDER_IDS } from '@nano-banana/manifest'
import { startSandbox } from '@nano-banana/sandbox'
import { createNanoBanana } from '@nano-banana/sdk'

let picked

export function pickBenchProvider() {
  picked ??= (async () => {
    const sandbox = await startSandbox({ estimatedTimeHints: true })
    try {
      for (const id of PROVIDER_IDS.filter((p) => META[p].callback)) {
        const nb = createNanoBanana({ provider: id, apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl(id) })
        const submission = await nb.submit({ prompt: 'which provider gives an estimate' }).catch(() => undefined)
        if (submission?.estimatedSeconds !== undefined) return id
      }
      return PROVIDER_IDS[0]
    } finally {
      await sandbox.close()
    }
  })()
  return picked
}

let hintless

/**
 * The first provider of the manifest whose sandboxed tasks say nothing of when they end: no estimate at
 * submission, no progress while running (what learned durations are for); else the first provider.
 */
export function pickHintlessProvider() {
  hintless ??= (async () => {
    const sandbox = await startSandbox({ estimatedTimeHints: false, taskDurationMs: 1500 })
    try {
      const found = await Promise.all(
        PROVIDER_IDS.map(async (id) => {
          const nb = createNanoBanana({ provider: id, apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl(id) })
          const submission = await nb.submit({ prompt: 'which provider says nothing' }).catch(() => undefined)
          if (!submission || submission.estimatedSeconds !== undefined) return false
          await new Promise((r) => setTimeout(r, 900))
          const task = await nb.getTask(submission.taskId).catch(() => undefined)
          return task?.status === 'running' && task.progress === undefined && task.estimatedSeconds === undefined
        }),
      )
      return PROVIDER_IDS[found.indexOf(true)] ?? PROVIDER_IDS[0]
    } finally {
      await sandbox.close()
    }
  })()
  return hintless
}
