#!/usr/bin/env python3
"""The node over TLS: `traceport serve` with a certificate serves HTTPS only (TLS 1.2 or later,
as NIST SP 800-52r2 asks), answers a client that trusts the certificate, refuses plain HTTP on
the TLS port, and refuses to serve plain HTTP off loopback unless told it is behind a proxy.

Usage: tls_test.py TRACEPORT
"""
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import urllib.request
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)  # TLS 1.1, on purpose

TRACEPORT = sys.argv[1]
failures = []


def check(cond, what):
    print(("ok  " if cond else "FAIL"), what, flush=True)
    if not cond:
        failures.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    if shutil.which("openssl") is None:
        print("tls: openssl not found (scripts/install-deps.sh installs it)")
        return 0 if not os.environ.get("CI") else 1
    tmp = tempfile.mkdtemp(prefix="traceport-tls-")
    try:
        cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=localhost", "-addext",
                        "subjectAltName=DNS:localhost"], check=True, capture_output=True)
        port = free_port()
        node = subprocess.Popen(
            [TRACEPORT, "serve", "--data", os.path.join(tmp, "node"), "--listen",
             f"127.0.0.1:{port}", "--public-url", f"https://localhost:{port}", "--tls-cert",
             cert, "--tls-key", key, "--log-level", "warn"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = node.stdout.readline()
        check(re.search(r"listening on https://", line) is not None,
              f"serves HTTPS when given a certificate ({line.strip()})")
        ctx = ssl.create_default_context(cafile=cert)
        with urllib.request.urlopen(f"https://localhost:{port}/healthz", context=ctx,
                                    timeout=10) as r:
            check(r.status == 200, "GET /healthz over TLS answers 200")
        with urllib.request.urlopen(
                f"https://localhost:{port}/organizations/operator/did.json", context=ctx,
                timeout=10) as r:
            check(b'"TraceabilityAPI"' in r.read(), "the did:web document is served over TLS")
        # A client limited to TLS 1.1 must not get a session.
        old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        old.load_verify_locations(cert)
        try:
            old.minimum_version = ssl.TLSVersion.TLSv1
            old.maximum_version = ssl.TLSVersion.TLSv1_1
            old.set_ciphers("ALL:@SECLEVEL=0")
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                with old.wrap_socket(s, server_hostname="localhost"):
                    refused = False
        except (ssl.SSLError, OSError, ValueError):
            refused = True
        check(refused, "TLS 1.1 is refused")
        # Plain HTTP to the TLS port gets no HTTP answer.
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
            s.settimeout(5)
            try:
                data = s.recv(100)
            except OSError:
                data = b""
        check(not data.startswith(b"HTTP/1.1 200"), "plain HTTP on the TLS port is not served")
        node.send_signal(signal.SIGTERM)
        check(node.wait(timeout=15) == 0, "SIGTERM stops the node cleanly")
        # Plain HTTP on a non-loopback address is refused without the proxy flag.
        p = subprocess.run([TRACEPORT, "serve", "--data", os.path.join(tmp, "node"), "--listen",
                            f"0.0.0.0:{free_port()}"], capture_output=True, text=True,
                           timeout=30)
        check(p.returncode != 0 and "loopback" in p.stderr,
              f"plain HTTP off loopback is refused ({p.stderr.strip()[:120]})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"node tls: {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
