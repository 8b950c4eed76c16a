#!/usr/bin/env python3
"""Proves scripts/check_deps.py accepts a tree that respects the graph and rejects each kind
of violation. Builds small fake trees in a temporary directory around the real
docs/architecture.md."""
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CHECK = os.path.join(ROOT, "scripts", "check_deps.py")


def make_tree(files):
    tmp = tempfile.mkdtemp(prefix="check_deps_")
    os.makedirs(os.path.join(tmp, "docs"))
    shutil.copy(os.path.join(ROOT, "docs", "architecture.md"), os.path.join(tmp, "docs"))
    for rel, text in files.items():
        path = os.path.join(tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return tmp


def run(files):
    tmp = make_tree(files)
    try:
        p = subprocess.run([sys.executable, CHECK, tmp], capture_output=True, text=True)
        return p.returncode, p.stdout
    finally:
        shutil.rmtree(tmp)


GOOD = {
    "src/codec/CMakeLists.txt": "traceport_module(NAME codec DEPS common LIBS x)\n",
    "src/codec/jcs.cc": '#include "codec/jcs.h"\n#include "common/status.h"\n#include <nlohmann/json.hpp>\n',
    "src/crypto/CMakeLists.txt": "traceport_module(NAME crypto DEPS common LIBS y)\n",
    "src/crypto/ed.cc": '#include <sodium.h>\n#include "common/status.h"\n',
    "src/ledger/CMakeLists.txt": "add_subdirectory(verify)\n"
                                 "traceport_module(NAME ledger DEPS common codec crypto net "
                                 "ledger_verify LIBS z)\n",
    "src/ledger/log.cc": '#include "ledger/verify/merkle.h"\n#include <sqlite3.h>\n',
    "src/ledger/verify/CMakeLists.txt":
        "traceport_module(NAME ledger_verify DEPS common codec crypto)\n",
    "src/ledger/verify/merkle.cc": '#include "ledger/verify/merkle.h"\n#include "crypto/sha2.h"\n',
}

CASES = [
    ("crossing include", {"src/codec/bad.cc": '#include "crypto/ed25519.h"\n'},
     "codec may not include crypto/ed25519.h"),
    ("upward include", {"src/common/bad.cc": '#include "codec/jcs.h"\n'},
     "common may not include codec/jcs.h"),
    ("internal header", {"src/jose/CMakeLists.txt":
                         "traceport_module(NAME jose DEPS common codec crypto)\n",
                         "src/jose/x.cc": '#include "crypto/internal/evp.h"\n'},
     "internal to crypto"),
    ("third-party header", {"src/codec/ssl.cc": "#include <openssl/evp.h>\n"},
     "openssl/evp.h may only be included in crypto"),
    ("test helper in production", {"src/codec/y.cc": '#include "common/testing/fake_clock.h"\n'},
     "production code includes test helper"),
    ("cmake deps drift", {"src/codec/CMakeLists.txt":
                          "traceport_module(NAME codec DEPS common crypto LIBS x)\n"},
     "differ from the graph"),
    ("undocumented module", {"src/rogue/a.cc": "int x;\n"}, "module missing"),
    ("nested module includes its parent",
     {"src/ledger/verify/CMakeLists.txt":
      "traceport_module(NAME ledger_verify DEPS common codec crypto)\n",
      "src/ledger/verify/m.cc": '#include "ledger/storage.h"\n'},
     "ledger/verify may not include ledger/storage.h"),
    ("nested module cmake deps drift",
     {"src/ledger/verify/CMakeLists.txt":
      "traceport_module(NAME ledger_verify DEPS common codec crypto net)\n"},
     "src/ledger/verify/CMakeLists.txt: DEPS"),
]


def main():
    failures = 0
    code, out = run(GOOD)
    if code != 0:
        print("FAIL good tree rejected:\n" + out)
        failures += 1
    else:
        print("ok   good tree accepted")
    for name, extra, expect in CASES:
        files = dict(GOOD)
        files.update(extra)
        code, out = run(files)
        if code == 0 or expect not in out:
            print(f"FAIL {name}: exit {code}, output:\n{out}")
            failures += 1
        else:
            print(f"ok   {name} rejected")
    print(f"check_deps selftest: {len(CASES) + 1 - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
