#!/usr/bin/env bash
# Runs every *_bench binary of a build directory. Each prints lines of the form
#   bench <name>: <value> <unit> (ratio <r> vs <baseline>)
# traceport_vc_bench also writes the credentials it verifies to a scratch directory, and the
# Node peer bench (tests/interop/bench/run.sh: jose, @digitalbazaar/eddsa-jcs-2022-cryptosuite)
# then verifies the same files and prints our throughput as a ratio to theirs.
# Set TRACEPORT_BENCH_ENFORCE=1 to fail when a ratio misses its limit or goal.
# Set TRACEPORT_SKIP_PEER_BENCH=1 to skip the Node peers.
set -euo pipefail
dir="${1:-build/release}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shopt -s nullglob
benches=("$dir"/bin/*_bench)
if [[ ${#benches[@]} -eq 0 ]]; then
  echo "run-benches: no benchmarks in $dir/bin" >&2
  exit 1
fi
scratch="$(mktemp -d "${TMPDIR:-/tmp}/traceport-bench.XXXXXX")"
trap 'rm -rf -- "$scratch"' EXIT
status=0
for b in "${benches[@]}"; do
  echo "== $(basename "$b")"
  if [[ "$(basename "$b")" == traceport_vc_bench ]]; then
    "$b" --fixtures "$scratch/vc" | tee "$scratch/vc-ours.txt" || status=1
  else
    "$b" || status=1
  fi
done
if [[ -f "$scratch/vc-ours.txt" && "${TRACEPORT_SKIP_PEER_BENCH:-0}" != 1 ]]; then
  echo "== peers (tests/interop/bench)"
  "$root/tests/interop/bench/run.sh" "$scratch/vc" "$scratch/vc-ours.txt" || status=1
fi
exit $status
