#!/usr/bin/env bash
# Idempotent install of the js-libp2p interop peer's npm packages.
# Runs `npm ci` only when node_modules is missing or package-lock.json changed
# since the last successful install (tracked by a stamp file in node_modules).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

stamp=node_modules/.resilink-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)

if [[ -d node_modules && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
  echo "setup.sh: npm ci failed in $(pwd):" >&2
  cat "$log" >&2
  exit 1
fi
echo "$want" >"$stamp"
