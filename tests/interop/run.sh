#!/usr/bin/env bash
# Interoperability tests: the traceport CLI against other implementations from npm: `jose`
# (vc+jwt, JOSE) and the @digitalbazaar / @transmute Data Integrity and Linked Data Proof suites
# (eddsa-rdfc-2022, ecdsa-rdfc-2019, Ed25519Signature2020/2018, JsonWebSignature2020).
#
# Usage: tests/interop/run.sh PATH_TO_TRACEPORT_BINARY
#
# Needs node (>= 20) and npm. Without them the run is skipped (exit 0), except under CI (the CI
# environment variable set and not "false" or "0"), where a missing toolchain fails the run.
# Installs the locked dependencies with `npm ci` into tests/interop/node_modules, then runs every
# tests/interop/*.test.mjs with node's test runner; the exit code is the test runner's.
set -euo pipefail

usage() {
  echo "usage: $0 PATH_TO_TRACEPORT_BINARY" >&2
  exit 2
}

[[ $# -eq 1 && -n "$1" ]] || usage

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

in_ci() {
  [[ -n "${CI:-}" && "${CI}" != "false" && "${CI}" != "0" ]]
}

# Skips the run (exit 0) locally; fails it (exit 1) under CI.
skip_or_fail() {
  local reason="$1"
  if in_ci; then
    echo "interop: FAILED: ${reason} (required when CI is set)" >&2
    exit 1
  fi
  echo "interop: skipped (${reason})"
  exit 0
}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  skip_or_fail "node/npm not installed"
fi

node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if ! [[ "$node_major" =~ ^[0-9]+$ ]] || (( node_major < 20 )); then
  skip_or_fail "node $(node --version 2>/dev/null || echo '?') is older than 20"
fi

bin="$1"
if [[ ! -f "$bin" || ! -x "$bin" ]]; then
  echo "interop: FAILED: $bin is not an executable file" >&2
  exit 1
fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/traceport-interop.XXXXXX")"
trap 'rm -rf -- "$scratch"' EXIT

# Install exactly what package-lock.json pins. Quiet unless it fails.
if ! (cd "$here" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error) \
    >"$scratch/npm-ci.log" 2>&1; then
  echo "interop: FAILED: 'npm ci' in $here did not succeed (is the npm registry or the" \
       "npm cache reachable?); its output:" >&2
  cat "$scratch/npm-ci.log" >&2
  exit 1
fi

set +e
TRACEPORT_BIN="$bin" TRACEPORT_INTEROP_TMP="$scratch" node --test "$here"/*.test.mjs
rc=$?
set -e
exit "$rc"
