#!/usr/bin/env python3
"""The customs commands of the traceport binary (`doc`, `submit`, `submissions`, `trace`)
against a real `traceport serve` on a free loopback port with a fresh data directory.

The operator's admin client creates a registry authority, a mill, an importer and a customs
organization and their clients over the admin API (plain HTTP from this script); everything
after that is the command line as its users run it: the mill issues three mill certificates
from a CSV file and an invoice from a JSON file, the importer submits them to customs, the
officer lists, opens and decides the submission and traces it back to the mill and forward from
a heat number, and the importer reads the decision. Exit codes, text output, --json output and
one-line errors are checked throughout, and no client secret may appear in any output.

Usage: customs_cli_test.py PATH_TO_TRACEPORT
"""
import base64
import csv
import http.server
import io
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import urllib.request

BIN = None
HOST = "127.0.0.1"
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "src", "customs", "testdata", "documents")
WORKFLOW = "https://traceport.dev/workflows/steel-import"
HEATS = ["H26-41873", "H26-41874", "H26-41875"]
UNCERTIFIED_HEAT = "H26-99999"
LEI = "5493001KJTIIGC8Y1R12"
# The node's schemas require validFrom of a document; an hour ago, so that it is in force.
VALID_FROM = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def jwt_payload(enveloped):
    """The payload of the vc+jwt inside an EnvelopedVerifiableCredential."""
    jwt = enveloped["id"].split(",", 1)[1]
    return json.loads(b64url_decode(jwt.split(".")[1]))


class Node:
    """One `traceport serve` with a fresh data directory, on a free port."""

    def __init__(self, tmp):
        self.data = os.path.join(tmp, "node")
        self.log_path = os.path.join(tmp, "node.log")
        self.proc = None
        self.port = None

    def start(self):
        line = ""
        for _ in range(3):
            self.port = free_port()
            args = [BIN, "serve", "--data", self.data, "--listen", f"{HOST}:{self.port}",
                    "--public-url", f"https://localhost:{self.port}", "--log-format", "json"]
            with open(self.log_path, "a") as log:
                self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True)
            if select.select([self.proc.stdout], [], [], 30)[0]:
                line = self.proc.stdout.readline()
            if f"listening on http://{HOST}:{self.port}" in line:
                return
            self.stop()
            # Another process took the port: the DIDs name it, so start over afresh.
            shutil.rmtree(self.data, ignore_errors=True)
        raise RuntimeError(f"the node did not start: {line!r}")

    @property
    def url(self):
        return f"http://{HOST}:{self.port}"

    def stop(self):
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.proc = None


