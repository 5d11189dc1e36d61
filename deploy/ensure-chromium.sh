#!/usr/bin/env bash
# Makes sure Debian's chromium is installed for the dashboard's browser tests: installs the
# package when it is missing and we are root; otherwise says how to get it. The tests drive it
# headless through playwright-core (no browser download); CHROMIUM_PATH overrides the path.
set -euo pipefail
chromium_path=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$chromium_path" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "chromium not found at $chromium_path: installing Debian's chromium package" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  [ -x "$chromium_path" ] && exit 0
fi
echo "chromium is required for the dashboard's browser tests (test/e2e/dashboard). Install it, e.g. 'sudo apt-get install -y chromium', or set CHROMIUM_PATH to a Chromium binary, then run make again." >&2
exit 1
