#!/usr/bin/env bash
# Makes sure redis-server is on PATH: installs Debian's package when it is missing and we
# are root; otherwise says how to get it. Tests and the demo start their own private server.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "redis-server not found: installing Debian's redis-server package" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  # The package starts a system service; Candela's tests and demo use private servers, so stop it.
  (service redis-server stop || systemctl stop redis-server) >/dev/null 2>&1 || true
  command -v redis-server >/dev/null 2>&1 && exit 0
fi
echo "redis-server is required (Redis 7). Install it, e.g. 'sudo apt-get install -y redis-server', then run make again." >&2
exit 1
