#!/usr/bin/env bash
# Runs every *_bench binary of a build directory. Each prints lines of the form
#   bench <name>: <value> <unit> (ratio <r> vs <baseline>)
# Set TRACEPORT_BENCH_ENFORCE=1 to fail when a wrapper exceeds its ratio limit.
set -euo pipefail
dir="${1:-build/release}"
shopt -s nullglob
benches=("$dir"/bin/*_bench)
if [[ ${#benches[@]} -eq 0 ]]; then
  echo "run-benches: no benchmarks in $dir/bin" >&2
  exit 1
fi
status=0
for b in "${benches[@]}"; do
  echo "== $(basename "$b")"
  "$b" || status=1
done
exit $status
