#!/usr/bin/env bash
# Shared first step of scripts/demo.sh and scripts/test.sh: pnpm 12.21.0 (installed with npm when
# missing, as on a fresh Node 20 machine) and the locked dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version)" = "12.21.0" ] || npm install -g pnpm@12.21.0
pnpm install --frozen-lockfile
