#!/usr/bin/env bash
# Installs every Debian package Traceport needs to build, test, benchmark and fuzz, then the npm
# packages that carry the built-in JSON-LD contexts (contexts/package-lock.json, compiled into
# the binary at build time: docs/formats/contexts.md).
# Idempotent: when everything is present it changes nothing and exits quickly.
#   scripts/install-deps.sh          install what is missing (uses sudo when not root)
#   scripts/install-deps.sh --check  exit 1 (listing them) if anything is missing
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
contexts="$root/contexts"

# True when contexts/node_modules was installed from the current lock (npm writes its own copy
# of the lock, node_modules/.package-lock.json, on every install).
contexts_installed() {
  local installed="$contexts/node_modules/.package-lock.json"
  [[ -f "$installed" && ! "$contexts/package-lock.json" -nt "$installed" &&
     ! "$contexts/package.json" -nt "$installed" ]]
}

# `npm ci` into contexts/node_modules: exactly what the lock pins (checked against the lock's
# integrity hashes), from the npm cache when it has the packages. No install scripts run.
install_contexts() {
  contexts_installed && return 0
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-deps: npm not found; installing Debian's nodejs and npm"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends nodejs npm
  fi
  echo "install-deps: npm ci in contexts/ (JSON-LD context packages)"
  if ! (cd "$contexts" && npm ci --no-audit --no-fund --prefer-offline --ignore-scripts \
        --loglevel=error); then
    echo "install-deps: 'npm ci' in $contexts failed (is the npm registry or the npm cache" \
         "reachable?)" >&2
    exit 1
  fi
}

PACKAGES=(
  # toolchain
  build-essential g++ cmake ninja-build pkg-config python3 python3-yaml
  clang clang-format libclang-rt-14-dev
  # libraries
  libsodium-dev libssl-dev libcurl4-openssl-dev
  nlohmann-json3-dev libsimdjson-dev libfmt-dev libspdlog-dev libcli11-dev zlib1g-dev libvalijson-dev
  libsqlite3-dev libcpp-httplib-dev libcsv-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-jsonschema wrk openssl
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [[ "${1:-}" == "--check" ]]; then
  status=0
  if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install-deps: all ${#PACKAGES[@]} packages present"
  else
    echo "install-deps: missing: ${missing[*]}" >&2
    status=1
  fi
  if ! contexts_installed; then
    echo "install-deps: contexts/node_modules is missing or older than contexts/package-lock.json" >&2
    status=1
  fi
  exit "$status"
fi

SUDO=""
if [[ $(id -u) -ne 0 ]] && { [[ ${#missing[@]} -gt 0 ]] || ! command -v npm >/dev/null 2>&1; }; then
  if command -v sudo >/dev/null; then
    SUDO="sudo"
  else
    echo "install-deps: not root and sudo is not available; install: ${missing[*]:-} nodejs npm" >&2
    exit 1
  fi
fi

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

install_contexts
