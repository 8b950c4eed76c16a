#!/usr/bin/env bash
# clang-format every C++ source in the project (the pinned Debian 12 clang-format 14).
#   scripts/format.sh          rewrite files in place
#   scripts/format.sh --check  list files that are not formatted and exit 1
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- \
  'src/*.h' 'src/*.cc' 'apps/*.h' 'apps/*.cc' 'tests/*.h' 'tests/*.cc' | sort -u)
existing=()
for f in "${files[@]}"; do [[ -f "$f" ]] && existing+=("$f"); done
if [[ "${1:-}" == "--check" ]]; then
  bad=()
  for f in "${existing[@]}"; do
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then bad+=("$f"); fi
  done
  if [[ ${#bad[@]} -gt 0 ]]; then
    echo "format: not clang-formatted (run 'make format'):" >&2
    printf '  %s\n' "${bad[@]}" >&2
    exit 1
  fi
  echo "format: ${#existing[@]} files clean"
else
  clang-format -i "${existing[@]}"
  echo "format: ${#existing[@]} files formatted"
fi
