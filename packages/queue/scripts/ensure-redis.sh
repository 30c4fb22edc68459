#!/usr/bin/env bash
# The queue tests run a real redis-server (Debian's package); install it when missing (CI: root, fresh machine).
set -euo pipefail
command -v redis-server >/dev/null 2>&1 && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "redis-server is missing and this is not root: install it (apt-get install redis-server) and rerun" >&2
  exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server
