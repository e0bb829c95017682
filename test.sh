#!/usr/bin/env bash
# Runs every test on a machine that has only the .NET 10 SDK and Node.js: installs the Debian packages the tests
# use when some are missing (as root, or with sudo that needs no password), the js-libp2p interop peer's npm
# packages, then runs `dotnet test` (extra arguments are passed on) and ends with one line: N passed, N failed, N skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: 'dotnet' is not on PATH; install the .NET 10 SDK first (https://dotnet.microsoft.com/download)." >&2
  exit 1
fi

# The programs the tests run, and the Debian package each comes from.
missing=()
need() { # need PROGRAM PACKAGE: PACKAGE is missing unless PROGRAM is on PATH
  command -v "$1" >/dev/null 2>&1 || [[ " ${missing[*]} " == *" $2 "* ]] || missing+=("$2")
}
need node nodejs                                # the js-libp2p interop peer
need npm npm                                    # its npm packages (interop/js/setup.sh)
need promtool prometheus                        # checks the Prometheus export and deploy/prometheus's alert rules
need prometheus prometheus                      # the end-to-end scrape test
need amtool prometheus-alertmanager             # checks deploy/alertmanager's configuration
need prometheus-alertmanager prometheus-alertmanager  # the Alertmanager sink end-to-end test
need redis-server redis-server                  # the pooled Redis client tests
need chromium chromium                          # the dashboard's browser test (Playwright drives it; no browser download)
need chromedriver chromium-driver

if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "test.sh: the tests need the Debian packages ${missing[*]}; install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "test.sh: installing ${missing[*]}"
  # Waits for another apt-get or dpkg that holds the lock (an unattended upgrade, a parallel job) instead of failing.
  apt_get=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
  "${apt_get[@]}" update -qq
  "${apt_get[@]}" install -y -q "${missing[@]}"
fi

bash interop/js/setup.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
# A shell started as a background job (`./test.sh &`, nohup, some CI runners) hands its children SIGINT ignored, which
# they cannot undo themselves; the CLI tests stop the processes they start with SIGINT, as Ctrl+C would.
with_default_sigint=()
if env --default-signal=INT true 2>/dev/null; then with_default_sigint=(env --default-signal=INT); fi
"${with_default_sigint[@]}" dotnet test "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line, summed over the test projects' "Passed!  - Failed: 0, Passed: 12, Skipped: 0, …" lines.
sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}'; }
passed=$(sum Passed) failed=$(sum Failed) skipped=$(sum Skipped)
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [[ $status -eq 0 && $passed -eq 0 ]]; then
  echo "test.sh: no tests ran" >&2
  exit 1
fi
exit "$status"
