#!/usr/bin/env bash
# The real-runtime suites (runtime-tests/): headless Chromium, workerd (miniflare), Bun and Deno.
# Debian's chromium is installed when missing (CI runs as root on a fresh machine); workerd, Bun and
# Deno come from npm packages already in the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "test-runtimes: installing Debian's chromium"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi
export TURBO_TELEMETRY_DISABLED=1
# Every package: the packed-tarball test packs each published one (a cache hit after `pnpm test`).
pnpm turbo run build --output-logs=errors-only
pnpm --filter @nano-banana/runtime-tests run test:runtimes
