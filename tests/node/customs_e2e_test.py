#!/usr/bin/env python3
"""End-to-end test of the customs workflows (issue 6) over HTTP against the real binary.

Starts `traceport serve` on a free loopback port with a fresh data directory and builds a trade
network through the API: customs (CBP), a registry authority that admits every issuer with
well-formed legal identifiers and its credential types, a Mexican steel mill, Commerce's SIMA
office and DOE as licensing authorities, a US importer, a customs broker, a carrier, a Canadian
crude producer, a crude pipeline, a US refiner, a natural gas marketer with its transmission
pipeline, and one steel trader the registry never admitted.

Shipments are built from the example documents in src/customs/testdata/documents (deep copies:
dates moved relative to today, identifiers made unique per shipment, the example DIDs replaced by
the network's), issued with POST /documents/issue (Data Integrity eddsa-jcs-2022, so that a
member can be changed after signing; one purchase order goes as CSV), signed by the holder with
POST /presentations/prove and submitted to customs with a client the customs organization issued.

Tests, one function each:
  issuing from data: several documents per request, as JSON and as CSV rows, validFrom left to
    the node;
  one per workflow (steel, crude oil, natural gas): a clean shipment raises no warning or
    error, is anchored with a receipt, and goes through the officer's queue to a release the
    submitter reads;
  one per planted problem: the rule that must catch it fires with the right explanation, and no
    other rule raises a warning or an error;
  provenance: trace back to the mill and forward from a heat and a crude batch;
  bad input: refused decisions, refused document batches (nothing issued), a bad CSV cell, and
    a non-customs organization kept out of the queue.

Every request is checked against the /openapi.json the node serves before it is sent and every
response after it arrives (tests/node/openapi_validate.py); a mismatch fails the test that met it.

One line per test, failures indented under it, then `customs e2e: N passed, M failed`. Exit status
0 only when every test passed.

Usage: customs_e2e_test.py TRACEPORT
"""
from __future__ import annotations

import calendar
import copy
import csv
import datetime as dt
import io
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_client import ApiClient, Reply  # noqa: E402
from openapi_validate import OpenApiError, OpenApiValidator  # noqa: E402

TRACEPORT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else ""
HOST = "127.0.0.1"
V2 = "https://www.w3.org/ns/credentials/v2"
TRACEABILITY = "https://w3id.org/traceability/v1"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPO, "src", "customs", "testdata", "documents")
FIXTURE_DID_PREFIX = "did:web:example.test:organizations:"
SECURING = "eddsa-jcs-2022"
# The operations this test is about: each must be reached by some exchange.
CUSTOMS_OPERATIONS = {"listSubmissions", "getSubmission", "decideSubmission", "submissionStatus",
                      "trace", "ruleset", "documentTypes", "issueDocuments"}
RULE_IDS = {"identity.parties-registered", "steel.melt-pour-origin", "steel.heat-numbers-match",
            "steel.sima-covers", "weights.tolerance", "oil.api-gravity-hts",
            "oil.volume-consistency", "gas.monthly-reconciliation", "coo.nine-elements",
            "timing.data-earlier"}


# ---------------------------------------------------------------------------------------------
# Checks and tests


class TestAbort(Exception):
    """A check the rest of the test cannot do without failed."""


class Run:
    """Failures of the test being run, and the totals."""

    def __init__(self):
        self.name = None
        self.failures: list[str] = []
        self.checks = 0
        self.passed = 0
        self.failed = 0
        self.failed_names: list[str] = []
        self.doc_mismatches: dict[str, str] = {}  # message -> test
        self.crashed = False

    def check(self, cond, what) -> bool:
        self.checks += 1
        if not cond:
            self.failures.append(str(what))
            print(f"      FAIL {what}", flush=True)
        return bool(cond)

    def require(self, cond, what):
        if not self.check(cond, what):
            raise TestAbort(what)


R = Run()
check = R.check
require = R.require


def run_test(number, fn):
    name = fn.__name__
    R.name = f"{number:2d} {name}"
    R.failures, R.checks = [], 0
    start = time.monotonic()
    try:
        fn()
    except TestAbort as e:
        R.failures.append(f"(stopped: {e})")
        print("      (the test stopped here)", flush=True)
    except Exception as e:  # a broken assumption of the test is a failure like any other
        tb = traceback.extract_tb(e.__traceback__)
        line = next((f.lineno for f in reversed(tb) if f.filename == __file__), "?")
        msg = f"{type(e).__name__} at line {line}: {e}"
        R.failures.append(msg)
        R.crashed = True
        print(f"      FAIL (stopped) {msg[:2000]}", flush=True)
    took = time.monotonic() - start
    if R.failures:
        R.failed += 1
        R.failed_names.append(name)
        print(f"FAIL {R.name}: {len(R.failures)} of {R.checks} checks failed ({took:.1f} s)",
              flush=True)
    else:
        R.passed += 1
        print(f"ok   {R.name}: {R.checks} checks ({took:.1f} s)", flush=True)


