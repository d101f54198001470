#!/usr/bin/env bash
# Installs Debian's `chromium` package for the report page's browser test (test/report).
# Idempotent: does nothing when /usr/bin/chromium already exists. Quiet on success; on failure the
# apt output is shown so the cause is visible. Uses sudo only when not already root.
# --no-install-recommends keeps it small; fonts-dejavu-core is added because a bare image has no fonts
# and the report's text would render as nothing (the screenshot would be useless).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-chromium: /usr/bin/chromium is missing and this is not root (no sudo); install Debian's 'chromium' package" >&2
    exit 1
  fi
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "install-chromium: apt-get failed (see above)" >&2
  exit 1
fi

if [ ! -x /usr/bin/chromium ]; then
  cat "$log" >&2
  echo "install-chromium: the chromium package installed but /usr/bin/chromium is missing" >&2
  exit 1
fi
