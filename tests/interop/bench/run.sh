#!/usr/bin/env bash
# Peer benchmark: Node.js verifiers (jose, @digitalbazaar/*, jsonld) on the credentials that
# traceport_vc_bench verifies. See README.md beside this file.
#
# Usage: tests/interop/bench/run.sh FIXTURE_DIR [OURS_FILE]
#
#   FIXTURE_DIR  written by: build/release/bin/traceport_vc_bench --fixtures FIXTURE_DIR
#   OURS_FILE    that bench's stdout; when given, ratio lines (ours vs each peer) are printed
#
# Without node or npm the run is skipped (exit 0). Installs the locked packages with `npm ci`
# when node_modules is missing or older than package-lock.json, then runs peers.mjs, whose
# exit code is returned (see peers.mjs for the environment variables it reads).
set -euo pipefail

usage() {
  echo "usage: $0 FIXTURE_DIR [OURS_FILE]" >&2
  exit 2
}

[[ $# -ge 1 && $# -le 2 && -n "$1" ]] || usage

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "peer bench: skipped (node not installed)"
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if ! [[ "$node_major" =~ ^[0-9]+$ ]] || (( node_major < 20 )); then
  echo "peer bench: skipped (node $(node --version 2>/dev/null || echo '?') is older than 20)"
  exit 0
fi

# Resolve the arguments against the caller's directory before changing to ours.
abs_path() {
  if [[ "$1" = /* ]]; then printf '%s\n' "$1"; else printf '%s\n' "$PWD/$1"; fi
}
args=("$(abs_path "$1")")
if [[ $# -eq 2 ]]; then
  [[ -n "$2" ]] || usage
  args+=("$(abs_path "$2")")
fi

cd "$(dirname "${BASH_SOURCE[0]}")"

# npm writes node_modules/.package-lock.json on every install: its age is the install's age.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  log="$(mktemp "${TMPDIR:-/tmp}/traceport-peer-bench-npm.XXXXXX")"
  if ! npm ci --no-audit --no-fund >"$log" 2>&1; then
    echo "peer bench: FAILED: 'npm ci' in $PWD did not succeed; its output:" >&2
    cat "$log" >&2
    rm -f -- "$log"
    exit 1
  fi
  rm -f -- "$log"
fi

exec node peers.mjs "${args[@]}"
