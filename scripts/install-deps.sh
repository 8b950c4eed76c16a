#!/usr/bin/env bash
# Installs every Debian package Traceport needs to build, test, benchmark and fuzz.
# Idempotent: when everything is present it changes nothing and exits quickly.
#   scripts/install-deps.sh          install what is missing (uses sudo when not root)
#   scripts/install-deps.sh --check  exit 1 (listing them) if any package is missing
set -euo pipefail

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

if [[ ${#missing[@]} -eq 0 ]]; then
  [[ "${1:-}" == "--check" ]] && echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

if [[ "${1:-}" == "--check" ]]; then
  echo "install-deps: missing: ${missing[*]}" >&2
  exit 1
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then
    SUDO="sudo"
  else
    echo "install-deps: not root and sudo is not available; install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
