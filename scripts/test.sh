#!/usr/bin/env bash
# The README's "set up and run every test" command, for a fresh machine with Node 20 and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
bash scripts/setup.sh
pnpm lint
pnpm test
# Suites of spawned processes (batch with redis-server and SIGKILLed workers, the MCP server over stdio, spec-update flows in temp git repos); installs redis-server when missing.
pnpm test:integration
# Real runtimes (Chromium, workerd, Bun, Deno): a few minutes, kept out of `pnpm test`.
pnpm test:runtimes
# The scaffold's end-to-end check (a copy of the repository, an install and a full build): slow, so not in `pnpm test`.
pnpm test:scaffold
# The spec-update flow end to end (issue 14): a copy of the repository, a spec edited twice (a value and a field added, then a value removed), spec:update, two full builds.
pnpm test:spec-flow
