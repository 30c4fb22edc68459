#!/usr/bin/env bash
# The README's "set up and run every test" command, for a fresh machine with Node 20 and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
bash scripts/setup.sh
pnpm lint
pnpm test
# Real runtimes (Chromium, workerd, Bun, Deno): a few minutes, kept out of `pnpm test`.
pnpm test:runtimes
