#!/usr/bin/env python3
"""Crash test for the ledger: kill -9 the real `traceport ledger append` process while it is
appending, over and over, and check after each crash that

  * every entry it acknowledged (printed "<index> <digest>") is stored at that index with that
    digest — acknowledged means durable, so nothing acknowledged is ever lost;
  * `traceport ledger verify` recomputes the whole log and finds nothing wrong, which includes
    every checkpoint published before the crash;
  * the next checkpoint (`traceport ledger checkpoint`) is consistent with the last published
    one: it is at least as large, and the audit checks both against the same recomputed tree.

Usage: crash_test.py TRACEPORT [--cycles N] [--seed S]
The test suite runs 50 cycles; `--cycles 1000` is the soak run (docs/operations.md).
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)


def entry(n):
    return json.dumps({
        "type": "event.recorded",
        "event_id": f"urn:uuid:crash-{n}",
        "event_type": "ObjectEvent",
        "digest": "sha256:" + hashlib.sha256(str(n).encode()).hexdigest(),
        "recorded_at": "2026-11-27T10:00:00Z",
    }, separators=(",", ":"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("traceport")
    ap.add_argument("--cycles", type=int, default=50)
    ap.add_argument("--seed", type=int, default=20261127)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tmp = tempfile.mkdtemp(prefix="traceport-crash-")
    data = os.path.join(tmp, "ledger")
    failures = []
    acked = {}  # index -> digest, over all cycles
    published = 0  # size of the latest checkpoint seen
    next_n = 0
    try:
        r = run([args.traceport, "ledger", "init", "--data", data, "--origin",
                 "crash.traceport.example/ledger"])
        if r.returncode != 0:
            print("init failed:", r.stderr)
            return 1
        for cycle in range(args.cycles):
            proc = subprocess.Popen([args.traceport, "ledger", "append", "--data", data, "-"],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, bufsize=1)
            start_n = next_n
            stop = threading.Event()
            fed = [start_n]

            def feed():
                n = start_n
                try:
                    while not stop.is_set():
                        chunk = "".join(entry(k) + "\n" for k in range(n, n + 50))
                        proc.stdin.write(chunk)
                        proc.stdin.flush()
                        n += 50
                        fed[0] = n
                        time.sleep(0.005)  # sustained, not flooding: about 10,000/s
                except (BrokenPipeError, ValueError, OSError):
                    pass

            cycle_acks = []

            def read():
                for line in proc.stdout:
                    parts = line.split()
                    if len(parts) == 2:
                        cycle_acks.append((int(parts[0]), parts[1]))

            tf = threading.Thread(target=feed)
            tr = threading.Thread(target=read)
            tf.start()
            tr.start()
            time.sleep(rng.uniform(0.05, 0.4))
            proc.kill()  # SIGKILL: no chance to flush or clean up
            proc.wait()
            stop.set()
            tf.join()
            tr.join()
            next_n = fed[0] + 50
            for index, digest in cycle_acks:
                if index in acked and acked[index] != digest:
                    failures.append(f"cycle {cycle}: index {index} acknowledged twice with "
                                    f"different entries")
                acked[index] = digest

            db_path = os.path.join(data, "ledger.db")
            initialized = os.path.exists(db_path)
            if initialized:
                try:
                    probe = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
                    probe.execute("SELECT size FROM state").fetchone()
                    probe.close()
                except sqlite3.OperationalError:
                    initialized = False  # killed while creating the schema (one transaction)
            if not initialized:
                # Killed before it opened the store: it cannot have acknowledged anything.
                if cycle_acks or acked:
                    failures.append(f"cycle {cycle}: the store is gone")
                print(f"cycle {cycle + 1}/{args.cycles}: killed before the store existed",
                      flush=True)
                continue
            # Every acknowledged entry is stored, at its index, unchanged.
            db = sqlite3.connect(f"file:{os.path.join(data, 'ledger.db')}?mode=ro", uri=True)
            size = db.execute("SELECT size FROM state").fetchone()[0]
            rows = dict(db.execute("SELECT idx, data FROM entries").fetchall())
            db.close()
            for index, digest in acked.items():
                stored = rows.get(index)
                if stored is None:
                    failures.append(f"cycle {cycle}: acknowledged entry {index} is lost")
                elif "sha256:" + hashlib.sha256(stored).hexdigest() != digest:
                    failures.append(f"cycle {cycle}: entry {index} differs from what was "
                                    f"acknowledged")
            if acked and size <= max(acked):
                failures.append(f"cycle {cycle}: tree size {size} does not cover acknowledged "
                                f"index {max(acked)}")

            # The whole log verifies, including every checkpoint published so far.
            v = run([args.traceport, "ledger", "verify", data, "--quiet", "--json"])
            if v.returncode != 0:
                failures.append(f"cycle {cycle}: ledger verify failed: {v.stdout} {v.stderr}")
                        # The next checkpoint follows the last published one. A log killed before its first
            # commit is empty and has nothing to checkpoint (the command says so and fails).
            c = run([args.traceport, "ledger", "checkpoint", "--data", data, "--json"])
            if size == 0 and published == 0:
                pass
            elif c.returncode != 0:
                failures.append(f"cycle {cycle}: checkpoint after restart failed: {c.stderr}")
            else:
                cp_size = json.loads(c.stdout)["size"]
                if cp_size < published or cp_size != size:
                    failures.append(f"cycle {cycle}: checkpoint size {cp_size} after a "
                                    f"published {published} (log size {size})")
                published = cp_size
            print(f"cycle {cycle + 1}/{args.cycles}: {len(cycle_acks)} acknowledged, "
                  f"log size {size}", flush=True)
            if failures:
                break
        # A final audit covers the checkpoints signed after each restart too.
        v = run([args.traceport, "ledger", "verify", data, "--quiet", "--json"])
        if v.returncode != 0:
            failures.append(f"final ledger verify failed: {v.stdout}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures[:20]:
        print("FAIL", f)
    total = len(acked)
    print(f"crash test: {args.cycles} kill -9 cycles, {total} acknowledged entries, "
          f"{len(failures)} failure(s)")
    if total == 0:
        print("FAIL no entry was ever acknowledged: the test did not exercise anything")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