class CustomsCliTest(unittest.TestCase):
    """Tests run in name order and build on each other (issue, submit, decide, trace)."""

    outputs = []  # every stdout and stderr, to check that no secret leaked

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="traceport_customs_cli_")
        cls.dir = cls.tmp.name
        cls.node = Node(cls.dir)
        cls.node.start()
        cls.wait_for_fixtures()
        with open(os.path.join(cls.node.data, "admin-client.json")) as f:
            admin = json.load(f)
        admin_token = cls.token(admin)
        orgs = {"authority": ["registry-authority"], "mill": ["mill"],
                "importer": ["importer"], "customs": ["customs"]}
        cls.did = {}
        for slug, roles in orgs.items():
            o = cls.api("POST", "/admin/organizations", admin_token,
                        {"slug": slug, "name": slug.title() + " Ltd", "roles": roles})
            cls.did[slug] = o["did"]
        clients = {
            "mill": ("mill", ["create:credential"]),
            "authority": ("authority", ["manage:registry"]),
            "importer": ("importer", ["create:presentation"]),
            # The client customs gave the importer, to submit to it.
            "partner": ("customs", ["submit:presentations"]),
            "partner2": ("customs", ["submit:presentations"]),
            "officer": ("customs", ["read:submissions", "decide:submissions"]),
        }
        cls.login = {}
        cls.secrets = []
        for name, (org, scopes) in clients.items():
            c = cls.api("POST", f"/admin/organizations/{org}/clients", admin_token,
                        {"name": name, "scopes": scopes})
            path = os.path.join(cls.dir, f"{name}.json")
            with open(path, "w") as f:
                json.dump(c, f)
            cls.login[name] = path
            cls.secrets.append(c["client_secret"])
        cls.secrets.append(admin["client_secret"])
        # The mill is accredited for what it issues, so the registry rule stays quiet.
        with open(cls.login["authority"]) as f:
            authority = json.load(f)
        cls.api("POST", "/registry/entries", cls.token(authority),
                {"did": cls.did["mill"], "name": "Mill Ltd", "identifiers": {"lei": LEI},
                 "roles": ["mill"],
                 "credentialTypes": ["MillTestReportCredential", "CommercialInvoiceCredential"]})

    @classmethod
    def tearDownClass(cls):
        cls.node.stop()
        cls.tmp.cleanup()

    @classmethod
    def wait_for_fixtures(cls, timeout=120):
        """The fixture documents are written by another change; wait for them a little."""
        names = ("MillTestReportCredential.json", "CommercialInvoiceCredential.json")
        deadline = time.monotonic() + timeout
        while not all(os.path.exists(os.path.join(FIXTURES, n)) for n in names):
            if time.monotonic() > deadline:
                raise RuntimeError(f"fixtures missing under {FIXTURES}")
            time.sleep(2)

    @classmethod
    def api(cls, method, path, token, body):
        req = urllib.request.Request(cls.node.url + path, method=method,
                                     data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.load(r)

    @classmethod
    def token(cls, client):
        data = urllib.parse.urlencode({"grant_type": "client_credentials",
                                       "client_id": client["client_id"],
                                       "client_secret": client["client_secret"]}).encode()
        req = urllib.request.Request(cls.node.url + "/oauth/token", data=data, headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.load(r)["access_token"]

    # ---- helpers

    def run_cli(self, *args, env=None, node=True, login=None):
        e = {k: v for k, v in os.environ.items() if not k.startswith("TRACEPORT_")}
        if env:
            e.update(env)
        argv = [BIN, *args]
        if node:
            argv += ["--node", self.node.url]
        if login:
            argv += ["--login", self.login[login]]
        p = subprocess.run(argv, capture_output=True, env=e, timeout=120)
        out = p.stdout.decode("utf-8", "replace")
        err = p.stderr.decode("utf-8", "replace")
        CustomsCliTest.outputs.append(out + err)
        return p.returncode, out, err

    def ok(self, *args, **kw):
        code, out, err = self.run_cli(*args, **kw)
        self.assertEqual(code, 0, f"{args}: exit {code}\nstdout: {out}\nstderr: {err}")
        return out, err

    def path(self, name):
        return os.path.join(self.dir, name)

    def fixture(self, name):
        with open(os.path.join(FIXTURES, name)) as f:
            return json.load(f)

    def assert_one_line_error(self, err, *contains):
        lines = [line for line in err.splitlines() if line]
        self.assertEqual(len(lines), 1, f"expected one error line: {err!r}")
        self.assertTrue(lines[0].startswith("traceport: "), lines[0])
        for c in contains:
            self.assertIn(c, lines[0])

    def mtr_csv(self, rows):
        """A CSV of mill certificates built from the fixture: scalar members as plain columns,
        the first inspection through path columns, objects as :json columns."""
        subject = self.fixture("MillTestReportCredential.json")["credentialSubject"]
        subject["manufacturer"]["id"] = self.did["mill"]
        inspection = subject["inspections"][0]
        header = ["@validFrom"]
        for k, v in subject.items():
            if k == "inspections":
                continue
            header.append(k if isinstance(v, str) else k + ":json")
        for k, v in inspection.items():
            col = "inspections/0/" + k
            header.append(col + (":int" if isinstance(v, int) else
                                 "" if isinstance(v, str) else ":json"))
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(header)
        for certificate, heat in rows:
            values = [VALID_FROM]
            for k, v in subject.items():
                if k == "inspections":
                    continue
                if k == "certificateNumber":
                    v = certificate
                values.append(v if isinstance(v, str) else json.dumps(v))
            for k, v in inspection.items():
                if k == "heatNumber":
                    v = heat
                values.append(v if isinstance(v, str) else
                              str(v) if isinstance(v, int) else json.dumps(v))
            w.writerow(values)
        return buf.getvalue()

    # ---- the workflow

    def test_01_doc_types(self):
        out, _ = self.ok("doc", "types")
        self.assertEqual(out.splitlines()[0].split()[:2], ["TYPE", "TITLE"])
        self.assertIn("MillTestReportCredential", out)
        self.assertIn("OilAndGasDeliveryTicketCredential", out)
        # The node from the environment; --json is the node's answer.
        out, _ = self.ok("doc", "types", "--json", node=False,
                         env={"TRACEPORT_NODE": self.node.url})
        types = [t["type"] for t in json.loads(out)["types"]]
        self.assertIn("CommercialInvoiceCredential", types)
        self.assertNotIn("TradeCommon", types)

    def test_02_issue_csv_in_batches(self):
        with open(self.path("mtr.csv"), "w") as f:
            f.write(self.mtr_csv([(f"MTR-CLI-{i}", h) for i, h in enumerate(HEATS)]))
        out_file = self.path("mtr.jsonl")
        out, err = self.ok("doc", "issue", "--type", "MillTestReportCredential", "--batch", "2",
                           "--out", out_file, self.path("mtr.csv"), login="mill")
        self.assertIn("issued 2/3 MillTestReportCredential", err)
        self.assertIn("issued 3/3 MillTestReportCredential", err)
        self.assertIn(f"issued 3 MillTestReportCredential to {out_file}", out)
        with open(out_file) as f:
            lines = [json.loads(line) for line in f if line.strip()]
        self.assertEqual(len(lines), 3)
        heats = []
        for vc in lines:
            self.assertEqual(vc["type"], "EnvelopedVerifiableCredential")
            p = jwt_payload(vc)
            self.assertEqual(p["type"], ["VerifiableCredential", "MillTestReportCredential"])
            self.assertEqual(p["issuer"], self.did["mill"])
            heats.append(p["credentialSubject"]["inspections"][0]["heatNumber"])
            # ":int" columns are numbers; ":json" columns objects.
            self.assertEqual(p["credentialSubject"]["inspections"][0]["pieces"], 16)
            self.assertIsInstance(p["credentialSubject"]["manufacturer"], dict)
        self.assertEqual(heats, HEATS)
        CustomsCliTest.mtr_ids = [jwt_payload(vc)["id"] for vc in lines]

    def test_03_issue_json_to_stdout(self):
        invoice = self.fixture("CommercialInvoiceCredential.json")
        subject = invoice["credentialSubject"]
        subject["seller"]["id"] = self.did["mill"]
        # One heat that no mill certificate of the shipment carries: a finding to see.
        subject["itemsShipped"][1]["heatNumbers"] = [HEATS[1], UNCERTIFIED_HEAT]
        with open(self.path("invoice.json"), "w") as f:
            json.dump({"documents": [{"credentialSubject": subject, "validFrom": VALID_FROM}]}, f)
        out, err = self.ok("doc", "issue", "--type", "CommercialInvoiceCredential",
                           self.path("invoice.json"), login="mill")
        self.assertIn("issued 1/1 CommercialInvoiceCredential", err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 1, out)
        p = jwt_payload(json.loads(lines[0]))
        self.assertEqual(p["credentialSubject"]["invoiceNumber"], subject["invoiceNumber"])
        with open(self.path("invoice.jsonl"), "w") as f:
            f.write(out)
        CustomsCliTest.invoice_id = p["id"]

    def test_04_submit(self):
        out, _ = self.ok("submit", "--login", self.login["partner"], "--holder-login",
                         self.login["importer"], "--workflow", WORKFLOW, "--instance",
                         "SHIP-CLI-1", self.path("mtr.jsonl"), self.path("invoice.jsonl"))
        fields = {}
        for line in out.splitlines():
            if ":" in line and not line.startswith(" "):
                k, v = line.split(":", 1)
                fields[k.strip()] = v.strip()
        self.assertTrue(fields.get("submission", "").startswith("urn:uuid:"), out)
        self.assertEqual(fields.get("status"), "received", out)
        self.assertTrue(fields.get("ledger index", "").isdigit(), out)
        self.assertTrue(fields.get("credentials", "").startswith("4"), out)
        self.assertIn("steel.heat-numbers-match", out)
        self.assertIn(UNCERTIFIED_HEAT, out)
        self.assertNotIn("NOT VERIFIED", out)
        CustomsCliTest.submission = fields["submission"]
        CustomsCliTest.risk = int(fields["risk"])
        self.assertGreaterEqual(self.risk, 30)

    def test_05_submit_json(self):
        # --json: the node's receipt; a second shipment with the certificates only.
        out, _ = self.ok("submit", "--json", "--login", self.login["partner"], "--holder-login",
                         self.login["importer"], "--workflow", WORKFLOW, "--instance",
                         "SHIP-CLI-2", "--challenge", "c-123", "--domain", "customs.example",
                         self.path("mtr.jsonl"))
        r = json.loads(out)
        self.assertEqual(r["holder"], self.did["importer"])
        self.assertEqual(r["workflow"], {"definition": [WORKFLOW], "instance": ["SHIP-CLI-2"]})
        s = r["submission"]
        self.assertEqual(len(s["credentials"]), 3)
        self.assertTrue(all(c["verified"] for c in s["credentials"]), s)
        self.assertNotIn("steel.heat-numbers-match", [f["ruleId"] for f in s["findings"]])
        self.assertIsInstance(s["ledgerIndex"], int)
        CustomsCliTest.second = s["id"]

    def test_06_list(self):
        out, _ = self.ok("submissions", "list", login="officer")
        lines = out.splitlines()
        self.assertEqual(lines[0].split()[:3], ["ID", "STATUS", "RISK"])
        self.assertTrue(any(self.submission in line and "received" in line for line in lines))
        self.assertTrue(any(self.second in line for line in lines))
        out, _ = self.ok("submissions", "list", "--json", "--min-risk", str(self.risk),
                         "--sort", "received", login="officer")
        listed = {s["id"]: s for s in json.loads(out)["submissions"]}
        self.assertIn(self.submission, listed)
        self.assertEqual(listed[self.submission]["risk"], self.risk)
        self.assertIn("steel.heat-numbers-match", listed[self.submission]["rules"])
        self.assertTrue(all(s["risk"] >= self.risk for s in listed.values()))
        out, _ = self.ok("submissions", "list", "--json", "--status", "released", login="officer")
        self.assertEqual(json.loads(out)["submissions"], [])

    def test_07_show(self):
        out, _ = self.ok("submissions", "show", self.submission, "--json", login="officer")
        s = json.loads(out)
        self.assertEqual(s["id"], self.submission)
        self.assertEqual(s["holder"], self.did["importer"])
        rules = [f["ruleId"] for f in s["outcome"]["findings"]]
        self.assertIn("steel.heat-numbers-match", rules)
        out, _ = self.ok("submissions", "show", self.submission, login="officer")
        self.assertIn(f"submission:   {self.submission}", out)
        self.assertIn(f"holder:       {self.did['importer']}", out)
        self.assertIn(f"{WORKFLOW} / SHIP-CLI-1", out)
        for f in s["outcome"]["findings"]:
            self.assertIn(f"{f['severity']}  {f['ruleId']}  {f['explanation']}", out)
        self.assertIn("decisions:    none", out)
        self.assertIn("MillTestReportCredential", out)

    def test_08_decide_and_status(self):
        out, _ = self.ok("submissions", "decide", self.submission, "--decision", "hold",
                         "--reason", "heat H26-99999 is on no mill certificate", "--json",
                         login="officer")
        d = json.loads(out)
        self.assertEqual((d["decision"], d["status"]), ("hold", "held"))
        self.assertIsInstance(d["ledgerIndex"], int)
        out, _ = self.ok("submissions", "decide", self.second, "--decision", "release",
                         "--reason", "clean", login="officer")
        self.assertIn("status:       released", out)
        # The submitter reads its own submission's status with the client it submitted with.
        out, _ = self.ok("submissions", "status", self.submission, login="partner")
        self.assertIn("status:       held", out)
        self.assertIn("decision:     hold", out)
        self.assertIn("heat H26-99999 is on no mill certificate", out)
        out, _ = self.ok("submissions", "list", "--json", "--status", "released",
                         login="officer")
        self.assertEqual([s["id"] for s in json.loads(out)["submissions"]], [self.second])
        out, _ = self.ok("submissions", "show", self.submission, login="officer")
        self.assertIn("decisions:    1", out)
        self.assertIn("hold", out)
        # Another submitter's view of the submission is the node's 404: exit 1, one line; a
        # client without the scope gets its 403, also exit 1 (not 3, a failed verification).
        code, _, err = self.run_cli("submissions", "status", self.submission, login="partner2")
        self.assertEqual(code, 1, err)
        self.assert_one_line_error(err, "submissions status", "node: 404")
        code, _, err = self.run_cli("submissions", "status", self.submission, login="officer")
        self.assertEqual(code, 1, err)
        self.assert_one_line_error(err, "node: 403", "submit:presentations")

    def test_09_trace(self):
        out, _ = self.ok("trace", "--submission", self.submission, "--json", login="officer")
        t = json.loads(out)
        origin_heats = {o["value"] for o in t["origins"] if o["kind"] == "heat"}
        self.assertTrue(set(HEATS) <= origin_heats, t["origins"])
        self.assertTrue(all(o["type"] == "MillTestReportCredential"
                            for o in t["origins"] if o["kind"] == "heat"))
        out, _ = self.ok("trace", "--submission", self.submission, login="officer")
        self.assertIn(f"trace back from submission {self.submission}", out)
        self.assertLess(out.index("origins (3)"), out.index("path"))
        origins = out[out.index("origins"):out.index("path")]
        for mtr_id, h, i in zip(self.mtr_ids, HEATS, range(3)):
            # Each mill certificate with its issuer and the numbers it is the origin of.
            block = origins[origins.index(mtr_id):]
            self.assertTrue(block.startswith(f"{mtr_id}\n    issued by {self.did['mill']}\n"),
                            block[:300])
            self.assertIn(f"heat {h}", block.splitlines()[2])
            self.assertIn(f"certificate MTR-CLI-{i}", block.splitlines()[2])
        self.assertIn(f"--heat {HEATS[0]}--> MillTestReportCredential {self.mtr_ids[0]}", out)
        # Forward from a heat: both shipments carried its certificate.
        out, _ = self.ok("trace", "--heat", HEATS[0], "--json", login="officer")
        t = json.loads(out)
        subs = {s["id"] for s in t["submissions"]}
        self.assertEqual(subs, {self.submission, self.second})
        self.assertIn(self.mtr_ids[0], [c["id"] for c in t["credentials"]])
        out, _ = self.ok("trace", "--heat", HEATS[2], login="officer")
        self.assertIn(f"trace forward from heat {HEATS[2]}", out)
        self.assertIn("submissions (2)", out)
        out, _ = self.ok("trace", "--batch", "NO-SUCH-BATCH", "--json", login="officer")
        t = json.loads(out)
        self.assertEqual((t["credentials"], t["submissions"]), ([], []))
        out, _ = self.ok("trace", "--kind", "invoice", "--value",
                         self.fixture("CommercialInvoiceCredential.json")["credentialSubject"]
                         ["invoiceNumber"], login="officer")
        self.assertIn("trace forward from invoice", out)
        self.assertIn(self.submission, out)
        self.assertIn(self.invoice_id, out)

    # ---- errors

    def test_20_usage_errors(self):
        code, _, err = self.run_cli("doc", "types", node=False)
        self.assertEqual(code, 2, err)
        self.assertIn("usage error", err)
        self.assertIn("--node", err)
        code, _, err = self.run_cli("submissions", "list")  # no login
        self.assertEqual(code, 2, err)
        self.assertIn("--login", err)
        code, _, err = self.run_cli("trace", login="officer")
        self.assertEqual(code, 2, err)
        self.assertIn("--submission", err)
        code, _, err = self.run_cli("trace", "--heat", "H", "--batch", "B", login="officer")
        self.assertEqual(code, 2, err)
        code, _, err = self.run_cli("submissions", "decide", "x", "--decision", "shrug",
                                    "--reason", "r", login="officer")
        self.assertEqual(code, 2, err)
        code, _, err = self.run_cli("submissions", "list", "--client-id", "x", login=None)
        self.assertEqual(code, 2, err)
        self.assertIn("--client-secret", err)

    def test_21_bad_csv_names_the_row(self):
        text = self.mtr_csv([("MTR-BAD-1", "H-1"), ("MTR-BAD-2", "H-2")])
        lines = text.splitlines()
        # Row 3 (the header is row 1): a pieces cell that is not an integer.
        cells = next(csv.reader([lines[2]]))
        header = next(csv.reader([lines[0]]))
        cells[header.index("inspections/0/pieces:int")] = "sixteen"
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(cells)
        with open(self.path("bad.csv"), "w") as f:
            f.write("\n".join(lines[:2]) + "\n" + buf.getvalue())
        code, out, err = self.run_cli("doc", "issue", "--type", "MillTestReportCredential",
                                      self.path("bad.csv"), login="mill")
        self.assertEqual(code, 1, err)
        self.assert_one_line_error(err, "doc issue", "bad.csv", "row 3")
        self.assertEqual(out, "")

    def test_22_failed_batch_says_how_many_were_issued(self):
        rows = [("MTR-P-1", "HP-1"), ("MTR-P-2", "HP-2"), ("MTR-P-3", "HP-3")]
        text = self.mtr_csv(rows)
        lines = text.splitlines()
        header = next(csv.reader([lines[0]]))
        cells = next(csv.reader([lines[3]]))
        # The third certificate has no certificate number: the schema refuses it.
        cells[header.index("certificateNumber")] = ""
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(cells)
        with open(self.path("partial.csv"), "w") as f:
            f.write("\n".join(lines[:3]) + "\n" + buf.getvalue())
        out_file = self.path("partial.jsonl")
        code, out, err = self.run_cli("doc", "issue", "--type", "MillTestReportCredential",
                                      "--batch", "2", "--out", out_file,
                                      self.path("partial.csv"), login="mill")
        self.assertEqual(code, 1, err)
        self.assertIn("issued 2/3 MillTestReportCredential", err)
        last = err.splitlines()[-1]
        self.assertTrue(last.startswith("traceport: doc issue: "), last)
        self.assertIn("node: 400", last)
        self.assertIn("2 of 3 MillTestReportCredential issued before it", last)
        self.assertIn("certificateNumber", last)
        with open(out_file) as f:
            self.assertEqual(len([line for line in f if line.strip()]), 2)

    def test_23_plain_http_off_loopback_is_refused(self):
        for url in ("http://customs.example", "http://10.0.0.8:8443",
                    "http://127.0.0.1.example.com"):
            start = time.monotonic()
            code, _, err = self.run_cli("submissions", "list", "--node", url, node=False,
                                        login="officer")
            self.assertEqual(code, 1, err)
            self.assert_one_line_error(err, "refusing plain http://", "https://")
            self.assertLess(time.monotonic() - start, 10)
        code, _, err = self.run_cli("doc", "types", "--node", "ftp://x", node=False)
        self.assertEqual(code, 1, err)
        self.assertIn("https://", err)

    def test_24_node_problems(self):
        code, out, err = self.run_cli("doc", "issue", "--type", "NoSuchCredential",
                                      self.path("invoice.json"), login="mill")
        self.assertEqual(code, 1, err)
        self.assert_one_line_error(err, "node: 404", "NoSuchCredential")
        # --json: the error object on stdout too.
        code, out, err = self.run_cli("submissions", "show", "urn:uuid:nope", "--json",
                                      login="officer")
        self.assertEqual(code, 1, err)
        self.assertEqual(json.loads(out)["error"]["code"], "NOT_FOUND")
        # A wrong secret: the node's 401, and the secret is not echoed.
        with open(self.login["officer"]) as f:
            client_id = json.load(f)["client_id"]
        code, _, err = self.run_cli("submissions", "list", "--client-id", client_id,
                                    "--client-secret", "tps_wrong-secret-value")
        self.assertEqual(code, 1, err)
        self.assert_one_line_error(err, "node: 401")
        self.assertNotIn("tps_wrong-secret-value", err)
        # A mill client is no customs officer: the node's 403 stays exit 1.
        code, _, err = self.run_cli("submissions", "list", login="mill")
        self.assertEqual(code, 1, err)
        self.assertIn("node: 403", err)
        # A node that is not there.
        code, _, err = self.run_cli("doc", "types", "--node", f"http://{HOST}:{free_port()}",
                                    node=False)
        self.assertEqual(code, 1, err)
        self.assertIn("cannot reach the node", err)

    def test_25_login_sources(self):
        # From the environment, and one named entry of a file with several logins.
        with open(self.login["officer"]) as f:
            officer = json.load(f)
        out, _ = self.ok("submissions", "list", "--json",
                         env={"TRACEPORT_CLIENT_ID": officer["client_id"],
                              "TRACEPORT_CLIENT_SECRET": officer["client_secret"]})
        self.assertIn("submissions", json.loads(out))
        # A file of several logins, as `traceport demo` writes demo-logins.json: FILE#ORG is
        # the organization's first login, FILE#ORG/HOLDER the one customs gave that submitter.
        logins = {}
        for name in ("mill", "partner"):
            with open(self.login[name]) as f:
                logins[name] = json.load(f)
        many = self.path("demo-logins.json")
        with open(many, "w") as f:
            json.dump({"node": self.node.url, "logins": [
                {"org": "mill", "role": "mill", **logins["mill"]},
                {"org": "customs", "role": "customs", **officer},
                {"org": "customs", "role": "submit:presentations for importer",
                 **logins["partner"]}]}, f)
        out, _ = self.ok("submissions", "list", "--json", "--login", many + "#customs")
        self.assertIn(self.submission, [s["id"] for s in json.loads(out)["submissions"]])
        out, _ = self.ok("submissions", "status", self.submission, "--json", "--login",
                         many + "#customs/importer")
        self.assertEqual(json.loads(out)["status"], "held")
        code, _, err = self.run_cli("submissions", "list", "--login", many)
        self.assertEqual(code, 1, err)
        self.assert_one_line_error(err, "holds several logins", "mill, customs, customs/importer")
        code, _, err = self.run_cli("submissions", "list", "--login", many + "#cbp")
        self.assertEqual(code, 1, err)
        self.assert_one_line_error(err, "has no login cbp")

    def test_26_odd_answers_are_errors_not_crashes(self):
        # A server that hands out tokens but answers with members of the wrong types, and one
        # error that is not a problem document.
        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, body, ctype="application/json"):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.reply(200, '{"access_token": "t", "token_type": "Bearer"}')

            def do_GET(self):
                if self.path.startswith("/customs/submissions/x"):
                    self.reply(502, "upstream\nbroken", "text/plain")
                else:
                    self.reply(200, '{"submissions": [{"id": 1, "workflow": null, '
                                    '"leadTimeHours": "soon", "rules": "all"}]}')

        server = http.server.ThreadingHTTPServer((HOST, 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = f"http://{HOST}:{server.server_address[1]}"
            code, out, err = self.run_cli("submissions", "list", "--node", url, node=False,
                                          login="officer")
            self.assertEqual(code, 1, err)
            self.assert_one_line_error(err, "unexpected JSON from the node")
            code, out, err = self.run_cli("submissions", "show", "x", "--node", url, node=False,
                                          login="officer")
            self.assertEqual(code, 1, err)
            self.assert_one_line_error(err, "node: 502 upstream broken")
        finally:
            server.shutdown()
            server.server_close()

    def test_99_no_secret_in_any_output(self):
        self.assertGreater(len(self.outputs), 10)
        for text in self.outputs:
            for secret in self.secrets:
                self.assertNotIn(secret, text)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    BIN = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
