#!/usr/bin/env bash
# Prints the "conformance <suite>: N passed, M failed, K skipped" lines that the last CTest run
# of a build directory produced (CTest keeps passing tests' output only in its log).
set -euo pipefail
log="${1:-build/dev}/Testing/Temporary/LastTest.log"
if [[ ! -f "$log" ]]; then
  echo "conformance-summary: no CTest log at $log" >&2
  exit 1
fi
echo "== conformance suites"
grep -hE '^conformance [a-z0-9-]+: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | sort -u
