#!/usr/bin/env bash
# Browser tests of the portal: playwright-core (tests/browser/package-lock.json) drives Debian's
# Chromium headless against `traceport demo` on a free loopback port.
#
# Usage: tests/browser/run.sh PATH_TO_TRACEPORT_BINARY
#
# Needs node (>= 20), npm and chromium (scripts/install-deps.sh installs them). Without them the
# run is skipped (exit 0), except under CI (the CI environment variable set and not "false" or
# "0"), where a missing toolchain fails the run. Screenshots of the main pages go to
# $TRACEPORT_SCREENSHOTS (default: a scratch directory removed afterwards); `make screenshots`
# writes them to docs/portal/, where docs/portal.md shows them.
set -euo pipefail

[[ $# -eq 1 && -n "$1" ]] || { echo "usage: $0 PATH_TO_TRACEPORT_BINARY" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

in_ci() { [[ -n "${CI:-}" && "${CI}" != "false" && "${CI}" != "0" ]]; }
skip_or_fail() {
  if in_ci; then
    echo "browser: FAILED: $1 (required when CI is set)" >&2
    exit 1
  fi
  echo "browser: skipped ($1)"
  exit 0
}

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || skip_or_fail "node/npm not installed"
chromium="${TRACEPORT_CHROMIUM:-$(command -v chromium || true)}"
[[ -n "$chromium" && -x "$chromium" ]] || skip_or_fail "chromium not installed"

bin="$1"
[[ -f "$bin" && -x "$bin" ]] || { echo "browser: FAILED: $bin is not an executable file" >&2; exit 1; }
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/traceport-browser.XXXXXX")"
trap 'rm -rf -- "$scratch"' EXIT

if ! (cd "$here" && npm ci --no-audit --no-fund --prefer-offline --ignore-scripts \
      --loglevel=error) >"$scratch/npm-ci.log" 2>&1; then
  echo "browser: FAILED: 'npm ci' in $here did not succeed; its output:" >&2
  cat "$scratch/npm-ci.log" >&2
  exit 1
fi

set +e
TRACEPORT_BIN="$bin" TRACEPORT_CHROMIUM="$chromium" TRACEPORT_BROWSER_TMP="$scratch" \
  TRACEPORT_SCREENSHOTS="${TRACEPORT_SCREENSHOTS:-$scratch/screenshots}" \
  node --test --test-concurrency=1 "$here"/*.test.mjs
rc=$?
set -e
exit "$rc"
