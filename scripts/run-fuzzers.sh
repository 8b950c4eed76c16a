#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz-preset build for N seconds each, starting from a
# scratch copy of its seed corpus (the repo corpus is never modified). Findings are written
# to build/fuzz/findings/<target>/ and make the script fail.
set -euo pipefail
dir="${1:-build/fuzz}"
seconds="${2:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
status=0
for corpus in $(find "$root/src" -path '*/testdata/fuzz/*' -maxdepth 4 -mindepth 4 -type d | sort); do
  name="$(basename "$corpus")"
  bin="$dir/bin/$name"
  if [[ ! -x "$bin" ]]; then
    echo "run-fuzzers: $name has a corpus but no binary in $dir/bin" >&2
    status=1
    continue
  fi
  work="$dir/corpus/$name"
  findings="$dir/findings/$name"
  rm -rf "$work"
  mkdir -p "$work" "$findings"
  cp -r "$corpus"/. "$work"/
  echo "== $name (${seconds}s)"
  if ! "$bin" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$findings/" \
      "$work" 2>"$dir/$name.log"; then
    echo "run-fuzzers: $name FOUND A CRASH; see $findings and $dir/$name.log" >&2
    status=1
  fi
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+.*DONE)' "$dir/$name.log" || true
done
exit $status
