#!/usr/bin/env python3
"""`traceport demo --no-serve`, driven as a user would: it seeds a fresh node with the demo
network (every credential issued against its schema, revoked or edited as planted, every
shipment submitted to customs), prints the logins and the planted-problem table, and exits
non-zero when a planted problem's rule did not fire or a clean shipment raised an error finding.

Usage: demo_test.py PATH_TO_TRACEPORT
"""
import json
import os
import stat
import subprocess
import sys
import tempfile
import time

EXPECTED_RULES = {
    "steel.melt-pour-origin",
    "credential.proof",
    "credential.status",
    "identity.parties-registered",
    "steel.heat-numbers-match",
    "timing.data-earlier",
    "oil.api-gravity-hts",
    "gas.monthly-reconciliation",
}
SHIPMENTS = 16

failures = []


def check(cond, message):
    if not cond:
        failures.append(message)
        print(f"FAIL: {message}", file=sys.stderr)


def demo(binary, *args):
    start = time.monotonic()
    r = subprocess.run([binary, "demo", *args], capture_output=True, text=True, timeout=240)
    return r, time.monotonic() - start


def problem_table(stdout):
    """The rows of the "Planted problems" table: (shipment, rule, fired, submission)."""
    lines = stdout.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith("Planted problems"))
    except StopIteration:
        return []
    rows = []
    for line in lines[start + 2:]:  # past the title and the column header
        if not line.startswith("  "):
            break
        parts = line.split()
        # FIRED is "yes", "NO" or "not evaluated" (two words).
        if parts[2] == "not":
            rows.append((parts[0], parts[1], "not evaluated", parts[4]))
        else:
            rows.append((parts[0], parts[1], parts[2], parts[3]))
    return rows


def main():
    if len(sys.argv) < 2:
        print("usage: demo_test.py PATH_TO_TRACEPORT", file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "node")
        r, elapsed = demo(binary, "--no-serve", "--seed", "7", "--shipments", str(SHIPMENTS),
                          "--data", data)
        print(f"traceport demo --no-serve --seed 7 --shipments {SHIPMENTS}: exit {r.returncode} "
              f"in {elapsed:.1f} s")
        check(r.returncode == 0,
              f"exit {r.returncode}\n--- stdout\n{r.stdout}\n--- stderr\n{r.stderr[-4000:]}")

        # Progress: one line per shipment, in order.
        progress = [line for line in r.stderr.splitlines() if line.startswith("seeding ")]
        check(len(progress) == SHIPMENTS, f"{len(progress)} progress lines: {progress[:3]}")
        for i, line in enumerate(progress):
            check(line.startswith(f"seeding {i + 1}/{SHIPMENTS} "), f"progress line {line!r}")

        # The planted-problem table names every rule once, each on its own shipment.
        rows = problem_table(r.stdout)
        rules = [row[1] for row in rows]
        check(set(rules) == EXPECTED_RULES and len(rules) == len(EXPECTED_RULES),
              f"planted-problem rules {rules}")
        shipments = [row[0] for row in rows]
        check(len(set(shipments)) == len(shipments), f"a shipment carries two problems: {rows}")
        fired = {row[2] for row in rows}
        check(fired <= {"yes", "NO", "not evaluated"}, f"FIRED column {fired}")
        if fired != {"not evaluated"}:
            # The node evaluates submissions: every planted problem must have been caught, and
            # each has the submission id customs filed it under.
            check(fired == {"yes"}, f"planted problems not caught: {rows}")
            check(all(row[3] != "-" for row in rows), f"a planted problem has no submission: {rows}")

        # The logins: one per organization plus the customs clients for submitters, in a file
        # only the owner can read.
        logins_path = os.path.join(data, "demo-logins.json")
        check(os.path.exists(logins_path), "no demo-logins.json")
        if os.path.exists(logins_path):
            mode = stat.S_IMODE(os.stat(logins_path).st_mode)
            check(mode == 0o600, f"demo-logins.json mode {oct(mode)}")
            with open(logins_path) as f:
                logins = json.load(f)["logins"]
            orgs = {entry["org"] for entry in logins}
            for slug in ("cbp", "trade-registry", "acero-norte", "gulf-coast-steel",
                         "rio-bravo-customs", "lone-star-freight", "prairie-ridge",
                         "northern-plains-pipeline", "bighorn-refining", "cascade-gas",
                         "commerce-sima", "doe-fecm", "pacific-rim-metals"):
                check(slug in orgs, f"no login for {slug}")
            ids = [entry["client_id"] for entry in logins]
            check(len(set(ids)) == len(ids), "duplicate client ids")
            for entry in logins:
                check(entry["client_id"] in r.stdout and entry["client_secret"] in r.stdout,
                      f"login of {entry['org']} not printed")
        check(os.path.exists(os.path.join(data, "node.db")), "no node.db in the data directory")

        # A data directory that is not empty is refused, and nothing in it is touched.
        before = sorted(os.listdir(data))
        again, _ = demo(binary, "--no-serve", "--data", data)
        check(again.returncode != 0 and "not empty" in again.stderr,
              f"non-empty --data: exit {again.returncode}, {again.stderr.strip()[:300]}")
        check(sorted(os.listdir(data)) == before, "the refused run changed the directory")

        # The same seed plants the same problems on the same shipments (the JSON output).
        data2 = os.path.join(tmp, "node2")
        r2, elapsed2 = demo(binary, "--no-serve", "--seed", "7", "--shipments", str(SHIPMENTS),
                            "--data", data2, "--json")
        print(f"second run (--json): exit {r2.returncode} in {elapsed2:.1f} s")
        check(r2.returncode == 0, f"second run: exit {r2.returncode}\n{r2.stderr[-2000:]}")
        try:
            summary = json.loads(r2.stdout)
            second = [(p["shipment"], p["ruleId"]) for p in summary["problems"]]
            check(second == [(row[0], row[1]) for row in rows],
                  f"seed 7 planted differently: {second} vs {rows}")
            check(summary["failures"] == [], f"failures: {summary['failures']}")
        except (ValueError, KeyError) as e:
            check(False, f"--json output: {e}: {r2.stdout[:500]}")

    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    print("demo: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
