export { startSandbox, DURATION_HEADER, type Sandbox } from './server.js'
export type { ServedImage } from './uploads.js'
export { runSandboxCli, describeSandbox, parseSandboxArgs, type CliIo } from './cli.js'
export { FAULT_HEADER, DELAY_HEADER } from './faults.js'
export { dimensionsFor, renderImage, type ImageSpec } from './images.js'
export {
  PROVIDER_IDS,
  FAULT_NAMES,
  type ProviderId,
  type FaultName,
  type FaultPhase,
  type FaultRule,
  type SandboxOptions,
  type LegacySandboxOptions,
  type RequestLogEntry,
  type CallbackAttempt,
  type CallbackOutcome,
  type SandboxEvents,
  type TaskView,
  type TaskPhase,
  type ImageFormat,
  DEFAULT_WEBHOOK_SECRET,
} from './types.js'
