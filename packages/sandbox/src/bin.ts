#!/usr/bin/env node
import { runSandboxCli } from './cli.js'

runSandboxCli().catch((error: unknown) => {
  process.stderr.write(`nano-banana-sandbox: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
