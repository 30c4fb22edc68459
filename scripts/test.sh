#!/usr/bin/env bash
# The README's "set up and run every test" command, for a fresh machine with Node 20 and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version)" = "12.21.0" ] || npm install -g pnpm@12.21.0
pnpm install --frozen-lockfile
pnpm lint
pnpm test
