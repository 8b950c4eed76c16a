#!/usr/bin/env python3
"""End-to-end test of the ledger over HTTP, driving the real binary as an operator would:
a witness and a ledger node on free loopback ports, entries appended over HTTP, checkpoints
cosigned by the witness, receipts verified offline with only the log and witness keys, the
tlog-tiles read API, a mirror, and a forked log that the witness and the mirror both refuse.

Usage: http_test.py TRACEPORT
"""
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

TRACEPORT = sys.argv[1]
failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL", what, flush=True)


def run(*args, **kw):
    return subprocess.run([TRACEPORT, *args], capture_output=True, text=True, timeout=120, **kw)


def start(*args):
    p = subprocess.Popen([TRACEPORT, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    line = p.stdout.readline()
    m = re.search(r"listening on (http://\S+)", line)
    if not m:
        p.kill()
        raise SystemExit(f"server did not start: {line} {p.stderr.read()}")
    return p, m.group(1)


def request(method, url, body=None, headers=None):
    req = urllib.request.Request(url, data=body.encode() if isinstance(body, str) else body,
                                 method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def entry(n, variant=""):
    return json.dumps({"type": "duty.paid", "entry_number": f"E-{n}{variant}",
                       "amount": f"{n}.50", "currency": "USD",
                       "payer": "did:web:importer.example",
                       "recorded_at": "2026-11-27T10:00:00Z"})


def wait_for(pred, seconds=10):
    end = time.time() + seconds
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.1)
    return False


def main():
    tmp = tempfile.mkdtemp(prefix="traceport-http-")
    procs = []
    try:
        ledger, witness, fork = (os.path.join(tmp, d) for d in ("ledger", "witness", "fork"))
        check(run("ledger", "init", "--data", ledger, "--origin",
                  "customs.example/ledger").returncode == 0, "ledger init")
        check(run("witness", "init", "--data", witness, "--name",
                  "witness.example/w1").returncode == 0, "witness init")
        log_key = open(os.path.join(ledger, "log.vkey")).read().strip()
        witness_key = open(os.path.join(witness, "witness.vkey")).read().strip()
        check(run("witness", "add-log", "--data", witness, "--key", log_key).returncode == 0,
              "witness add-log")
        # The fork: another directory holding the same signing key, with its own history.
        os.makedirs(fork)
        for f in ("ledger.json", "log.key", "log.vkey"):
            shutil.copy2(os.path.join(ledger, f), fork)
        token_file = os.path.join(tmp, "token")
        with open(token_file, "w") as f:
            f.write("append-token-0123456789\n")
        auth = {"Authorization": "Bearer append-token-0123456789",
                "Content-Type": "application/json"}

        wp, wurl = start("witness", "serve", "--data", witness, "--listen", "127.0.0.1:0")
        procs.append(wp)
        lp, lurl = start("ledger", "serve", "--data", ledger, "--listen", "127.0.0.1:0",
                         "--witness", f"{wurl}={witness_key}", "--witness-quorum", "1",
                         "--append-token-file", token_file, "--checkpoint-interval-ms", "200")
        procs.append(lp)

        # Appends over HTTP, and bad input that changes nothing.
        for n in range(300):
            st, _, body = request("POST", f"{lurl}/ledger/entries", entry(n), auth)
            check(st == 201 and json.loads(body)["index"] == n, f"append {n}: {st} {body[:100]}")
        st, _, body = request("POST", f"{lurl}/ledger/entries", entry(999))
        check(st == 401, f"append without token: {st}")
        st, _, body = request("POST", f"{lurl}/ledger/entries", '{"type":"duty.paid"}', auth)
        check(st == 400 and b"requires" in body, f"append of an invalid entry: {st} {body}")
        st, _, body = request("POST", f"{lurl}/ledger/entries", "{not json", auth)
        check(st == 400, f"append of malformed JSON: {st}")
        # An oversize body is refused from its Content-Length, before it is sent.
        host, port = lurl[len("http://"):].split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.putrequest("POST", "/ledger/entries")
        conn.putheader("Authorization", auth["Authorization"])
        conn.putheader("Content-Length", str(2 << 20))
        conn.endheaders()
        st = conn.getresponse().status
        conn.close()
        check(st == 413, f"append of 2 MiB: {st}")

        # The witness cosigns; the final checkpoint covers everything.
        def final_size():
            st, _, body = request("GET", f"{lurl}/checkpoint")
            return int(body.decode().split("\n")[1]) if st == 200 else -1
        check(wait_for(lambda: final_size() == 300), "a cosigned checkpoint for 300 entries")
        st, headers, body = request("GET", f"{lurl}/checkpoint")
        check("witness.example/w1" in body.decode(), "the checkpoint carries the cosignature")

        # A receipt verifies offline with only the keys; a tampered one does not.
        st, _, receipt = request("GET", f"{lurl}/ledger/receipts/123")
        check(st == 200 and receipt.startswith(b"c2sp.org/tlog-proof@v1\n"), f"receipt: {st}")
        rfile = os.path.join(tmp, "r.tlog-proof")
        open(rfile, "wb").write(receipt)
        v = run("verify", "receipt", rfile, "--log-key", log_key, "--witness", witness_key,
                "--min-witnesses", "1", "--json")
        check(v.returncode == 0 and json.loads(v.stdout)["entry"]["entry_number"] == "E-123",
              f"verify receipt: {v.returncode} {v.stdout} {v.stderr}")
        lines = receipt.decode().split("\n")
        lines[3] = lines[4]  # swap in a wrong proof hash
        open(rfile, "w").write("\n".join(lines))
        v = run("verify", "receipt", rfile, "--log-key", log_key)
        check(v.returncode == 3, f"tampered receipt: exit {v.returncode}")
        st, _, body = request("GET", f"{lurl}/ledger/receipts/123?format=json")
        check(st == 200 and json.loads(body)["index"] == 123, "JSON receipt")
        st, _, _ = request("GET", f"{lurl}/ledger/receipts/300")
        check(st == 404, f"receipt past the end: {st}")

        # tlog-tiles and proofs.
        st, headers, body = request("GET", f"{lurl}/tile/0/000")
        check(st == 200 and len(body) == 8192 and "immutable" in headers.get("Cache-Control", ""),
              f"full tile: {st} {len(body)} {headers.get('Cache-Control')}")
        st, _, body = request("GET", f"{lurl}/tile/0/001.p/44")
        check(st == 200 and len(body) == 44 * 32, f"partial tile: {st} {len(body)}")
        st, _, body = request("GET", f"{lurl}/tile/entries/001.p/44")
        check(st == 200 and len(body) > 44 * 2, f"partial bundle: {st}")
        for bad, code in (("/tile/0/1", 400), ("/tile/0/001.p/45", 404), ("/tile/9/000", 404),
                          ("/tile/0/x001/002", 404), ("/tile/00/000", 400),
                          ("/ledger/entries/abc", 400), ("/ledger/entries/300", 404),
                          ("/ledger/proof/inclusion?index=5&tree_size=400", 400),
                          ("/ledger/proof/inclusion", 400), ("/nope", 404)):
            st, headers, _ = request("GET", f"{lurl}{bad}")
            check(st == code, f"GET {bad}: {st}, expected {code}")
            check(headers.get("Content-Type", "").startswith("application/problem+json"),
                  f"GET {bad}: problem+json")
        st, _, body = request("GET", f"{lurl}/ledger/proof/inclusion?index=5&tree_size=200")
        check(st == 200 and len(json.loads(body)["inclusion_proof"]) == 8, "inclusion proof")
        st, _, body = request("GET", f"{lurl}/ledger/proof/consistency?first=100&second=300")
        check(st == 200 and json.loads(body)["consistency_proof"], "consistency proof")
        st, _, body = request("GET", f"{lurl}/metrics")
        check(st == 200 and b"traceport_http_requests_total" in body, "metrics")

        # A mirror copies and verifies everything.
        mirror = os.path.join(tmp, "mirror")
        m = run("mirror", lurl, "--data", mirror, "--log-key", log_key, "--quiet")
        check(m.returncode == 0 and "holds 300 entries" in m.stdout, f"mirror: {m.stdout} {m.stderr}")
        v = run("ledger", "verify", mirror, "--quiet")
        check(v.returncode == 0, f"ledger verify of the mirror: {v.stdout} {v.stderr}")

        # The fork: same key, different history. The witness refuses it and keeps evidence; no
        # checkpoint of the fork becomes final; the mirror refuses it too.
        fp, furl = start("ledger", "serve", "--data", fork, "--listen", "127.0.0.1:0",
                         "--witness", f"{wurl}={witness_key}", "--witness-quorum", "1",
                         "--append-token-file", token_file, "--checkpoint-interval-ms", "200")
        procs.append(fp)
        for n in range(400):
            request("POST", f"{furl}/ledger/entries", entry(n, "-forged"), auth)

        def evidence():
            st, _, body = request("GET", f"{wurl}/evidence")
            return json.loads(body)["evidence"] if st == 200 else []
        check(wait_for(lambda: len(evidence()) > 0), "the witness kept fork evidence")
        ev = evidence()
        check(ev and ev[0]["kind"] in ("inconsistent", "same-size-different-root"),
              f"evidence kind: {ev[:1]}")
        st, _, _ = request("GET", f"{furl}/checkpoint")
        check(st == 404, f"the fork has no final checkpoint: {st}")
        # Served without witnesses, the fork's own checkpoint reaches the mirror, which refuses it.
        fp.send_signal(signal.SIGTERM)
        fp.wait(timeout=15)
        procs.remove(fp)
        fp, furl = start("ledger", "serve", "--data", fork, "--listen", "127.0.0.1:0")
        procs.append(fp)
        m = run("mirror", furl, "--data", mirror, "--log-key", log_key, "--quiet")
        check(m.returncode != 0 and ("forked" in m.stderr or "history" in m.stderr or
                                     "not consistent" in m.stderr),
              f"mirror of the fork: {m.returncode} {m.stderr}")
        # The honest log is still cosigned after the fork attempt.
        for n in range(300, 310):
            request("POST", f"{lurl}/ledger/entries", entry(n), auth)
        check(wait_for(lambda: final_size() == 310), "the honest log keeps being cosigned")

        # Graceful shutdown on SIGTERM.
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                code = p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                code = "timeout"
            check(code == 0, f"{p.args[1]} {p.args[2]} exit after SIGTERM: {code}")
        procs = []
        v = run("ledger", "verify", ledger, "--quiet")
        check(v.returncode == 0, "ledger verify after shutdown")
    finally:
        for p in procs:
            p.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"ledger http test: {checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
