#!/usr/bin/env python3
"""Functional tests of the traceport binary: every command as a user runs it, checking
output, --json, one-line errors and the documented exit codes (docs/cli.md).

Usage: cli_test.py PATH_TO_TRACEPORT
"""
import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest

BIN = None


def run(*args, stdin=None, env=None):
    e = dict(os.environ)
    e.pop("TRACEPORT_PASSPHRASE", None)
    if env:
        e.update(env)
    p = subprocess.run([BIN, *args], input=stdin, capture_output=True, env=e, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class CliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="traceport_cli_")
        cls.dir = cls.tmp.name
        cls.pw = os.path.join(cls.dir, "pw")
        with open(cls.pw, "w") as f:
            f.write("a long test passphrase\n")
        cls.keys = {}
        for t in ("ed25519", "p256", "p384"):
            path = os.path.join(cls.dir, f"{t}.key")
            code, out, err = run("key", "generate", "--type", t, "--out", path, "--no-passphrase",
                                 "--json")
            assert code == 0, err
            cls.keys[t] = path
        cls.payload = os.path.join(cls.dir, "payload.json")
        with open(cls.payload, "w") as f:
            f.write('{"credentialSubject":{"heatNumber":"H-12345"}}')

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def assert_one_line_error(self, err, contains):
        lines = [l for l in err.splitlines() if l]
        self.assertEqual(len(lines), 1, f"expected one error line, got: {err!r}")
        self.assertTrue(lines[0].startswith("traceport: "), lines[0])
        self.assertIn(contains, lines[0])

    def test_help_everywhere(self):
        for cmd in ([], ["key"], ["key", "generate"], ["key", "show"], ["did"], ["did", "create"],
                    ["did", "create", "key"], ["did", "create", "jwk"], ["did", "create", "web"],
                    ["did", "resolve"], ["jcs"], ["jws"], ["jws", "sign"], ["jws", "verify"],
                    ["vc"], ["vc", "issue"], ["vc", "verify"], ["vp"], ["vp", "create"],
                    ["vp", "verify"], ["status"], ["status", "create"], ["status", "allocate"],
                    ["status", "set"], ["status", "check"]):
            code, out, err = run(*cmd, "--help")
            self.assertEqual(code, 0, cmd)
            self.assertIn("Usage:", out, cmd)
        code, out, _ = run("--version")
        self.assertEqual(code, 0)
        self.assertIn("traceport", out)

    def test_usage_errors_exit_2(self):
        for args, want in ((["bogus"], "unknown command 'bogus'"),
                           (["key", "generate"], "--type is required"),
                           (["key", "generate", "--type", "p256", "--out", "x", "--nope"], "--nope"),
                           ([], "subcommand")):
            code, out, err = run(*args)
            self.assertEqual(code, 2, (args, err))
            self.assert_one_line_error(err, want)

    def test_generate_encrypted_show_and_check(self):
        path = self.path("enc.key")
        code, out, err = run("key", "generate", "--type", "p384", "--out", path,
                             "--passphrase-file", self.pw, "--json")
        self.assertEqual(code, 0, err)
        info = json.loads(out)
        self.assertTrue(info["encrypted"])
        self.assertEqual(info["alg"], "ES384")
        self.assertTrue(info["didKey"].startswith("did:key:z82L"))
        self.assertEqual(oct(os.stat(path).st_mode & 0o777), "0o600")
        with open(path) as f:
            text = f.read()
        self.assertNotIn('"d"', text)
        # Refuses to overwrite, then --force.
        code, _, err = run("key", "generate", "--type", "p384", "--out", path, "--passphrase-file",
                           self.pw)
        self.assertEqual(code, 1)
        self.assert_one_line_error(err, "already exists")
        # Show without a passphrase; --check needs the right one.
        code, out, err = run("key", "show", path, "--json")
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["kid"], info["kid"])
        code, out, err = run("key", "show", path, "--check", "--passphrase-file", self.pw, "--json")
        self.assertEqual(code, 0, err)
        self.assertTrue(json.loads(out)["checked"])
        bad = self.path("badpw")
        with open(bad, "w") as f:
            f.write("wrong\n")
        code, _, err = run("key", "show", path, "--check", "--passphrase-file", bad)
        self.assertEqual(code, 3)
        self.assert_one_line_error(err, "wrong passphrase")
        # The environment variable works too; no passphrase at all is a clear error.
        code, _, err = run("key", "show", path, "--check",
                           env={"TRACEPORT_PASSPHRASE": "a long test passphrase"})
        self.assertEqual(code, 0, err)
        code, _, err = run("key", "show", path, "--check", stdin=b"")
        self.assertEqual(code, 1)
        self.assert_one_line_error(err, "passphrase is needed")

    def test_bad_inputs_are_one_line_errors(self):
        code, _, err = run("key", "generate", "--type", "rsa", "--out", self.path("r.key"),
                           "--no-passphrase")
        self.assertEqual(code, 1)
        self.assert_one_line_error(err, "unknown key type 'rsa'")
        garbage = self.path("garbage.key")
        with open(garbage, "w") as f:
            f.write('{"type":"traceport-key-file","version":1,"keyType":"p256"}')
        code, out, err = run("key", "show", garbage, "--json")
        self.assertEqual(code, 1)
        self.assert_one_line_error(err, "publicJwk")
        self.assertEqual(json.loads(out)["error"]["code"], "INVALID_ARGUMENT")
        code, _, err = run("key", "show", self.path("missing.key"))
        self.assertEqual(code, 1)
        self.assert_one_line_error(err, "cannot open")

    def test_did_create_and_resolve(self):
        for t, prefix in (("ed25519", "did:key:z6Mk"), ("p256", "did:key:zDna"),
                          ("p384", "did:key:z82L")):
            code, out, err = run("did", "create", "key", "--key", self.keys[t], "--json")
            self.assertEqual(code, 0, err)
            res = json.loads(out)
            self.assertTrue(res["did"].startswith(prefix))
            vm = res["didDocument"]["verificationMethod"][0]
            self.assertEqual(vm["type"], "Multikey")
            code, out, err = run("did", "resolve", res["did"], "--json")
            self.assertEqual(code, 0, err)
            self.assertEqual(json.loads(out)["didDocument"], res["didDocument"])
            code, out, err = run("did", "create", "jwk", "--key", self.keys[t], "--json")
            self.assertEqual(code, 0, err)
            d = json.loads(out)["did"]
            jwk = json.loads(base64.urlsafe_b64decode(d[len("did:jwk:"):] + "=="))
            self.assertNotIn("d", jwk)
            code, out, _ = run("did", "resolve", d)
            self.assertEqual(code, 0)
            self.assertEqual(json.loads(out)["verificationMethod"][0]["publicKeyJwk"], jwk)

    def test_did_web_document_resolves_locally(self):
        docs = self.path("docs")
        os.makedirs(docs, exist_ok=True)
        code, out, err = run("did", "create", "web", "--host", "node.example.com", "--port", "8443",
                             "--path", "orgs/acme-steel", "--key", self.keys["p256"], "--key",
                             self.keys["ed25519"], "--service", "https://node.example.com:8443/api",
                             "--out", os.path.join(docs, "acme.json"), "--json")
        self.assertEqual(code, 0, err)
        res = json.loads(out)
        self.assertEqual(res["did"], "did:web:node.example.com%3A8443:orgs:acme-steel")
        self.assertEqual(res["url"], "https://node.example.com:8443/orgs/acme-steel/did.json")
        self.assertEqual(res["didDocument"]["service"][0]["type"], "TraceabilityAPI")
        self.assertEqual(len(res["didDocument"]["assertionMethod"]), 2)
        code, out, err = run("did", "resolve", res["did"])
        self.assertEqual(code, 1)
        self.assert_one_line_error(err, "network resolution is disabled")
        code, out, err = run("did", "resolve", res["did"], "--documents", docs, "--json")
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["didResolutionMetadata"]["traceportSource"], "local")
        # Signed with the P-256 key, verified through the did:web document.
        code, jws, err = run("jws", "sign", "--key", self.keys["p256"], self.payload)
        self.assertEqual(code, 0, err)
        kid = json.loads(run("key", "show", self.keys["p256"], "--json")[1])["kid"]
        code, out, err = run("jws", "verify", "--did", res["did"] + "#" + kid, "--documents", docs,
                             stdin=jws.encode())
        self.assertEqual(code, 0, err)
        code, out, err = run("did", "create", "web", "--host", "10.0.0.1", "--key",
                             self.keys["p256"])
        self.assertEqual(code, 1)
        self.assert_one_line_error(err, "IP address")

    def test_did_resolve_errors(self):
        for did, code_name in (("did:key:zTjsVPtY", "invalidPublicKeyLength"),
                               ("did:key;invalid", "invalidDid"),
                               ("did:example:123", "methodNotSupported")):
            code, out, err = run("did", "resolve", did, "--json")
            self.assertEqual(code, 1, did)
            self.assertEqual(json.loads(out)["didResolutionMetadata"]["error"], code_name)
            self.assert_one_line_error(err, code_name)

    def test_jcs(self):
        src = '{"b":[1.0,1e21,1E-7,-0],"a":"\\u20ac","\\ud83d\\ude00":1,"\\ue000":2}'
        code, out, err = run("jcs", stdin=src.encode())
        self.assertEqual(code, 0, err)
        self.assertEqual(out, '{"a":"\u20ac","b":[1,1e+21,1e-7,0],"\U0001f600":1,"\ue000":2}')
        f = self.path("in.json")
        with open(f, "w") as fh:
            fh.write(src)
        code, out, _ = run("jcs", f, "--json")
        res = json.loads(out)
        self.assertEqual(res["sha256"], hashlib.sha256(res["canonical"].encode()).hexdigest())
        for bad, want in (('{"a":1,"a":2}', "duplicate"), ('{"a":', "json"), ("[NaN]", "json"),
                          ('"\\ud800"', "surrogate")):
            code, _, err = run("jcs", stdin=bad.encode())
            self.assertEqual(code, 1, bad)
            self.assert_one_line_error(err, want)

    def test_jws_round_trips(self):
        for t, alg in (("ed25519", "EdDSA"), ("p256", "ES256"), ("p384", "ES384")):
            key = self.keys[t]
            for fmt in ("compact", "json", "flattened"):
                code, jws, err = run("jws", "sign", "--key", key, "--format", fmt, "--typ",
                                     "vc+jwt", self.payload)
                self.assertEqual(code, 0, err)
                code, out, err = run("jws", "verify", "--key", key, "--typ", "vc+jwt", "--json",
                                     stdin=jws.encode())
                self.assertEqual(code, 0, (t, fmt, err))
                res = json.loads(out)
                self.assertTrue(res["valid"])
                self.assertEqual(res["alg"], alg)
                self.assertEqual(res["payload"], '{"credentialSubject":{"heatNumber":"H-12345"}}')
            # Detached payload.
            code, jws, err = run("jws", "sign", "--key", key, "--detached", self.payload)
            self.assertEqual(code, 0, err)
            self.assertIn("..", jws)
            code, _, err = run("jws", "verify", "--key", key, "--payload", self.payload,
                               stdin=jws.encode())
            self.assertEqual(code, 0, err)
            # Tampered payload: exit 3.
            h, p, s = jws.strip().split(".")
            other_payload = b64url(b'{"other":1}')
            forged = f"{h}.{other_payload}.{s}"
            code, _, err = run("jws", "verify", "--key", key, stdin=forged.encode())
            self.assertEqual(code, 3, err)
            self.assert_one_line_error(err, "does not verify")

    def test_jws_policy_rejections(self):
        key = self.keys["ed25519"]
        code, jws, _ = run("jws", "sign", "--key", key, self.payload)
        # Another key type: algorithm/key mismatch.
        code, _, err = run("jws", "verify", "--key", self.keys["p256"], stdin=jws.encode())
        self.assertEqual(code, 1)
        self.assert_one_line_error(err, "does not match")
        # alg none.
        none = b64url(b'{"alg":"none"}') + "." + b64url(b"x") + "."
        code, _, err = run("jws", "verify", "--key", key, stdin=none.encode())
        self.assertEqual(code, 1)
        self.assert_one_line_error(err, '"none"')
        # Disallowed algorithm.
        code, _, err = run("jws", "verify", "--key", key, "--alg", "ES256", stdin=jws.encode())
        self.assertEqual(code, 3)
        self.assert_one_line_error(err, "not allowed")
        # Garbage.
        code, _, err = run("jws", "verify", "--key", key, stdin=b"not a jws")
        self.assertEqual(code, 1)
        self.assert_one_line_error(err, "three parts")
        # No key at all.
        code, _, err = run("jws", "verify", stdin=jws.encode())
        self.assertEqual(code, 1)
        self.assert_one_line_error(err, "exactly one of")

    def did_key(self, key):
        return json.loads(run("key", "show", key, "--json")[1])["didKey"]

    def test_vc_issue_verify_revoke_for_each_suite(self):
        cred = self.path("unsigned.json")
        with open(cred, "w") as f:
            json.dump({"@context": ["https://www.w3.org/ns/credentials/v2"],
                       "type": ["VerifiableCredential"],
                       "credentialSubject": {"id": "did:example:heat-7", "name": "Heat 7"}}, f)
        for suite, key in (("vc-jwt-es256", "p256"), ("vc-jwt-es384", "p384"),
                           ("vc-jwt-eddsa", "ed25519"), ("eddsa-jcs-2022", "ed25519"),
                           ("ecdsa-jcs-2019", "p256"), ("ecdsa-jcs-2019", "p384")):
            with self.subTest(suite=suite, key=key):
                keyfile = self.keys[key]
                issuer = self.did_key(keyfile)
                lists = self.path(f"status-{suite}-{key}")
                code, out, err = run("status", "create", "--id",
                                     f"https://status.example/{suite}/{key}", "--issuer", issuer,
                                     "--key", keyfile, "--dir", lists, "--json")
                self.assertEqual(code, 0, err)
                signed = self.path(f"signed-{suite}-{key}")
                code, out, err = run("vc", "issue", "--key", keyfile, "--issuer", issuer,
                                     "--suite", suite, "--status", lists, "--out", signed, cred)
                self.assertEqual(code, 0, err)
                code, out, err = run("vc", "verify", signed, "--status-lists", lists, "--json")
                self.assertEqual(code, 0, out + err)
                report = json.loads(out)
                self.assertTrue(report["verified"])
                status = [c for c in report["checks"] if c["name"] == "status"][0]
                self.assertEqual(status["status"], "pass")
                # Find the allocated index and revoke it.
                with open(signed) as f:
                    text = f.read().strip()
                if text.startswith("{"):
                    doc = json.loads(text)
                else:
                    payload = text.split(".")[1]
                    doc = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
                index = doc["credentialStatus"]["statusListIndex"]
                code, out, err = run("status", "set", "--dir", lists, "--index", index, "--key",
                                     keyfile, "--revoke")
                self.assertEqual(code, 0, err)
                code, out, err = run("vc", "verify", signed, "--status-lists", lists, "--json")
                self.assertEqual(code, 3, out + err)
                status = [c for c in json.loads(out)["checks"] if c["name"] == "status"][0]
                self.assertEqual(status["status"], "fail")
                self.assertIn("revoked", status["reason"])
                code, out, err = run("status", "check", signed, "--status-lists", lists)
                self.assertEqual(code, 3)
                # Tampering breaks the proof.
                tampered = self.path(f"tampered-{suite}-{key}")
                with open(tampered, "w") as f:
                    if text.startswith("{"):
                        doc["credentialSubject"]["name"] = "Heat 8"
                        json.dump(doc, f)
                    else:
                        h, p, sig = text.split(".")
                        doc["credentialSubject"]["name"] = "Heat 8"
                        f.write(h + "." + b64url(json.dumps(doc).encode()) + "." + sig)
                code, out, err = run("vc", "verify", tampered, "--status-lists", lists, "--json")
                self.assertEqual(code, 3)
                proof = [c for c in json.loads(out)["checks"] if c["name"] == "proof"][0]
                self.assertEqual(proof["status"], "fail")

    def test_vp_challenge_and_domain(self):
        cred = self.path("vp-unsigned.json")
        with open(cred, "w") as f:
            json.dump({"@context": ["https://www.w3.org/ns/credentials/v2"],
                       "type": ["VerifiableCredential"],
                       "credentialSubject": {"id": "did:example:bol-1", "name": "BOL 1"}}, f)
        issuer_key = self.keys["p256"]
        signed = self.path("vp-cred.jwt")
        code, _, err = run("vc", "issue", "--key", issuer_key, "--issuer",
                           self.did_key(issuer_key), "--out", signed, cred)
        self.assertEqual(code, 0, err)
        holder_key = self.keys["ed25519"]
        holder = self.did_key(holder_key)
        for suite in ("eddsa-jcs-2022", "vc-jwt-eddsa"):
            with self.subTest(suite=suite):
                code, vp, err = run("vp", "create", "--key", holder_key, "--holder", holder,
                                    "--suite", suite, "--challenge", "c-123", "--domain",
                                    "customs.example", signed)
                self.assertEqual(code, 0, err)
                code, out, err = run("vp", "verify", "--challenge", "c-123", "--domain",
                                     "customs.example", "--json", stdin=vp.encode())
                self.assertEqual(code, 0, out + err)
                self.assertTrue(json.loads(out)["credentials"][0]["verified"])
                code, out, err = run("vp", "verify", "--challenge", "other", "--domain",
                                     "customs.example", "--json", stdin=vp.encode())
                self.assertEqual(code, 3)
                checks = {c["name"]: c["status"] for c in json.loads(out)["checks"]}
                self.assertEqual(checks["challenge"], "fail")
                code, out, err = run("vp", "verify", "--challenge", "c-123", "--domain",
                                     "evil.example", stdin=vp.encode())
                self.assertEqual(code, 3)
        # A presentation signed by someone other than the holder.
        code, vp, err = run("vp", "create", "--key", self.keys["p384"], "--holder", holder,
                            "--kid", self.did_key(self.keys["p384"]) + "#x", "--suite",
                            "ecdsa-jcs-2019", signed)
        self.assertEqual(code, 0, err)
        code, out, err = run("vp", "verify", "--json", stdin=vp.encode())
        self.assertEqual(code, 3)
        checks = {c["name"]: c["status"] for c in json.loads(out)["checks"]}
        self.assertEqual(checks["holder"], "fail")

    def test_vc_bad_input(self):
        for text, want in (("{", "json"), ("[]", "structure"), ("a.b", "three parts"),
                           ('{"@context":["https://www.w3.org/ns/credentials/v2"]}', "type")):
            code, out, err = run("vc", "verify", "--json", stdin=text.encode())
            self.assertEqual(code, 3, text)
            report = json.loads(out)
            self.assertFalse(report["verified"])
            structure = [c for c in report["checks"] if c["name"] == "structure"][0]
            self.assertEqual(structure["status"], "fail", text)
        code, _, err = run("vc", "issue", "--key", self.keys["p256"], "--issuer",
                           self.did_key(self.keys["p256"]), "--suite", "eddsa-jcs-2022",
                           stdin=b'{"@context":["https://www.w3.org/ns/credentials/v2"],'
                                 b'"type":["VerifiableCredential"],"credentialSubject":{"a":1}}')
        self.assertEqual(code, 1)
        self.assert_one_line_error(err, "Ed25519")

    def test_json_output_survives_non_utf8(self):
        # A binary payload is returned as base64url; a non-UTF-8 file name does not abort.
        binary = self.path("binary.bin")
        with open(binary, "wb") as f:
            f.write(bytes([0x00, 0xFF, 0xFE, 0x41]))
        code, jws, err = run("jws", "sign", "--key", self.keys["ed25519"], binary)
        self.assertEqual(code, 0, err)
        code, out, err = run("jws", "verify", "--key", self.keys["ed25519"], "--json",
                             stdin=jws.encode())
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["payloadBase64url"], "AP_-QQ")
        p = subprocess.run([BIN, "key", "show", b"/tmp/no\xffsuch", "--json"],
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(json.loads(p.stdout.decode("utf-8", "replace"))["error"]["code"],
                         "NOT_FOUND")

    def test_jws_with_jwk_and_did_key(self):
        key = self.keys["p384"]
        code, jws, _ = run("jws", "sign", "--key", key, self.payload)
        info = json.loads(run("key", "show", key, "--json")[1])
        jwk_file = self.path("pub.jwk")
        with open(jwk_file, "w") as f:
            json.dump(info["publicJwk"], f)
        code, out, err = run("jws", "verify", "--jwk", jwk_file, stdin=jws.encode())
        self.assertEqual(code, 0, err)
        code, out, err = run("jws", "verify", "--did", info["didKey"], stdin=jws.encode())
        self.assertEqual(code, 0, err)
        other = self.keys["p256"]
        other_did = json.loads(run("key", "show", other, "--json")[1])["didKey"]
        code, out, err = run("jws", "verify", "--did", other_did, stdin=jws.encode())
        self.assertNotEqual(code, 0)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: cli_test.py PATH_TO_TRACEPORT", file=sys.stderr)
        sys.exit(2)
    BIN = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=1)