# ---------------------------------------------------------------------------------------------
# The node under test


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class NodeProcess:
    """One `traceport serve` with its data directory and log file."""

    def __init__(self, tmp, name):
        self.data = os.path.join(tmp, name)
        self.log_path = os.path.join(tmp, name + ".log")
        self.proc = None
        self.port = None

    def start(self):
        for _ in range(3):
            self.port = free_port()
            args = [TRACEPORT, "serve", "--data", self.data, "--listen", f"{HOST}:{self.port}",
                    "--public-url", f"https://localhost:{self.port}", "--log-format", "json"]
            with open(self.log_path, "a") as log:
                self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True)
            line = ""
            if select.select([self.proc.stdout], [], [], 30)[0]:
                line = self.proc.stdout.readline()
            if f"listening on http://{HOST}:{self.port}" in line:
                return
            self.kill()
            # Another process may have taken the port first; the public URL (and so every DID)
            # names the port, so start over with a new directory.
            shutil.rmtree(self.data, ignore_errors=True)
        raise RuntimeError(f"the node did not start: {line!r}\n{self.log_tail()}")

    @property
    def base(self):
        return f"http://{HOST}:{self.port}"

    def kill(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc.stdout.close()
            self.proc = None

    def stop(self, timeout=10.0):
        if self.proc is None:
            return None
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            code = "timeout"
        self.proc.stdout.close()
        self.proc = None
        return code

    def log_tail(self, n=20):
        try:
            with open(self.log_path) as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""


class Api:
    """HTTP calls to one node; each request and response is checked against the document."""

    def __init__(self, base):
        self.validator: OpenApiValidator | None = None
        self.client = ApiClient(base, validator=None, timeout=60.0)

    def call(self, method, path, *, token=None, json_body=None, data=None, content_type=None,
             query=None, expect=None, check_request=True) -> Reply:
        method = method.upper()
        if query:
            path += ("&" if "?" in path else "?") + urllib.parse.urlencode(query, doseq=True)
        body = b""
        if json_body is not None:
            body = json.dumps(json_body).encode()
            content_type = content_type or "application/json"
        elif data is not None:
            body = data.encode() if isinstance(data, str) else bytes(data)
        sent = {}
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        if content_type is not None:
            sent["Content-Type"] = content_type
        if check_request and self.validator is not None:
            try:
                self.validator.validate_request(method, path, None, sent, content_type, body)
            except OpenApiError as e:
                check(False, f"the test's own request does not match the document: {e}")
        reply = self.client.request(method, path, data=body if body else None,
                                    content_type=content_type, token=token)
        self.validate(reply)
        if expect is not None:
            wanted = {expect} if isinstance(expect, int) else set(expect)
            check(reply.status in wanted,
                  f"{method} {path}: expected {' or '.join(map(str, sorted(wanted)))}, got "
                  f"{reply.status}: {reply.text[:800]}")
        return reply

    def validate(self, reply: Reply):
        if self.validator is None:
            return
        try:
            self.validator.validate_response(reply.method, reply.path, reply.status,
                                             reply.headers, reply.content_type or None,
                                             reply.body)
        except OpenApiError as e:
            msg = str(e)
            if not msg.startswith("no operation for"):
                R.doc_mismatches.setdefault(msg, R.name)
                body = reply.text[:300].replace("\n", "\\n")
                check(False, f"response does not match the document: {msg} (body: {body})")

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.call("POST", path, json_body=body, **kw)


def problem(reply: Reply, status=None) -> dict:
    """The reply's RFC 9457 problem (checked), or {} when it is not one."""
    if status is not None:
        check(reply.status == status, f"{reply.method} {reply.path}: expected {status}, got "
                                      f"{reply.status}: {reply.text[:600]}")
    try:
        return reply.problem()
    except AssertionError as e:
        check(False, str(e)[:600])
        return {}


def js(reply: Reply):
    try:
        return reply.json()
    except AssertionError as e:
        check(False, str(e)[:600])
        return {}


def quote(s: str) -> str:
    return urllib.parse.quote(s, safe="")


# ---------------------------------------------------------------------------------------------
# Legal identifiers, with check digits computed here (independently of the node)


def gs1_check_digit(digits: str) -> int:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def gln(base12: str) -> str:
    return base12 + str(gs1_check_digit(base12))


def lei(first18: str) -> str:
    """ISO 17442: the two ISO/IEC 7064 MOD 97-10 check digits appended."""
    number = int("".join(str(int(c, 36)) for c in first18 + "00"))
    return f"{first18}{98 - number % 97:02d}"


def luhn_check_digit(payload: str) -> int:
    total = 0
    for i, d in enumerate(reversed(payload)):
        v = int(d) * (2 if i % 2 == 0 else 1)
        total += v - 9 if v > 9 else v
    return (10 - total % 10) % 10


def business_number(root8: str, program="RC", reference="0001") -> str:
    return root8 + str(luhn_check_digit(root8)) + program + reference


def rfc(body11: str) -> str:
    """A Mexican RFC of a legal entity with its SAT mod-11 check character."""
    def value(c):
        if c.isdigit():
            return int(c)
        if "A" <= c <= "N":
            return ord(c) - ord("A") + 10
        if c == "&":
            return 24
        if "O" <= c <= "Z":
            return ord(c) - ord("O") + 25
        return 37  # space
    padded = body11.rjust(12)
    check_value = (11 - sum(value(c) * (13 - i) for i, c in enumerate(padded)) % 11) % 11
    return body11 + ("A" if check_value == 10 else str(check_value))


# ---------------------------------------------------------------------------------------------
# The network


MTR = "MillTestReportCredential"
SIMA = "SIMASteelImportLicenseCredential"
INVOICE = "CommercialInvoiceCredential"
PACKING = "PackingListCredential"
BOL = "MultiModalBillOfLadingCredential"
PO = "PurchaseOrderCredential"
E3461 = "CBP3461EntryCredential"
E7501 = "CBP7501EntrySummaryCredential"
COO = "USMCACertificationOfOrigin"
PRODUCT = "OilAndGasProductCredential"
TICKET = "OilAndGasDeliveryTicketCredential"
SCHEDULE = "DeliveryScheduleCredential"
STATEMENT = "DeliveryStatementCredential"
MANIFEST = "MonthlyAdvanceManifestCredential"
AGGREGATE = "MonthlyAggregateDeliveryStatementCredential"
DOE = "DOEImportAuthorizationCredential"

# slug (the example documents' organizations keep their slugs), name, roles, legal identifiers
# (None: never admitted), credential types the registry admits it for.
ORGS = [
    ("cbp", "U.S. Customs and Border Protection", ["customs"], None, []),
    ("registry-authority", "North American Trade Registry", ["registry-authority"], None, []),
    ("acero-del-norte", "Acero del Norte S.A. de C.V.", ["mill", "exporter"],
     {"rfc": rfc("ADN010203K7"), "gln": gln("750123400001"), "lei": lei("5493000ADN0102030A")},
     [MTR, INVOICE, PACKING, COO]),
    ("us-doc-sima", "U.S. Department of Commerce, Steel Import Monitoring and Analysis",
     ["licensing-authority"], {"ein": "53-0196949"}, [SIMA]),
    ("us-doe-fecm", "U.S. Department of Energy, Office of Fossil Energy and Carbon Management",
     ["licensing-authority"], {"ein": "52-1083742"}, [DOE]),
    ("great-lakes-fabrication", "Great Lakes Fabrication LLC", ["importer"],
     {"ein": "34-2718281", "ior": "34-271828100", "gln": gln("061414100101")}, [PO]),
    ("frontera-customs-brokers", "Frontera Customs Brokers Inc.", ["broker"],
     {"ein": "74-2904417", "duns": "061234567"}, [E3461, E7501]),
    ("transportes-rio-bravo", "Transportes Rio Bravo S.A. de C.V.", ["carrier"],
     {"rfc": rfc("TRB980415H2")}, [BOL]),
    ("prairie-ridge-energy", "Prairie Ridge Energy Ltd.", ["producer", "exporter"],
     {"bn": business_number("12345678"), "gln": gln("754000012340")}, [PRODUCT, COO]),
    ("big-sky-crude-pipeline", "Big Sky Crude Pipeline LP", ["carrier"],
     {"bn": business_number("86419753")}, [TICKET, SCHEDULE, STATEMENT]),
    ("yellowstone-refining", "Yellowstone Refining Company", ["importer"],
     {"ein": "81-0412345", "lei": "5493001KJTIIGC8Y1R12"}, [PO]),
    ("lakeshore-gas-marketing", "Lakeshore Gas Marketing Inc.", ["importer"],
     {"ein": "38-5550123"}, [MANIFEST, COO]),
    ("lakes-crossing-gas-transmission", "Lakes Crossing Gas Transmission LP", ["carrier"],
     {"ein": "26-4417788"}, [AGGREGATE]),
    # A steel trader the registry never admitted: whatever it issues is not accredited.
    ("norte-steel-trading", "Norte Steel Trading S. de R.L. de C.V.", ["exporter"], None, []),
]
ISSUERS = [slug for slug, _, _, _, types in ORGS if types] + ["norte-steel-trading"]
HOLDERS = ["great-lakes-fabrication", "frontera-customs-brokers", "yellowstone-refining",
           "lakeshore-gas-marketing"]


class State:
    pass


S = State()


def ledger_size():
    return js(S.api.get("/healthz", expect=200)).get("ledgerSize")


def checkpoint_size(at_least=None, wait=5.0):
    """The tree size of the latest checkpoint; with at_least, waits for one that covers it."""
    deadline = time.monotonic() + wait
    while True:
        r = S.api.get("/checkpoint", expect=(200, 404))
        size = None
        if r.status == 200:
            lines = r.text.split("\n")
            size = int(lines[1]) if len(lines) > 1 and lines[1].isdigit() else None
        if at_least is None or (size is not None and size >= at_least):
            return size
        if time.monotonic() > deadline:
            return size
        time.sleep(0.2)


def ledger_entry(index):
    r = S.api.get(f"/ledger/entries/{index}", expect=200)
    return js(r).get("entry", {})


def receipt_for(index):
    """GET /ledger/receipts/{index}, waiting for a checkpoint to cover it (409 until then)."""
    deadline = time.monotonic() + 10
    while True:
        r = S.api.get(f"/ledger/receipts/{index}", expect=(200, 409))
        if r.status == 200 or time.monotonic() > deadline:
            return r
        problem(r, 409)
        time.sleep(0.25)


def token_for(client):
    r = S.api.post("/oauth/token", {"grant_type": "client_credentials",
                                    "client_id": client.get("client_id"),
                                    "client_secret": client.get("client_secret")}, expect=200)
    return js(r).get("access_token")


def new_client(org, name, scopes):
    r = S.api.post(f"/admin/organizations/{org}/clients", {"name": name, "scopes": scopes},
                   token=S.tok["admin"], expect=201)
    c = js(r)
    check(c.get("org") == org and sorted(c.get("scopes", [])) == sorted(scopes),
          f"client {name}: {c}")
    S.tok[name] = token_for(c)
    return c


# ---------------------------------------------------------------------------------------------
# Documents: the example documents, moved in time and made unique per shipment


DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
DATETIME = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})(T.+)$")
MONTH = re.compile(r"^[0-9]{4}-[0-9]{2}$")


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def month_index(text: str) -> int:
    y, m = text.split("-")
    return int(y) * 12 + int(m) - 1


def month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


class Shift:
    """Moves every date, date-time and month of a document by the same amount: whole days
    (months follow the anchor's month), or whole months (for a gas month, so that its deliveries
    keep their days)."""

    def __init__(self, anchor: dt.date, target: dt.date, by_months=False):
        self.by_months = by_months
        if by_months:
            self.months = month_index(target.isoformat()[:7]) - month_index(anchor.isoformat()[:7])
        else:
            self.days = (target - anchor).days
            self.months = (month_index(target.isoformat()[:7]) -
                           month_index(anchor.isoformat()[:7]))

    def date(self, d: dt.date) -> dt.date:
        return add_months(d, self.months) if self.by_months else d + dt.timedelta(days=self.days)

    def __call__(self, value):
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self(v) for v in value]
        if isinstance(value, str):
            if DATE.match(value):
                return self.date(dt.date.fromisoformat(value)).isoformat()
            m = DATETIME.match(value)
            if m:
                return self.date(dt.date.fromisoformat(m.group(1))).isoformat() + m.group(2)
            if MONTH.match(value):
                return month_text(month_index(value) + self.months)
        return value


