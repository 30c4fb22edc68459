import { capabilityMatrixMarkdown, providers } from '@nano-banana/sdk'
import { out, outJson } from '../output.js'

/**
 * `nano-banana providers`: the capability matrix, from the same tables that validate requests.
 * `--json` prints those tables as they are (lists stay arrays), one entry per provider model.
 */
export function providersCommand(flags: { json?: boolean }): void {
  const adapters = Object.values(providers)
  if (!flags.json) {
    out(capabilityMatrixMarkdown(adapters))
    return
  }
  const rows = adapters.flatMap((adapter) =>
    Object.values(adapter.models).map((model) => ({
      provider: adapter.id,
      isDefault: model.id === adapter.defaultModel,
      envKey: adapter.envKey,
      baseUrlEnvKey: adapter.baseUrlEnvKey,
      ...model,
    })),
  )
  outJson(rows)
}
