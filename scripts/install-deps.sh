#!/usr/bin/env bash
# Installs every Debian package Traceport needs to build, test, benchmark and fuzz, then the npm
# packages the build uses: the built-in JSON-LD contexts (contexts/package-lock.json, compiled
# into the binary: docs/formats/contexts.md) and the portal's UI libraries and bundler
# (web/package-lock.json: docs/portal.md).
# Idempotent: when everything is present it changes nothing and exits quickly.
#   scripts/install-deps.sh          install what is missing (uses sudo when not root)
#   scripts/install-deps.sh --check  exit 1 (listing them) if anything is missing
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The npm projects the build needs, with what they are for.
NPM_DIRS=("$root/contexts" "$root/web")
NPM_WHAT=("JSON-LD context packages" "the portal's libraries and bundler")

# True when DIR/node_modules was installed from DIR's current lock (npm writes its own copy of
# the lock, node_modules/.package-lock.json, on every install).
npm_installed() {
  local dir="$1" installed="$1/node_modules/.package-lock.json"
  [[ -f "$installed" && ! "$dir/package-lock.json" -nt "$installed" &&
     ! "$dir/package.json" -nt "$installed" ]]
}

# `npm ci` into DIR/node_modules: exactly what the lock pins (checked against the lock's
# integrity hashes), from the npm cache when it has the packages. No install scripts run.
install_npm() {
  local dir="$1" what="$2"
  npm_installed "$dir" && return 0
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-deps: npm not found; installing Debian's nodejs and npm"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends nodejs npm
  fi
  echo "install-deps: npm ci in ${dir#"$root"/}/ ($what)"
  if ! (cd "$dir" && npm ci --no-audit --no-fund --prefer-offline --ignore-scripts \
        --loglevel=error); then
    echo "install-deps: 'npm ci' in $dir failed (is the npm registry or the npm cache" \
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
  libpcre2-dev  # JSON Schema `pattern` (vc)
  libsqlite3-dev libcpp-httplib-dev libhttp-parser-dev libcsv-dev
  libgoogle-perftools-dev  # tcmalloc (TRACEPORT_ALLOCATOR)
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-jsonschema wrk openssl
  # the portal's browser tests (tests/browser: playwright-core drives it headless)
  chromium
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
  for dir in "${NPM_DIRS[@]}"; do
    if ! npm_installed "$dir"; then
      echo "install-deps: ${dir#"$root"/}/node_modules is missing or older than its" \
           "package-lock.json" >&2
      status=1
    fi
  done
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

for i in "${!NPM_DIRS[@]}"; do
  install_npm "${NPM_DIRS[$i]}" "${NPM_WHAT[$i]}"
done
