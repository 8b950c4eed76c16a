#!/usr/bin/env python3
"""`traceport contexts` as an operator uses it: list the built-in contexts, pin a context of
their own in a node's data directory, pin a second version, choose the default, print a
version byte for byte, and the errors for bad input (docs/cli.md, docs/formats/contexts.md).

Usage: contexts_cli_test.py PATH_TO_TRACEPORT
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest

BIN = None
TRADE = "https://example.org/contexts/trade/v1"
VC2 = "https://www.w3.org/ns/credentials/v2"
# Published in the Verifiable Credentials Data Model v2.0 Recommendation (B.1 Base Context).
VC2_PUBLISHED = "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"


def read(path):
    with open(path, "rb") as f:
        return f.read()


def run(*args):
    p = subprocess.run([BIN, "contexts", *args], capture_output=True, timeout=60)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def run_json(*args):
    rc, out, err = run(*args, "--json")
    return rc, json.loads(out), err


class ContextsCliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="traceport_contexts_")
        self.data = os.path.join(self.tmp.name, "node")
        self.one = self.write("one.jsonld", b'{"@context": {"lot": "https://example.org/lot"}}\n')
        self.two = self.write("two.jsonld", b'{"@context": {"lot": "https://example.org/lot2"}}')

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, data):
        path = os.path.join(self.tmp.name, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def test_builtin_list(self):
        rc, rows, err = run_json("list")
        self.assertEqual(rc, 0, err)
        urls = {r["url"]: r for r in rows}
        for url in [VC2, "https://www.w3.org/2018/credentials/v1",
                    "https://w3id.org/security/data-integrity/v2",
                    "https://www.w3.org/ns/credentials/status/v1",
                    "https://w3id.org/security/suites/jws-2020/v1",
                    "https://www.w3.org/ns/did/v1"]:
            self.assertIn(url, urls)
            self.assertEqual(urls[url]["source"], "builtin")
            self.assertTrue(urls[url]["default"])
        self.assertEqual(urls[VC2]["published_sha256"], VC2_PUBLISHED)
        rc, out, err = run("list")
        self.assertEqual(rc, 0, err)
        self.assertIn(VC2, out.decode())

    def test_show_prints_the_pinned_bytes(self):
        rc, rows, _ = run_json("list")
        sha = {r["url"]: r["sha256"] for r in rows}[VC2]
        rc, out, err = run("show", VC2)
        self.assertEqual(rc, 0, err)
        self.assertEqual(hashlib.sha256(out).hexdigest(), sha)
        # The published hash names the same version.
        rc, meta, err = run_json("show", VC2, "--sha256", VC2_PUBLISHED)
        self.assertEqual(rc, 0, err)
        self.assertEqual(meta["sha256"], sha)
        self.assertIn("@context", meta["document"])

    def test_operator_round_trip(self):
        rc, out, err = run("add", TRADE, self.one, "--data", self.data)
        self.assertEqual(rc, 0, err)
        sha1 = hashlib.sha256(read(self.one)).hexdigest()
        self.assertIn(sha1, out.decode())
        store = os.path.join(self.data, "contexts")
        self.assertTrue(os.path.isfile(os.path.join(store, sha1 + ".jsonld")))
        with open(os.path.join(store, "index.json")) as f:
            index = json.load(f)
        self.assertEqual(index["contexts"][TRADE], {"versions": [sha1], "default": sha1})

        # Idempotent.
        rc, res, err = run_json("add", TRADE, self.one, "--data", self.data)
        self.assertEqual(rc, 0, err)
        self.assertFalse(res["added"])

        # A second version needs a choice.
        rc, _, err = run("add", TRADE, self.two, "--data", self.data)
        self.assertEqual(rc, 1)
        self.assertIn("--default", err)
        self.assertIn("--keep-default", err)
        rc, res, err = run_json("add", TRADE, self.two, "--dir", store, "--keep-default")
        self.assertEqual(rc, 0, err)
        sha2 = res["sha256"]
        self.assertTrue(res["added"])
        self.assertFalse(res["default"])

        rc, out, err = run("show", TRADE, "--data", self.data)
        self.assertEqual(out, read(self.one))
        rc, out, err = run("show", TRADE, "--data", self.data, "--sha256", sha2)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, read(self.two))

        rc, res, err = run_json("add", TRADE, self.two, "--data", self.data, "--default")
        self.assertEqual(rc, 0, err)
        self.assertTrue(res["default_changed"])
        rc, rows, err = run_json("list", "--data", self.data)
        mine = [r for r in rows if r["url"] == TRADE]
        self.assertEqual([(r["sha256"], r["default"], r["source"]) for r in mine],
                         [(sha2, True, "operator"), (sha1, False, "operator")])

        # Without --data / --dir only the built-in contexts are there.
        rc, _, err = run("show", TRADE)
        self.assertEqual(rc, 1)
        self.assertIn("no pinned context", err)
        self.assertIn("traceport contexts add", err)

    def test_bad_input(self):
        bad_json = self.write("bad.json", b'{"@context": ')
        no_context = self.write("plain.json", b'{"name": "x"}')
        cases = [
            (["add", TRADE, bad_json, "--data", self.data], "not valid JSON"),
            (["add", TRADE, no_context, "--data", self.data], "@context"),
            (["add", "contexts/v1", self.one, "--data", self.data], "absolute"),
            (["add", TRADE, os.path.join(self.tmp.name, "missing"), "--data", self.data],
             "cannot be read"),
            (["add", TRADE, self.one], "--data"),
            (["show", VC2, "--sha256", "abc"], "not a SHA-256"),
        ]
        for args, needle in cases:
            rc, out, err = run(*args)
            self.assertEqual(rc, 1, (args, err))
            self.assertIn(needle, err, args)
        self.assertFalse(os.path.exists(os.path.join(self.data, "contexts", "index.json")))
        # Usage errors: both flags, or neither argument.
        self.assertEqual(run("add", TRADE, self.one, "--data", self.data, "--default",
                             "--keep-default")[0], 2)
        self.assertEqual(run("list", "--dir", "a", "--data", "b")[0], 2)
        self.assertEqual(run("add")[0], 2)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: contexts_cli_test.py PATH_TO_TRACEPORT", file=sys.stderr)
        sys.exit(2)
    BIN = os.path.abspath(sys.argv.pop(1))
    unittest.main()
