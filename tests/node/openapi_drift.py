#!/usr/bin/env python3
"""Fails when docs/api/openapi.json differs from what the binary generates.

The node's OpenAPI document is generated from its route declarations (src/node/node_routes.cc);
docs/api/openapi.json is the checked-in copy reviewers read. Regenerate it with `make openapi`.

Usage: openapi_drift.py TRACEPORT_BINARY CHECKED_IN_JSON
"""
import difflib
import subprocess
import sys


def main():
    binary, checked_in = sys.argv[1], sys.argv[2]
    generated = subprocess.run([binary, "openapi"], check=True, capture_output=True,
                               text=True).stdout
    with open(checked_in, encoding="utf-8") as f:
        stored = f.read()
    if generated == stored:
        print(f"openapi drift: {checked_in} matches the generated document")
        return 0
    diff = difflib.unified_diff(stored.splitlines(), generated.splitlines(),
                                fromfile=checked_in, tofile="traceport openapi", lineterm="",
                                n=2)
    for i, line in enumerate(diff):
        if i >= 80:
            print("... (diff truncated)")
            break
        print(line)
    print(f"openapi drift: {checked_in} is out of date; run `make openapi` and commit it",
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
