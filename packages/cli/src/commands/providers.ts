import { capabilityMatrixMarkdown, capabilityRows, providers } from '@nano-banana/sdk'
import { out } from '../output.js'

/** `nano-banana providers`: the capability matrix, from the same tables that validate requests. */
export function providersCommand(flags: { json?: boolean }): void {
  const adapters = Object.values(providers)
  if (flags.json) out(JSON.stringify(capabilityRows(adapters), null, 2))
  else out(capabilityMatrixMarkdown(adapters))
}
