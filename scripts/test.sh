#!/usr/bin/env bash
# The README's "set up and run every test" command, for a fresh machine with Node 20 and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
bash scripts/setup.sh
pnpm lint
pnpm test
# Slow suites kept out of `pnpm test`: spawned processes (batch with redis-server and SIGKILLed workers, the MCP server over stdio, spec-update flows in temp git repos, `pnpm demo` end to end), the sdk fault matrix (every provider x every fault against the sandbox), the sdk parser properties at 300 runs (100 in `pnpm test`) and the contract tests' Prism suites on every provider (`pnpm test` takes one provider per spec shape); installs redis-server when missing.
pnpm test:integration
# Real runtimes (Chromium, workerd, Bun, Deno): a few minutes, kept out of `pnpm test`.
pnpm test:runtimes
# The scaffold's end-to-end check (a copy of the repository, an install and a full build): slow, so not in `pnpm test`.
pnpm test:scaffold
# The spec-update flow end to end (issue 14): a copy of the repository, a spec edited twice (a value and a field added, then a value removed), spec:update, two full builds.
pnpm test:spec-flow