def rename(value, mapping: dict):
    """The document with every occurrence of mapping's keys (identifiers) replaced, in one pass
    so that a replacement is never replaced again."""
    if not mapping:
        return copy.deepcopy(value)
    pattern = re.compile("|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)))
    return json.loads(pattern.sub(lambda m: mapping[m.group(0)], json.dumps(value)))


def fixture(name):
    """The example document `name`.json with the network's DIDs: (credential, subject)."""
    with open(os.path.join(FIXTURES, name + ".json")) as f:
        text = f.read()
    text = text.replace(FIXTURE_DID_PREFIX, f"did:web:localhost%3A{S.node.port}:organizations:")
    doc = json.loads(text)
    return doc, copy.deepcopy(doc["credentialSubject"])


def rfc3339(d: dt.datetime) -> str:
    return d.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def validity(doc, shift: Shift):
    """validFrom / validUntil of an example licence moved with its shipment, but never in the
    future (a licence valid from tomorrow fails verification today) nor already over."""
    now = dt.datetime.now(dt.timezone.utc)
    out = {}
    if "validUntil" not in doc:
        return out  # the document has no validity of its own: the issuer's clock decides
    for member in ("validFrom", "validUntil"):
        if member in doc:
            t = dt.datetime.fromisoformat(doc[member].replace("Z", "+00:00"))
            t = dt.datetime.combine(shift.date(t.date()), t.timetz())
            if member == "validFrom":
                t = min(t, now - dt.timedelta(hours=1))
            else:
                t = max(t, now + dt.timedelta(days=30))
            out[member] = rfc3339(t)
    return out


class Shipment:
    """The documents of one shipment: key -> {"issuer", "type", "doc"}; after issue(), the
    issued credentials: key -> {"id", "verifiableCredential"}."""

    def __init__(self, workflow, holder, tag):
        self.workflow = workflow
        self.holder = holder
        self.tag = tag
        self.docs: dict[str, dict] = {}
        self.issued: dict[str, dict] = {}
        self.csv_keys: set[str] = set()

    def add(self, key, issuer, type_, subject, extra=None):
        self.docs[key] = {"issuer": issuer, "type": type_,
                          "doc": {"credentialSubject": subject, **(extra or {})}}

    def subject(self, key):
        return self.docs[key]["doc"]["credentialSubject"]

    def ids(self, *keys):
        return [self.issued[k]["id"] for k in keys]


def today():
    return dt.datetime.now(dt.timezone.utc).date()


STEEL_FIXTURES = [  # key, example document, issuer
    ("po", PO, "great-lakes-fabrication"),
    ("mtr", MTR, "acero-del-norte"),
    ("sima", SIMA, "us-doc-sima"),
    ("invoice", INVOICE, "acero-del-norte"),
    ("packing", PACKING, "acero-del-norte"),
    ("bol", BOL, "transportes-rio-bravo"),
    ("e3461", E3461, "frontera-customs-brokers"),
    ("e7501", E7501, "frontera-customs-brokers"),
    ("coo", COO, "acero-del-norte"),
]


def steel_shipment(number, holder, arrival: dt.date) -> Shipment:
    """The example steel shipment (heats, PO, invoice, bill of lading, certificate, licence and
    entry numbers suffixed with the shipment's tag) arriving on `arrival`."""
    tag = f"S{number:02d}"
    _, bol = fixture(BOL)
    anchor = dt.date.fromisoformat(bol["mainCarriageTransportMovement"]["arrivalDate"])
    shift = Shift(anchor, arrival)
    _, mtr = fixture(MTR)
    _, sima = fixture(SIMA)
    _, invoice = fixture(INVOICE)
    heats = [i["heatNumber"] for i in mtr["inspections"]]
    ids = {h: f"{h}-{tag}" for h in heats}
    ids[invoice["invoiceNumber"]] = f"{invoice['invoiceNumber']}-{tag}"
    ids[invoice["billOfLadingNumber"]] = f"{invoice['billOfLadingNumber']}-{tag}"
    ids[mtr["purchaseOrderNumber"]] = f"{mtr['purchaseOrderNumber']}-{tag}"
    ids[mtr["certificateNumber"]] = f"{mtr['certificateNumber']}-{tag}"
    ids[sima["licenseNumber"]] = f"{sima['licenseNumber']}-{tag}"
    entry = sima["customsEntryNumber"]  # XXX-NNNNNNN-N: the shipment's number in the digits
    ids[entry] = f"{entry[:8]}{number:02d}{entry[10:]}"
    s = Shipment("steel", holder, tag)
    for key, type_, issuer in STEEL_FIXTURES:
        doc, subject = fixture(type_)
        subject = rename(shift(subject), ids)
        s.add(key, issuer, type_, subject, validity(doc, shift))
    s.heats = [ids[h] for h in heats]
    s.arrival = arrival
    return s


def crude_shipment(number, holder, first_close: dt.date) -> Shipment:
    """The example crude movement (product, two tickets, schedule, statement) and a USMCA
    certification by the producer, the first ticket closing on `first_close`."""
    tag = f"C{number:02d}"
    _, t1 = fixture(TICKET)
    _, t2 = fixture(TICKET + ".2")
    anchor = min(dt.date.fromisoformat(t["closeDate"][:10]) for t in (t1, t2))
    shift = Shift(anchor, first_close)
    _, statement = fixture(STATEMENT)
    ids = {t1["batchNumber"]: f"{t1['batchNumber']}-{tag}",
           statement["statementNumber"]: f"{statement['statementNumber']}-{tag}"}
    for t in (t1, t2):
        ids[t["ticketControlNumber"]] = f"{t['ticketControlNumber']}-{tag}"
    s = Shipment("crude-oil", holder, tag)
    for key, name, type_, issuer in (("product", PRODUCT, PRODUCT, "prairie-ridge-energy"),
                                     ("ticket1", TICKET, TICKET, "big-sky-crude-pipeline"),
                                     ("ticket2", TICKET + ".2", TICKET, "big-sky-crude-pipeline"),
                                     ("schedule", SCHEDULE, SCHEDULE, "big-sky-crude-pipeline"),
                                     ("statement", STATEMENT, STATEMENT,
                                      "big-sky-crude-pipeline")):
        doc, subject = fixture(name)
        s.add(key, issuer, type_, rename(shift(subject), ids), validity(doc, shift))
    # The example certification of origin is the steel one; the producer certifies its crude.
    _, coo = fixture(COO)
    product = s.subject("product")
    producer = {"id": S.did["prairie-ridge-energy"], "name": "Prairie Ridge Energy Ltd."}
    refiner = s.subject("ticket1")["consignee"]
    coo["certifierRole"] = "Producer"
    coo["certifier"] = {
        "name": "Dana Whitford", "jobTitle": "Marketing Compliance Lead",
        "organization": producer,
        "address": {"streetAddress": "500 4 Ave SW", "addressLocality": "Calgary",
                    "addressRegion": "AB", "postalCode": "T2P 2V6", "addressCountry": "CA"},
        "phoneNumber": "+1 403 555 0142", "email": "compliance@prairie-ridge.example.test"}
    coo["exporterDetails"] = producer
    coo["producerDetails"] = producer
    coo["importerDetails"] = [refiner]
    coo.pop("invoiceNumber", None)
    coo["goods"] = [{"description": "Crude petroleum oil, light sour",
                     "commodityCode": "2709.00", "commodityCodeType": "HS",
                     "originCriterion": "A", "countryOfOrigin": "CA"}]
    coo["signatureDate"] = product["productionDate"]
    s.add("coo", "prairie-ridge-energy", COO, coo)
    s.batch = ids[t1["batchNumber"]]
    s.uwi = product["UWI"]
    return s


def last_31_day_month() -> dt.date:
    """The first day of the latest month that is over and has 31 days (a month's deliveries in
    the example run to the 31st)."""
    d = today().replace(day=1)
    while True:
        d = add_months(d, -1)
        if calendar.monthrange(d.year, d.month)[1] == 31:
            return d


def gas_shipment(number, holder) -> Shipment:
    """The example gas month (DOE authorization, advance manifest, aggregate statement) moved to
    the latest 31-day month that is over, and a USMCA certification by the marketer."""
    tag = f"G{number:02d}"
    _, aggregate = fixture(AGGREGATE)
    _, manifest = fixture(MANIFEST)
    anchor = dt.date.fromisoformat(aggregate["statementMonth"] + "-01")
    shift = Shift(anchor, last_31_day_month(), by_months=True)
    ids = {aggregate["statementNumber"]: f"{aggregate['statementNumber']}-{tag}",
           manifest["manifestNumber"]: f"{manifest['manifestNumber']}-{tag}"}
    s = Shipment("natural-gas", holder, tag)
    for key, type_, issuer in (("doe", DOE, "us-doe-fecm"),
                               ("manifest", MANIFEST, "lakeshore-gas-marketing"),
                               ("aggregate", AGGREGATE, "lakes-crossing-gas-transmission")):
        doc, subject = fixture(type_)
        s.add(key, issuer, type_, rename(shift(subject), ids), validity(doc, shift))
    _, coo = fixture(COO)
    month = s.subject("aggregate")["statementMonth"]
    start = dt.date.fromisoformat(month + "-01")
    marketer = {"id": S.did["lakeshore-gas-marketing"], "name": "Lakeshore Gas Marketing Inc."}
    producer = {"id": S.did["prairie-ridge-energy"], "name": "Prairie Ridge Energy Ltd."}
    coo["certifierRole"] = "Importer"
    coo["certifier"] = {
        "name": "Morgan Ellis", "jobTitle": "Director, Gas Supply",
        "organization": marketer,
        "address": {"streetAddress": "300 River Pl, Suite 400", "addressLocality": "Detroit",
                    "addressRegion": "MI", "postalCode": "48207", "addressCountry": "US"},
        "phoneNumber": "+1 313 555 0187", "email": "supply@lakeshore-gas.example.test"}
    coo["exporterDetails"] = producer
    coo["producerDetails"] = producer
    coo["importerDetails"] = [marketer]
    coo.pop("invoiceNumber", None)
    coo["goods"] = [{"description": "Natural gas in the gaseous state, by pipeline",
                     "commodityCode": "2711.21", "commodityCodeType": "HS",
                     "originCriterion": "A", "countryOfOrigin": "CA"}]
    coo["blanketPeriod"] = {"startDate": start.isoformat(),
                            "endDate": (add_months(start, 6) - dt.timedelta(days=1)).isoformat()}
    coo["signatureDate"] = s.subject("manifest").get("date", start.isoformat())
    s.add("coo", "lakeshore-gas-marketing", COO, coo)
    s.month = month
    return s


def subject_csv(subject: dict, valid_from=None) -> str:
    """One CSV row for a subject: scalar members as string columns, the rest as :json cells,
    and one nested member spelled out as a path (so both column forms are exercised); with
    valid_from, an @validFrom column."""
    out = io.StringIO()
    header, row = [], []
    if valid_from is not None:
        header.append("@validFrom")
        row.append(valid_from)
    for k, v in subject.items():
        if k == "totalPaymentDue" and isinstance(v, dict):
            for kk, vv in v.items():
                header.append(f"{k}/{kk}")
                row.append(vv)
        elif isinstance(v, str):
            header.append(k)
            row.append(v)
        else:
            header.append(k + ":json")
            row.append(json.dumps(v))
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    w.writerow(row)
    return out.getvalue()


def issue(s: Shipment):
    """Issues every document of the shipment (one POST /documents/issue each; CSV for the keys
    in s.csv_keys)."""
    for key, d in s.docs.items():
        token = S.tok[d["issuer"] + "-issuer"]
        # Every document says when it is issued (test_issue_documents_from_data checks
        # separately that validFrom may be left to the node). Not earlier: a credential whose
        # proof fails has no ledger anchor, so its validFrom is what the registry check judges
        # by, and the issuers were admitted only a few seconds ago.
        doc = {"validFrom": rfc3339(dt.datetime.now(dt.timezone.utc)), **d["doc"]}
        if key in s.csv_keys:
            require(set(doc) == {"credentialSubject", "validFrom"},
                    f"{key}: CSV carries the subject and validFrom only")
            r = S.api.call("POST", "/documents/issue",
                           data=subject_csv(doc["credentialSubject"], doc["validFrom"]),
                           content_type="text/csv", token=token,
                           query={"type": d["type"], "securing": SECURING}, expect=201)
        else:
            r = S.api.post("/documents/issue", {"type": d["type"], "documents": [doc],
                                                "options": {"securing": SECURING}},
                           token=token, expect=201)
        out = js(r)
        require(r.status == 201 and out.get("count") == 1 and len(out.get("issued", [])) == 1,
                f"issue {s.tag} {key} ({d['type']} by {d['issuer']}): {r.status} {r.text[:1500]}")
        issued = out["issued"][0]
        vc = issued.get("verifiableCredential", {})
        check(out.get("type") == d["type"] and
              vc.get("type") == ["VerifiableCredential", d["type"]] and
              vc.get("issuer") == S.did[d["issuer"]] and
              isinstance(issued.get("ledgerIndex"), int),
              f"issued {key}: {json.dumps(out)[:600]}")
        check(vc.get("proof", {}).get("cryptosuite") == SECURING, f"{key}: proof {vc.get('proof')}")
        check(vc.get("credentialSubject") == d["doc"]["credentialSubject"],
              f"{key}: the credential's subject is the one given"
              f"{' in CSV' if key in s.csv_keys else ''}")
        check(vc.get("credentialSchema", {}) in (
            {"id": f"https://traceport.dev/schemas/{d['type']}/v1.json", "type": "JsonSchema"},
            [{"id": f"https://traceport.dev/schemas/{d['type']}/v1.json", "type": "JsonSchema"}]),
            f"{key}: credentialSchema {vc.get('credentialSchema')}")
        s.issued[key] = {"id": issued.get("id"), "verifiableCredential": vc}


def workflow_member(workflow):
    return {"definition": [f"https://traceport.dev/workflows/{workflow}/v1"],
            "instance": [f"urn:uuid:{uuid.uuid4()}"]}


def submit(s: Shipment, credentials=None):
    """The holder signs a TraceablePresentation of the shipment's credentials through
    /presentations/prove and submits it with its customs client. Returns the POST reply."""
    creds = credentials if credentials is not None else \
        [c["verifiableCredential"] for c in s.issued.values()]
    s.presentation_id = f"urn:uuid:{uuid.uuid4()}"
    s.workflow_member = workflow_member(s.workflow)
    presentation = {"@context": [V2, TRACEABILITY], "id": s.presentation_id,
                    "type": ["VerifiablePresentation", "TraceablePresentation"],
                    "workflow": s.workflow_member, "verifiableCredential": creds}
    r = S.api.post("/presentations/prove", {"presentation": presentation, "options": {}},
                   token=S.tok[s.holder + "-holder"], expect=201)
    out = js(r)
    require(r.status == 201 and out.get("jwt"), f"prove {s.tag}: {r.status} {r.text[:600]}")
    s.submitted_at = time.time()
    # The caller checks the status (and, for a planted problem, what was kept after a wrong one).
    return S.api.post("/presentations", {"verifiablePresentation": out["verifiablePresentation"]},
                      token=S.tok["submit-" + s.holder])


def findings_text(findings):
    return "; ".join(f"[{f.get('severity')}] {f.get('ruleId')}: {f.get('explanation')}"
                     for f in findings) or "none"


def serious(findings):
    return [f for f in findings if f.get("severity") in ("warning", "error")]


def check_receipt(s: Shipment, rec: dict):
    """The 201 answer's submission and its anchor on the ledger."""
    sub = rec.get("submission", {})
    check(rec.get("id") == s.presentation_id and sub.get("id") == s.presentation_id,
          f"the answer names the presentation: {rec.get('id')} / {sub.get('id')}")
    check(rec.get("holder") == S.did[s.holder], f"holder {rec.get('holder')}")
    check(rec.get("workflow") == s.workflow_member, f"workflow {rec.get('workflow')}")
    check(sub.get("status") == "received", f"status {sub.get('status')}")
    check(sub.get("rulesetVersion") == S.ruleset_version,
          f"rulesetVersion {sub.get('rulesetVersion')} (GET /customs/ruleset: {S.ruleset_version})")
    check(isinstance(sub.get("risk"), int) and 0 <= sub["risk"] <= 100, f"risk {sub.get('risk')}")
    for f in sub.get("findings", []):
        check(all(k in f for k in ("ruleId", "severity", "title", "explanation", "credentialIds",
                                   "details")), f"a finding has every member: {f}")
    creds = sub.get("credentials", [])
    check(sorted(c.get("id") for c in creds) == sorted(s.ids(*s.issued)),
          f"the submission lists the credentials: {[c.get('id') for c in creds]}")
    by_id = {c.get("id"): c for c in creds}
    for key, c in s.issued.items():
        got = by_id.get(c["id"], {})
        check(got.get("type") == s.docs[key]["type"] and
              got.get("issuer") == S.did[s.docs[key]["issuer"]],
              f"{key}: credential summary {got}")
    idx = sub.get("ledgerIndex")
    require(isinstance(idx, int) and idx == rec.get("ledgerIndex"),
            f"ledgerIndex {idx} (presentation: {rec.get('ledgerIndex')})")
    check(str(sub.get("receipt", "")).endswith(f"/ledger/receipts/{idx}"),
          f"receipt {sub.get('receipt')}")
    entry = ledger_entry(idx)
    check(entry.get("type") == "submission.received" and
          entry.get("submission_id") == s.presentation_id and
          entry.get("recipient") == S.did["cbp"] and entry.get("submitter") == S.did[s.holder],
          f"ledger entry {idx}: {entry}")
    r = receipt_for(idx)
    check(r.status == 200 and r.text.startswith("c2sp.org/tlog-proof@v1\n"),
          f"GET /ledger/receipts/{idx}: {r.status} {r.text[:80]!r}")
    s.ledger_index = idx
    return sub


# ---------------------------------------------------------------------------------------------
# 1. The network


def test_network_setup():
    r = S.api.client.request("GET", "/openapi.json")
    require(r.status == 200, f"GET /openapi.json: {r.status}")
    try:
        S.api.validator = OpenApiValidator(r.json())
    except OpenApiError as e:
        require(False, f"the served OpenAPI document is not valid: {e}")
    S.api.validate(r)
    with open(os.path.join(S.node.data, "admin-client.json")) as f:
        admin = json.load(f)
    S.tok = {"admin": token_for(admin)}
    require(S.tok["admin"], "the admin client's token")
    # Organizations.
    S.did = {}
    for slug, name, roles, _, _ in ORGS:
        r = S.api.post("/admin/organizations", {"slug": slug, "name": name, "roles": roles},
                       token=S.tok["admin"], expect=201)
        o = js(r)
        want = f"did:web:localhost%3A{S.node.port}:organizations:{slug}"
        check(o.get("did") == want and o.get("roles") == roles, f"{slug}: {json.dumps(o)[:300]}")
        S.did[slug] = o.get("did", want)
    # Clients: issuers, holders, the customs officer, the submitters' clients (issued by the
    # customs organization), and clients customs must keep out.
    for slug in ISSUERS:
        new_client(slug, slug + "-issuer",
                   ["create:credential", "read:credential", "update:credential"])
    for slug in HOLDERS:
        new_client(slug, slug + "-holder", ["create:presentation"])
        new_client("cbp", "submit-" + slug, ["submit:presentations"])
    new_client("cbp", "submit-other", ["submit:presentations"])
    new_client("cbp", "officer", ["read:submissions", "decide:submissions"])
    new_client("cbp", "analyst", ["read:submissions"])
    new_client("registry-authority", "authority", ["manage:registry"])
    new_client("great-lakes-fabrication", "importer-reader",
               ["read:submissions", "decide:submissions"])
    # Every identifier is well formed (checked by the node's validator), then every issuer but
    # the trader is admitted for its types.
    for slug, _, _, ids, _ in ORGS:
        for scheme, value in (ids or {}).items():
            r = S.api.post("/registry/identifiers/validate", {"scheme": scheme, "value": value},
                           expect=200)
            check(js(r).get("valid") is True, f"{slug}: {scheme} {value}: {r.text[:300]}")
    for slug, name, roles, ids, types in ORGS:
        if ids is None:
            continue
        r = S.api.post("/registry/entries", {"did": S.did[slug], "name": name,
                                             "identifiers": ids, "roles": roles,
                                             "credentialTypes": types},
                       token=S.tok["authority"], expect=201)
        check(js(r).get("state") == "active", f"admit {slug}: {r.text[:300]}")
    r = S.api.get("/registry/entries/" + quote(S.did["norte-steel-trading"]))
    problem(r, 404)
    # Credentials issued in the second of an admission are a separate concern (node e2e).
    time.sleep(1.1)
    # The document types the node issues from data, and the rule set it runs.
    r = S.api.get("/documents/types", expect=200)
    types = {t.get("type"): t for t in js(r).get("types", [])}
    used = {MTR, SIMA, INVOICE, PACKING, BOL, PO, E3461, E7501, COO, PRODUCT, TICKET, SCHEDULE,
            STATEMENT, MANIFEST, AGGREGATE, DOE}
    check(used <= set(types), f"document types missing: {sorted(used - set(types))}")
    check(all(types[t].get("schema") == f"https://traceport.dev/schemas/{t}/v1.json"
              for t in used & set(types)), f"document type schemas: {list(types.values())[:3]}")
    check("TradeCommon" not in types and "VerifiableCredential" not in types,
          f"only document types are listed: {sorted(types)}")
    r = S.api.get("/customs/ruleset", expect=200)
    rs = js(r)
    S.ruleset_version = rs.get("version")
    check(isinstance(S.ruleset_version, str) and S.ruleset_version, f"version {rs.get('version')}")
    ids = {rule.get("id") for rule in rs.get("rules", [])}
    check(RULE_IDS <= ids, f"rule ids missing from the rule set: {sorted(RULE_IDS - ids)}")
    S.shipments = {}


# ---------------------------------------------------------------------------------------------
# 2. Issuing from data


def test_issue_documents_from_data():
    """Several documents in one request, as JSON and as CSV rows, validFrom left to the node."""
    s = steel_shipment(80, "great-lakes-fabrication", today() + dt.timedelta(days=5))
    token = S.tok["great-lakes-fabrication-issuer"]
    first = s.subject("po")
    second = rename(first, {first["purchaseOrderNumber"]: first["purchaseOrderNumber"] + "-B"})
    size = ledger_size()
    started = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    r = S.api.post("/documents/issue", {"type": PO, "documents": [{"credentialSubject": first},
                                                                  {"credentialSubject": second}]},
                   token=token, expect=201)
    out = js(r)
    issued = out.get("issued", [])
    check(out.get("count") == 2 and len(issued) == 2, f"two documents issued: {r.text[:600]}")
    check(len({i.get("id") for i in issued}) == len(issued), "each has its own id")
    indexes = [i.get("ledgerIndex") for i in issued]
    check(indexes == [size, size + 1] and ledger_size() == size + 2,
          f"each is anchored in turn: {indexes} (ledger size before: {size})")
    for i, want in zip(issued, (first, second)):
        vc = i.get("verifiableCredential")
        # The default securing is vc-jwt: an enveloped credential.
        check(isinstance(vc, dict) and vc.get("type") == "EnvelopedVerifiableCredential" and
              str(vc.get("id", "")).startswith("data:application/vc+jwt,"),
              f"the default securing gives an enveloped vc+jwt: {str(vc)[:200]}")
        r = S.api.get("/credentials/" + quote(i.get("id", "")), token=token, expect=200)
        check(js(r).get("verifiableCredential") == vc, "the issued document is stored")
    # CSV rows, Data Integrity.
    rows = [subject_csv(first).split("\r\n")[0]] + \
        [subject_csv(x).split("\r\n")[1] for x in (first, second)]
    size = ledger_size()
    r = S.api.call("POST", "/documents/issue", data="\r\n".join(rows) + "\r\n",
                   content_type="text/csv", query={"type": PO, "securing": SECURING},
                   token=token, expect=201)
    out = js(r)
    issued = out.get("issued", [])
    check(out.get("count") == 2 and ledger_size() == size + 2, f"two CSV rows: {r.text[:600]}")
    for i, want in zip(issued, (first, second)):
        vc = i.get("verifiableCredential", {})
        check(vc.get("credentialSubject") == want, f"a CSV row's subject: {str(vc)[:300]}")
        check(vc.get("proof", {}).get("cryptosuite") == SECURING, f"securing {vc.get('proof')}")
        try:
            valid_from = dt.datetime.fromisoformat(vc.get("validFrom", "").replace("Z", "+00:00"))
        except ValueError:
            valid_from = None
        check(valid_from is not None and valid_from >= started - dt.timedelta(seconds=2),
              f"validFrom is the issuing time: {vc.get('validFrom')}")


# ---------------------------------------------------------------------------------------------
# 3-5. One clean shipment per workflow, through the officer's queue


def clean_workflow(s: Shipment, expected_count, rules_that_apply):
    """Issues and submits a clean shipment, then takes it through the officer's queue to a
    release the submitter reads. `rules_that_apply` must have run and passed: a clean result
    from rules that did not apply would prove nothing."""
    issue(s)
    size = ledger_size()
    r = submit(s)
    rec = js(r)
    require(r.status == 201, f"submission: {r.status} {r.text[:600]}")
    check(rec.get("verified") is True, f"every credential verifies: {rec.get('verified')}")
    sub = check_receipt(s, rec)
    check(len(s.issued) == expected_count and len(sub.get("credentials", [])) == expected_count,
          f"{expected_count} credentials: {len(sub.get('credentials', []))}")
    check(all(c.get("verified") is True and c.get("issuerRegistered") is True
              for c in sub.get("credentials", [])),
          f"every credential verified, from a registered issuer: {sub.get('credentials')}")
    check(not serious(sub.get("findings", [])),
          f"a clean {s.workflow} shipment raises no warning or error: "
          f"{findings_text(sub.get('findings', []))}")
    check(ledger_size() == size + 1, "the submission is one ledger entry")
    # The officer's queue.
    officer = S.tok["officer"]
    r = S.api.get("/customs/submissions", token=officer, query={"status": "received"},
                  expect=200)
    listed = {x.get("id"): x for x in js(r).get("submissions", [])}
    mine = listed.get(s.presentation_id, {})
    require(mine, f"the queue of received submissions lists it: {sorted(listed)}")
    statuses = [x.get("status") for x in listed.values()]
    check(all(x == "received" for x in statuses),
          f"?status=received lists only received ones: {statuses}")
    check(mine.get("holder") == S.did[s.holder] and mine.get("risk") == sub.get("risk") and
          mine.get("rulesetVersion") == S.ruleset_version and
          mine.get("workflow") == s.workflow_member and
          mine.get("findingCount") == len(sub.get("findings", [])) and
          sorted(mine.get("rules", [])) == sorted({f["ruleId"] for f in sub.get("findings", [])}),
          f"the queue's summary: {mine}")
    r = S.api.get("/customs/submissions", token=officer,
                  query={"workflow": s.workflow, "holder": S.did[s.holder]}, expect=200)
    got = js(r).get("submissions", [])
    check(s.presentation_id in [x.get("id") for x in got] and
          all(x.get("holder") == S.did[s.holder] and
              any(s.workflow in d for d in x.get("workflow", {}).get("definition", []))
              for x in got),
          f"?workflow={s.workflow}&holder= filters: "
          f"{[(x.get('id'), x.get('holder')) for x in got]}")
    # Opening it.
    r = S.api.get("/customs/submissions/" + quote(s.presentation_id), token=officer,
                  expect=200)
    full = js(r)
    outcome = full.get("outcome", {})
    check(full.get("status") == "received" and full.get("decisions") == [],
          f"status {full.get('status')}, decisions {full.get('decisions')}")
    check(outcome.get("findings") == sub.get("findings"),
          f"the stored findings are those of the answer: {outcome.get('findings')}")
    check(isinstance(outcome.get("passed"), list) and outcome["passed"] and
          isinstance(outcome.get("notApplicable"), list),
          f"the outcome says what passed and what did not apply: passed {outcome.get('passed')}, "
          f"notApplicable {outcome.get('notApplicable')}")
    receipt = full.get("receipt", {})
    check(receipt.get("ledgerIndex") == s.ledger_index and
          str(receipt.get("url", "")).endswith(f"/ledger/receipts/{s.ledger_index}"),
          f"receipt {receipt}")
    check(set(rules_that_apply) <= set(outcome.get("passed", [])),
          f"the {s.workflow} rules ran and passed: missing "
          f"{sorted(set(rules_that_apply) - set(outcome.get('passed', [])))} (not applicable: "
          f"{outcome.get('notApplicable')})")
    check(sorted(c.get("id") for c in full.get("credentials", [])) ==
          sorted(c.get("id") for c in sub.get("credentials", [])), "the stored credentials")
    if hasattr(s, "arrival"):
        lead = full.get("leadTimeHours")
        check(str(full.get("arrivalAt", "")).startswith(s.arrival.isoformat()) and
              isinstance(lead, (int, float)) and
              24 < lead <= (s.arrival - today()).days * 24 + 1,
              f"arrival {full.get('arrivalAt')} (expected {s.arrival}), lead time {lead} hours")
    # The decision, anchored.
    size = ledger_size()
    r = S.api.post(f"/customs/submissions/{quote(s.presentation_id)}/decision",
                   {"decision": "release", "reason": f"documents consistent ({s.tag})"},
                   token=officer, expect=201)
    d = js(r)
    check(d.get("decision") == "release" and d.get("status") == "released" and
          d.get("rulesetVersion") == S.ruleset_version and isinstance(d.get("ledgerIndex"), int),
          f"decision: {d}")
    check(ledger_size() == size + 1, "the decision is one ledger entry")
    if isinstance(d.get("ledgerIndex"), int):
        entry = ledger_entry(d["ledgerIndex"])
        check(entry.get("type") == "decision.recorded" and entry.get("decision") == "release" and
              entry.get("submission_id") == s.presentation_id and
              f"ruleset {S.ruleset_version}" in entry.get("reasons", []),
              f"the ledger records the decision: {entry}")
    r = S.api.get("/customs/submissions/" + quote(s.presentation_id), token=officer,
                  expect=200)
    full = js(r)
    decisions = full.get("decisions", [])
    check(full.get("status") == "released" and len(decisions) == 1 and
          decisions[0].get("decision") == "release" and
          decisions[0].get("ledgerIndex") == d.get("ledgerIndex"),
          f"after the decision: {full.get('status')} {decisions}")
    r = S.api.get("/customs/submissions", token=officer, query={"status": "released"},
                  expect=200)
    check(s.presentation_id in [x.get("id") for x in js(r).get("submissions", [])],
          "the released queue lists it")
    # The submitter reads its status; nobody else does.
    r = S.api.get(f"/customs/submissions/{quote(s.presentation_id)}/status",
                  token=S.tok["submit-" + s.holder], expect=200)
    st = js(r)
    check(st.get("id") == s.presentation_id and st.get("status") == "released" and
          st.get("decision", {}).get("decision") == "release",
          f"the submitter's status: {st}")
    r = S.api.get(f"/customs/submissions/{quote(s.presentation_id)}/status",
                  token=S.tok["submit-other"])
    problem(r, 404)
    r = S.api.get(f"/customs/submissions/{quote(s.presentation_id)}/status", token=officer)
    problem(r, 403)
    S.shipments[s.tag] = s
    return sub


def test_steel_clean_shipment():
    s = steel_shipment(1, "great-lakes-fabrication", today() + dt.timedelta(days=3))
    s.csv_keys = {"po"}  # the importer sends its purchase order as a CSV row
    sub = clean_workflow(s, 9, ["credential", "identity.parties-registered",
                                "steel.melt-pour-origin", "steel.heat-numbers-match",
                                "steel.sima-covers", "weights.tolerance", "coo.nine-elements",
                                "timing.data-earlier"])
    S.steel_clean = s
    check(sub.get("risk") == 0 or not serious(sub.get("findings", [])),
          f"risk of a clean shipment: {sub.get('risk')}")


def test_crude_oil_clean_shipment():
    s = crude_shipment(1, "yellowstone-refining", today() + dt.timedelta(days=2))
    clean_workflow(s, 6, ["credential", "identity.parties-registered", "oil.api-gravity-hts",
                          "oil.volume-consistency", "coo.nine-elements", "timing.data-earlier"])
    S.crude_clean = s


def test_natural_gas_clean_shipment():
    s = gas_shipment(1, "lakeshore-gas-marketing")
    # A gas month has no arrival: timing.data-earlier does not apply to it.
    clean_workflow(s, 4, ["credential", "identity.parties-registered",
                          "gas.monthly-reconciliation", "coo.nine-elements"])
    S.gas_clean = s


# ---------------------------------------------------------------------------------------------
# 6-13. Planted problems


def planted(s: Shipment, rule, words, credential_keys, allowed=(), credentials=None):
    """Submits the shipment and checks that `rule` fires on `credential_keys` with an explanation
    holding every one of `words`, and that no other rule (but `allowed`) fires at all. Returns
    (the submission as answered, the rule's findings, the submission as the officer opens it)."""
    r = submit(s, credentials)
    if r.status == 201:
        sub = check_receipt(s, js(r))
    else:
        # The answer is wrong; whether the node kept the submission anyway tells the node's
        # authors where the fault is, and the rule checks below still run on what it kept.
        stored = S.api.get("/customs/submissions/" + quote(s.presentation_id),
                           token=S.tok["analyst"])
        check(False, f"the submission is kept and acknowledged with 201: got {r.status} "
                     f"{r.text[:400]}; GET /customs/submissions/{{id}} then answers "
                     f"{stored.status}")
        require(stored.status == 200, "the submission was not stored")
        full = js(stored)
        sub = {"findings": full.get("outcome", {}).get("findings", []),
               "risk": full.get("risk", 0), "credentials": full.get("credentials", [])}
    findings = sub.get("findings", [])
    hits = [f for f in findings if f.get("ruleId") == rule]
    require(hits, f"{rule} fires; findings: {findings_text(findings)}")
    check(all(f.get("severity") in ("warning", "error") for f in hits),
          f"{rule} is a warning or an error: {[f.get('severity') for f in hits]}")
    ids = set(s.ids(*credential_keys))
    involved = [f for f in hits if ids & set(f.get("credentialIds", []))]
    check(involved, f"{rule} names the credential(s) {sorted(ids)}: "
                    f"{[f.get('credentialIds') for f in hits]}")
    text = " ".join(f.get("explanation", "") for f in (involved or hits))
    print(f"      ({rule}: {(involved or hits)[0].get('explanation', '')[:220]})", flush=True)
    for w in words:
        check(w.lower() in text.lower(), f"the explanation of {rule} says {w!r}: {text!r}")
    others = [f for f in findings if f.get("ruleId") not in {rule, *allowed}]
    check(not others, f"no rule but {rule} fires: {findings_text(others)}")
    check(sub.get("risk", 0) > 0, f"a planted problem has a risk: {sub.get('risk')}")
    r = S.api.get("/customs/submissions", token=S.tok["analyst"],
                  query={"minRisk": max(1, sub.get("risk", 1)), "sort": "risk"}, expect=200)
    listed = js(r).get("submissions", [])
    mine = [x for x in listed if x.get("id") == s.presentation_id]
    check(mine and rule in mine[0].get("rules", []),
          f"?minRisk lists it with {rule}: {[(x.get('id'), x.get('rules')) for x in listed]}")
    risks = [x.get("risk", 0) for x in listed]
    check(risks == sorted(risks, reverse=True) and
          all(x >= max(1, sub.get("risk", 1)) for x in risks), f"sorted by risk: {risks}")
    # What the officer opens: the same findings, and the rule not among those that passed.
    r = S.api.get("/customs/submissions/" + quote(s.presentation_id), token=S.tok["analyst"],
                  expect=200)
    full = js(r)
    outcome = full.get("outcome", {})
    check(outcome.get("findings") == findings, "the stored findings are those of the answer")
    base = "credential" if rule.startswith("credential.") else rule
    check(base not in outcome.get("passed", []) and base not in outcome.get("notApplicable", []),
          f"{base} is neither passed nor not applicable: {outcome.get('passed')} "
          f"{outcome.get('notApplicable')}")
    S.shipments[s.tag] = s
    return sub, hits, full


def test_melt_and_pour_mismatch():
    s = steel_shipment(2, "frontera-customs-brokers", today() + dt.timedelta(days=4))
    # The slab was melted and poured in China and rolled in Mexico; the licence and the entry
    # summary declare Mexico.
    mtr = s.subject("mtr")
    for i in mtr["inspections"]:
        i["countryOfMeltAndPour"] = "CN"
    mtr["complianceStatement"] = ("We certify that the material described above was rolled in "
                                  "Mexico from slab melted and poured in China.")
    issue(s)
    # The same rule also points out that CN is on its watch list (a warning under the same id).
    planted(s, "steel.melt-pour-origin", [s.heats[0], "CN", "MX"], ["mtr"])


def test_invoice_edited_after_signing():
    s = steel_shipment(3, "frontera-customs-brokers", today() + dt.timedelta(days=4))
    issue(s)
    # Undervaluation after signing: the amounts change, no weight, number or date does (no rule
    # compares money, so the proof is the only thing that can catch it).
    edited = copy.deepcopy(s.issued["invoice"]["verifiableCredential"])
    edited["credentialSubject"]["itemsShipped"][0]["lineItemTotalPrice"]["value"] = "9455.52"
    edited["credentialSubject"]["invoiceSubtotal"]["value"] = "15683.28"
    edited["credentialSubject"]["totalPaymentDue"]["value"] = "15683.28"
    creds = [edited if k == "invoice" else c["verifiableCredential"] for k, c in s.issued.items()]
    sub, hits, _ = planted(s, "credential.proof",
                           ["commercial invoice", s.issued["invoice"]["id"], "proof"], ["invoice"],
                           credentials=creds)
    summary = {c.get("id"): c for c in sub.get("credentials", [])}
    inv = summary.get(s.issued["invoice"]["id"], {})
    check(inv.get("verified") is False and
          "proof" in [c.get("check") for c in inv.get("failedChecks", [])],
          f"the invoice's summary shows the failed proof: {inv}")
    check(all(c.get("verified") is True for i, c in summary.items()
              if i != s.issued["invoice"]["id"]), "every other credential verifies")


def test_revoked_mill_certificate():
    s = steel_shipment(4, "frontera-customs-brokers", today() + dt.timedelta(days=4))
    issue(s)
    r = S.api.post("/credentials/status",
                   {"credentialId": s.issued["mtr"]["id"],
                    "credentialStatus": [{"type": "BitstringStatusListCredential",
                                          "status": "revoked"}]},
                   token=S.tok["acero-del-norte-issuer"], expect=200)
    check(js(r).get("updates", [{}])[0].get("status") == "revoked", f"revoke: {r.text[:300]}")
    sub, hits, _ = planted(s, "credential.status",
                       ["mill test report", s.issued["mtr"]["id"], "revoked"], ["mtr"])
    mtr = next((c for c in sub.get("credentials", []) if c.get("id") == s.issued["mtr"]["id"]), {})
    check(mtr.get("verified") is False, f"the certificate's summary: {mtr}")


def test_unregistered_issuer():
    s = steel_shipment(5, "frontera-customs-brokers", today() + dt.timedelta(days=4))
    # The trader, never admitted, invoices the mill's steel.
    s.docs["invoice"]["issuer"] = "norte-steel-trading"
    s.subject("invoice")["seller"] = {"type": "Organization",
                                      "id": S.did["norte-steel-trading"],
                                      "name": "Norte Steel Trading S. de R.L. de C.V."}
    issue(s)
    sub, _, _ = planted(s, "identity.parties-registered",
                        [S.did["norte-steel-trading"], "commercial invoice", "not accredited"],
                        ["invoice"])
    inv = next((c for c in sub.get("credentials", [])
                if c.get("id") == s.issued["invoice"]["id"]), {})
    check(inv.get("issuerRegistered") is False, f"issuerRegistered of the invoice: {inv}")
    check(all(c.get("issuerRegistered") is True for c in sub.get("credentials", [])
              if c.get("id") != s.issued["invoice"]["id"]), "every other issuer is registered")


def test_crude_under_25_api_declared_2709_00_20():
    s = crude_shipment(2, "yellowstone-refining", today() + dt.timedelta(days=2))
    # Heavy crude (22.4 degrees API) declared under the light-crude line 2709.00.20: the gravity
    # is changed everywhere it is measured, the classification nowhere.
    for key in ("product", "ticket1", "ticket2"):
        subject = s.subject(key)
        for o in subject["observation"]:
            if o["property"] == "API":
                o["measurement"]["value"] = "22.4"
        subject["product"]["description"] = "Heavy sour crude oil, 22.4 degrees API"
    declared = s.subject("ticket1")["product"]["commodity"]["commodityCode"]
    check(declared.startswith("2709.00.20"), f"the example declares 2709.00.20: {declared}")
    issue(s)
    planted(s, "oil.api-gravity-hts", ["22.4", "2709.00.10", declared], ["ticket1"])


def test_data_sent_late():
    # The goods crossed two days ago; the data arrives now.
    arrival = today() - dt.timedelta(days=2)
    s = steel_shipment(6, "frontera-customs-brokers", arrival)
    issue(s)
    _, _, full = planted(s, "timing.data-earlier", ["after the goods arrived", arrival.isoformat()],
                         ["bol"])
    lead = full.get("leadTimeHours")
    check(isinstance(lead, (int, float)) and lead < 0 and
          str(full.get("arrivalAt", "")).startswith(arrival.isoformat()),
          f"a negative lead time: {lead} hours, arrival {full.get('arrivalAt')}")


def test_heat_numbers_not_matching():
    s = steel_shipment(7, "frontera-customs-brokers", today() + dt.timedelta(days=4))
    # The invoice's second line names a heat no certificate of the shipment covers.
    foreign = f"H26-59931-{s.tag}"
    line = s.subject("invoice")["itemsShipped"][1]
    line["heatNumbers"] = [foreign]
    line["description"] = line["description"].replace(s.heats[1], foreign)
    issue(s)
    planted(s, "steel.heat-numbers-match", [foreign, "no mill certificate"], ["invoice"])


def test_gas_aggregate_not_sum_of_deliveries():
    s = gas_shipment(2, "lakeshore-gas-marketing")
    agg = s.subject("aggregate")
    total = sum(int(i["deliveredVolume"]["value"]) for i in agg["itemsDelivered"])
    check(agg["aggregateVolume"]["value"] == str(total),
          f"the example's aggregate is the sum of its deliveries: {agg['aggregateVolume']} {total}")
    # 3% more than delivered: past the 0.5% reconciliation tolerance, within the 10% the advance
    # manifest may differ by, far below the authorization's volume limit.
    wrong = str(total * 103 // 100)
    agg["aggregateVolume"]["value"] = wrong
    issue(s)
    planted(s, "gas.monthly-reconciliation", [agg["statementNumber"], wrong, str(total)],
            ["aggregate"])


# ---------------------------------------------------------------------------------------------
# 14. Provenance


def test_trace():
    officer = S.tok["analyst"]
    steel = S.steel_clean
    r = S.api.get("/customs/trace", token=officer,
                  query={"submission": steel.presentation_id}, expect=200)
    t = js(r)
    mtr_id = steel.issued["mtr"]["id"]
    origins = t.get("origins", [])
    check(any(o.get("credential") == mtr_id and o.get("type") == MTR and
              o.get("kind") == "heat" and o.get("value") == steel.heats[0] for o in origins),
          f"trace-back reaches the mill certificate by its heat {steel.heats[0]}: {origins}")
    nodes = {n.get("id") for n in t.get("nodes", [])}
    check(set(steel.ids(*steel.issued)) <= nodes,
          f"every credential of the submission is a node: {sorted(nodes)}")
    check(t.get("truncated") is False, f"not truncated: {t.get('truncated')}")
    # Forward from the heat: the certificate, the documents that carry the heat, the submission.
    r = S.api.get("/customs/trace", token=officer,
                  query={"kind": "heat", "value": steel.heats[0]}, expect=200)
    t = js(r)
    creds = {c.get("id"): c for c in t.get("credentials", [])}
    subs = [x.get("id") for x in t.get("submissions", [])]
    check(t.get("identifier") == {"kind": "heat", "value": steel.heats[0]},
          f"identifier {t.get('identifier')}")
    check(set(steel.ids("mtr", "invoice", "packing", "bol")) <= set(creds),
          f"trace-forward from the heat reaches the certificate, invoice, packing list and bill "
          f"of lading: {[(c.get('type'), c.get('depth')) for c in creds.values()]}")
    check(steel.presentation_id in subs, f"...and the submission: {subs}")
    other_steel = [x.presentation_id for x in S.shipments.values()
                   if x.workflow == "steel" and x is not steel]
    check(not set(other_steel) & set(subs),
          f"...and no submission of other heats: {set(other_steel) & set(subs)}")
    # Forward from the crude batch reaches the well's product credential.
    crude = S.crude_clean
    r = S.api.get("/customs/trace", token=officer,
                  query={"kind": "batch", "value": crude.batch}, expect=200)
    t = js(r)
    creds = {c.get("id"): c for c in t.get("credentials", [])}
    product = creds.get(crude.issued["product"]["id"], {})
    check(product.get("type") == PRODUCT and
          product.get("issuer") == S.did["prairie-ridge-energy"],
          f"trace-forward from batch {crude.batch} reaches the OilAndGasProduct: "
          f"{[(c.get('type'), c.get('id')) for c in creds.values()]}")
    check(set(crude.ids("ticket1", "ticket2")) <= set(creds), "...and the tickets of the batch")
    check(crude.presentation_id in [x.get("id") for x in t.get("submissions", [])],
          f"...and the submission: {t.get('submissions')}")
    # Back from the crude submission to the well.
    r = S.api.get("/customs/trace", token=officer,
                  query={"submission": crude.presentation_id}, expect=200)
    origins = js(r).get("origins", [])
    check(any(o.get("credential") == crude.issued["product"]["id"] and o.get("kind") == "well" and
              o.get("value") == crude.uwi for o in origins),
          f"trace-back from the crude submission reaches the well {crude.uwi}: {origins}")
    # Tracing what nobody carries, and asking wrongly.
    r = S.api.get("/customs/trace", token=officer,
                  query={"kind": "heat", "value": "H00-NOBODY"}, expect=200)
    check(js(r).get("credentials") == [] and js(r).get("submissions") == [],
          f"an unknown heat: {r.text[:300]}")
    r = S.api.get("/customs/trace", token=officer,
                  query={"submission": f"urn:uuid:{uuid.uuid4()}"})
    problem(r, 404)
    r = S.api.get("/customs/trace", token=officer, query={"kind": "colour", "value": "red"})
    check("kind" in problem(r, 400).get("detail", ""), f"an unknown kind: {r.text[:300]}")
    r = S.api.get("/customs/trace", token=officer)
    problem(r, 400)
    r = S.api.get("/customs/trace", token=S.tok["importer-reader"],
                  query={"kind": "heat", "value": steel.heats[0]})
    problem(r, 403)


# ---------------------------------------------------------------------------------------------
# 15. Bad input


def test_bad_input():
    officer = S.tok["officer"]
    # A decision the API does not know: refused, nothing recorded, nothing anchored.
    target = S.shipments.get("S02") or next(iter(S.shipments.values()), None)
    require(target is not None, "a submission to decide on (the workflow tests made none)")
    path = "/customs/submissions/" + quote(target.presentation_id)
    before = js(S.api.get(path, token=officer, expect=200))
    size = ledger_size()
    r = S.api.post(path + "/decision", {"decision": "approve", "reason": "looks fine"},
                   token=officer, check_request=False)
    check("decision" in problem(r, 400).get("detail", ""), f"unknown decision: {r.text[:300]}")
    r = S.api.post(path + "/decision", {"decision": "hold"}, token=officer,
                   check_request=False)
    problem(r, 400)
    r = S.api.post(path + "/decision", {"decision": "hold", "reason": "x"},
                   token=S.tok["analyst"])
    problem(r, 403)
    r = S.api.post(f"/customs/submissions/{quote(f'urn:uuid:{uuid.uuid4()}')}/decision",
                   {"decision": "hold", "reason": "x"}, token=officer)
    problem(r, 404)
    after = js(S.api.get(path, token=officer, expect=200))
    check(after.get("status") == before.get("status") and
          after.get("decisions") == before.get("decisions") and
          after.get("updatedAt") == before.get("updatedAt"),
          f"refused decisions change nothing: {before.get('status')} -> {after.get('status')}, "
          f"{len(before.get('decisions', []))} -> {len(after.get('decisions', []))} decisions")
    check(ledger_size() == size, f"refused decisions anchor nothing ({size} -> {ledger_size()})")
    # One invalid document among valid ones: the whole batch is refused, by index and pointer.
    s = steel_shipment(90, "great-lakes-fabrication", today() + dt.timedelta(days=5))
    good = {**s.docs["po"]["doc"],
            "validFrom": rfc3339(dt.datetime.now(dt.timezone.utc))}
    bad = copy.deepcopy(good)
    bad["credentialSubject"]["orderDate"] = "5 October"
    size = ledger_size()
    cp = checkpoint_size(at_least=size)
    r = S.api.post("/documents/issue",
                   {"type": PO, "documents": [good, copy.deepcopy(good), bad, good],
                    "options": {"securing": SECURING}},
                   token=S.tok["great-lakes-fabrication-issuer"])
    refusal = problem(r, 400)
    errors = refusal.get("errors", [])
    check(any(e.get("document") == 2 and e.get("pointer") == "/credentialSubject/orderDate"
              for e in errors),
          f"the refusal names document 2 and /credentialSubject/orderDate: {refusal!r}")
    check(all(e.get("document") == 2 for e in errors), f"only the bad document is named: {errors}")
    check("nothing was issued" in refusal.get("detail", ""), f"the sentence says so: {refusal!r}")
    check(ledger_size() == size, f"nothing was issued: ledger {size} -> {ledger_size()}")
    time.sleep(1.5)  # a checkpoint a second later covers no new entry either
    check(checkpoint_size() == cp, f"the checkpoint did not grow: {cp} -> {checkpoint_size()}")
    # An unknown type; a CSV with a cell that is not of its column's type; CSV without a type.
    r = S.api.post("/documents/issue", {"type": "BananaCredential", "documents": [good]},
                   token=S.tok["great-lakes-fabrication-issuer"])
    check("BananaCredential" in problem(r, 404).get("detail", ""), f"unknown type: {r.text[:300]}")
    subject = good["credentialSubject"]
    rows = ["purchaseOrderNumber,orderDate,buyer/name,seller/name,itemsOrdered/0/description,"
            "itemsOrdered/0/lineNumber:int",
            f"{subject['purchaseOrderNumber']}-A,{subject['orderDate']},Buyer,Seller,Plate,1",
            f"{subject['purchaseOrderNumber']}-B,{subject['orderDate']},Buyer,Seller,Plate,one"]
    size = ledger_size()
    r = S.api.call("POST", "/documents/issue", data="\r\n".join(rows) + "\r\n",
                   content_type="text/csv", query={"type": PO, "securing": SECURING},
                   token=S.tok["great-lakes-fabrication-issuer"])
    detail = problem(r, 400).get("detail", "")
    check("lineNumber" in detail and "one" in detail,
          f"the bad cell's column and value are named: {detail!r}")
    r = S.api.call("POST", "/documents/issue", data='purchaseOrderNumber,orderDate\r\n"PO-1,x\r\n',
                   content_type="text/csv", query={"type": PO},
                   token=S.tok["great-lakes-fabrication-issuer"])
    problem(r, 400)
    r = S.api.call("POST", "/documents/issue", data=subject_csv(subject), content_type="text/csv",
                   token=S.tok["great-lakes-fabrication-issuer"])
    check("type" in problem(r, 400).get("detail", ""), f"CSV without ?type: {r.text[:300]}")
    check(ledger_size() == size, f"refused CSV issues nothing: {size} -> {ledger_size()}")
    # Issuing takes create:credential.
    r = S.api.post("/documents/issue", {"type": PO, "documents": [good]},
                   token=S.tok["officer"])
    problem(r, 403)
    # The queue is the customs organization's: another organization's client is refused even
    # with the scopes, and the queue's parameters are checked.
    for p in ("/customs/submissions",
              "/customs/submissions/" + quote(target.presentation_id)):
        r = S.api.get(p, token=S.tok["importer-reader"])
        problem(r, 403)
    r = S.api.post(f"/customs/submissions/{quote(target.presentation_id)}/decision",
                   {"decision": "release", "reason": "self-release"},
                   token=S.tok["importer-reader"])
    problem(r, 403)
    r = S.api.get("/customs/submissions", token=S.tok["submit-other"])
    problem(r, 403)
    r = S.api.get("/customs/submissions", token=officer, query={"sort": "colour"},
                  check_request=False)
    problem(r, 400)
    r = S.api.get("/customs/submissions", token=officer, query={"minRisk": "high"},
                  check_request=False)
    problem(r, 400)
    r = S.api.get("/customs/submissions/" + quote(f"urn:uuid:{uuid.uuid4()}"), token=officer)
    problem(r, 404)
    r = S.api.get("/customs/submissions", expect=None)
    problem(r, 401)


# ---------------------------------------------------------------------------------------------


TESTS = [
    test_network_setup,
    test_issue_documents_from_data,
    test_steel_clean_shipment,
    test_crude_oil_clean_shipment,
    test_natural_gas_clean_shipment,
    test_melt_and_pour_mismatch,
    test_invoice_edited_after_signing,
    test_revoked_mill_certificate,
    test_unregistered_issuer,
    test_crude_under_25_api_declared_2709_00_20,
    test_data_sent_late,
    test_heat_numbers_not_matching,
    test_gas_aggregate_not_sum_of_deliveries,
    test_trace,
    test_bad_input,
]
# What a test needs from earlier ones (it is not run when one of them failed to provide it).
NEEDS = {"test_trace": ("steel_clean", "crude_clean")}


def main():
    if not TRACEPORT or not os.access(TRACEPORT, os.X_OK):
        print("usage: customs_e2e_test.py TRACEPORT", file=sys.stderr)
        return 2
    tmp = tempfile.mkdtemp(prefix="traceport-customs-e2e-")
    S.node = NodeProcess(tmp, "node")
    started = time.monotonic()
    try:
        S.node.start()
        S.api = Api(S.node.base)
        for number, fn in enumerate(TESTS, 1):
            missing = [a for a in NEEDS.get(fn.__name__, ()) if not hasattr(S, a)]
            if number > 1 and (S.api.validator is None or not hasattr(S, "did")):
                missing.append("the network")
            if missing:
                R.failed += 1
                R.failed_names.append(fn.__name__)
                print(f"FAIL {number:2d} {fn.__name__}: not run (missing {', '.join(missing)})",
                      flush=True)
                continue
            run_test(number, fn)
    finally:
        if R.crashed or R.failed:
            print("--- node log (last lines) ---\n" + S.node.log_tail(15), end="")
        S.node.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    unexercised = sorted(CUSTOMS_OPERATIONS & set(S.api.validator.unexercised())) \
        if S.api.validator else sorted(CUSTOMS_OPERATIONS)
    if unexercised:
        print(f"FAIL customs operations never exercised: {', '.join(unexercised)}")
    if R.doc_mismatches:
        print("responses the OpenAPI document does not describe:")
        for msg, where in R.doc_mismatches.items():
            print(f"  [{where.strip()}] {msg}")
    print(f"customs e2e: {R.passed} passed, {R.failed} failed "
          f"({time.monotonic() - started:.0f} s)")
    return 1 if R.failed or unexercised else 0


if __name__ == "__main__":
    sys.exit(main())
