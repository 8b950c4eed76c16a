#!/usr/bin/env python3
"""Enforces the module graph written in docs/architecture.md.

Checks, for every C++ file under src/ and apps/:
  * an include of another module's header ("mod/...") is allowed by the graph;
  * no file outside a module includes that module's internal/ headers;
  * production code never includes another module's testing/ headers;
  * third-party headers appear only in the modules the doc allows;
  * each src/<mod>/CMakeLists.txt declares exactly the DEPS the graph gives it.

A module may be nested one level ("ledger/verify" lives in src/ledger/verify/, its CMake target
is traceport_ledger_verify and its CMake DEPS name is ledger_verify).

Usage: check_deps.py [ROOT]   (default: the repository root). Exit 1 with one line per
violation. tests/scripts/check_deps_test.py proves the check fails on a crossing include.
"""
import os
import re
import sys

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
TEST_SUFFIXES = ("_test.cc", "_bench.cc", "_fuzz.cc")


def parse_blocks(doc_text, tag):
    m = re.search(r"```" + tag + r"\n(.*?)```", doc_text, re.S)
    if not m:
        raise SystemExit(f"check_deps: no ```{tag} block in docs/architecture.md")
    out = {}
    for line in m.group(1).splitlines():
        line = line.strip()
        if not line:
            continue
        key, _, rest = line.partition(":")
        out[key.strip()] = set(rest.split())
    return out


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), ".."))
    with open(os.path.join(root, "docs", "architecture.md"), encoding="utf-8") as f:
        doc = f.read()
    graph = parse_blocks(doc, "modules")
    thirdparty = parse_blocks(doc, "thirdparty")
    errors = []

    # The graph must be acyclic.
    state = {}

    def visit(m, stack):
        if state.get(m) == 1:
            errors.append("docs/architecture.md: cycle " + " -> ".join(stack + [m]))
            return
        if state.get(m) == 2:
            return
        state[m] = 1
        for d in graph.get(m, ()):
            if d not in graph:
                errors.append(f"docs/architecture.md: {m} depends on unknown module {d}")
                continue
            visit(d, stack + [m])
        state[m] = 2

    for m in graph:
        visit(m, [])

    src = os.path.join(root, "src")
    modules = []
    for mod in sorted(os.listdir(src)) if os.path.isdir(src) else []:
        if not os.path.isdir(os.path.join(src, mod)):
            continue
        if mod not in graph:
            errors.append(f"src/{mod}: module missing from docs/architecture.md")
            continue
        modules.append(mod)
        # Nested modules ("ledger/verify") are the graph's names with a slash.
        modules += sorted(m for m in graph if m.startswith(mod + "/") and
                          os.path.isdir(os.path.join(src, m)))
    for mod in modules:
        cml = os.path.join(src, mod, "CMakeLists.txt")
        if os.path.exists(cml):
            with open(cml, encoding="utf-8") as f:
                text = f.read()
            m = re.search(r"DEPS\s+([^\n]*?)(?:\s+(?:LIBS|TEST_LIBS)\b|\)|\n)", text)
            declared = set(m.group(1).split()) if m else set()
            expected = {d.replace("/", "_") for d in graph[mod]}
            if declared != expected:
                errors.append(f"src/{mod}/CMakeLists.txt: DEPS {sorted(declared)} differ from "
                              f"the graph's {sorted(expected)}")

    def module_of(rel_parts):
        """The module a path (split into parts, relative to src/) or include belongs to."""
        if len(rel_parts) > 2 and "/".join(rel_parts[:2]) in graph:
            return "/".join(rel_parts[:2])
        return rel_parts[0]

    def check_file(path, owner, is_test):
        rel = os.path.relpath(path, root)
        in_testing = "/testing/" in rel
        with open(path, encoding="utf-8", errors="replace") as f:
            for lineno, line in enumerate(f, 1):
                m = INCLUDE_RE.match(line)
                if not m:
                    continue
                delim, inc = m.groups()
                where = f"{rel}:{lineno}"
                head = module_of(inc.split("/"))
                if delim == '"' and head in graph:
                    target = head
                    if owner not in ("app", "tests") and target != owner and \
                            target not in graph[owner]:
                        errors.append(f"{where}: {owner} may not include {inc} "
                                      f"({owner} does not depend on {target})")
                    if "/internal/" in inc and target != owner:
                        errors.append(f"{where}: {inc} is internal to {target}")
                    if "/testing/" in inc and not (is_test or in_testing or owner == "tests"):
                        errors.append(f"{where}: production code includes test helper {inc}")
                    continue
                for prefix, allowed in thirdparty.items():
                    if inc == prefix or (prefix.endswith("/") and inc.startswith(prefix)):
                        ok = owner in allowed or (is_test and owner in ("common", "crypto")
                                                  and prefix == "nlohmann/")
                        # A benchmark's baseline is the raw library call, so a bench may use
                        # the libraries of the modules its own module depends on.
                        if path.endswith("_bench.cc") and owner in graph:
                            ok = ok or any(d in allowed for d in graph[owner])
                        if owner == "tests" and "tests" not in allowed:
                            ok = ok or prefix == "nlohmann/"
                        if not ok:
                            errors.append(f"{where}: {inc} may only be included in "
                                          f"{', '.join(sorted(allowed))}")

    for base, owner_of in (("src", None), ("apps", "app"), ("tests", "tests")):
        top = os.path.join(root, base)
        if not os.path.isdir(top):
            continue
        for dirpath, _, files in os.walk(top):
            if "/node_modules" in dirpath:
                continue
            for name in files:
                if not name.endswith((".h", ".cc")):
                    continue
                path = os.path.join(dirpath, name)
                if owner_of is None:
                    owner = module_of(os.path.relpath(path, top).split(os.sep))
                    if owner not in graph:
                        continue
                else:
                    owner = owner_of
                check_file(path, owner, name.endswith(TEST_SUFFIXES) or owner == "tests")

    for e in errors:
        print(e)
    if errors:
        print(f"check_deps: {len(errors)} violation(s)")
        return 1
    print(f"check_deps: {len(graph)} modules, graph respected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
