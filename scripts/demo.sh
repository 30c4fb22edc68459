#!/usr/bin/env bash
# The README's "set up and run the main job" command: an image from the local sandbox, no key.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
bash scripts/setup.sh
pnpm demo
