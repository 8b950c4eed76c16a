#!/usr/bin/env python3
"""The portal's server side over HTTP, against the demo network (`traceport demo`): the built
assets and their headers, sign-in and sessions for each role (cookie flags, CSRF, idle logout,
logout everywhere, password-guessing limits), role and tenant checks on the routes the portal
uses, the importer's shipments, the wallet the importer submits from, and the public verify
page's route.

Every request is checked against the /openapi.json the node serves before it is sent and every
response after it arrives (tests/node/openapi_validate.py).

One line per test, failures indented under it, then `portal api: N passed, M failed`. Exit
status 0 only when every test passed.

Usage: portal_api_test.py TRACEPORT
"""
from __future__ import annotations

import copy
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_client import ApiClient, Reply  # noqa: E402

TRACEPORT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else ""
PORTAL_OPERATIONS = {"portalLogin", "portalSession", "portalLogout", "portalLogoutEverywhere",
                     "portalShipments", "portalVerify", "portalCredentials", "portalCheck", "ledgerLogKey",
                     "holdCredential", "heldCredentials", "dropHeldCredential",
                     "customsOrganizations", "submitHeld"}


class Demo:
    """`traceport demo` serving on a free loopback port, with its logins."""

    def __init__(self, tmp: str):
        self.data = os.path.join(tmp, "demo")
        self.log_path = os.path.join(tmp, "demo.log")
        self.proc = None
        self.logins: dict = {}
        self.base = ""

    def start(self) -> None:
        with open(self.log_path, "w") as log:
            self.proc = subprocess.Popen(
                [TRACEPORT, "demo", "--data", self.data, "--listen", "127.0.0.1:0",
                 "--shipments", "12"],
                stdout=log, stderr=subprocess.STDOUT, text=True)
        path = os.path.join(self.data, "demo-logins.json")
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the demo exited with {self.proc.returncode}:\n{self.tail()}")
            if os.path.exists(path):
                try:
                    with open(path) as f:
                        self.logins = json.load(f)
                    break
                except ValueError:
                    pass  # still being written
            time.sleep(0.2)
        else:
            raise RuntimeError("the demo did not come up in 180 s:\n" + self.tail())
        self.base = self.logins["node"]

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def tail(self, n: int = 20) -> str:
        try:
            with open(self.log_path) as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    @property
    def admin(self) -> dict:
        with open(os.path.join(self.data, "admin-client.json")) as f:
            return json.load(f)

    def person(self, role: str) -> dict:
        return next(p for p in self.logins["portalLogins"] if p["role"] == role)


class Browser:
    """A client that keeps the session cookie and the CSRF token, as the portal's page does."""

    def __init__(self, api: ApiClient):
        self.api = api
        self.cookie = ""
        self.csrf = ""

    def login(self, person: dict, password: str | None = None, expect=200) -> Reply:
        r = self.api.post("/portal/api/login", json={
            "organization": person["organization"], "username": person["username"],
            "password": person["password"] if password is None else password}, expect=expect)
        if r.status == 200:
            set_cookie = r.headers.get("Set-Cookie", "")
            self.cookie = set_cookie.split(";", 1)[0]
            self.csrf = r.json()["csrfToken"]
        return r

    def headers(self, change: bool, csrf: bool = True) -> dict:
        h = {"Cookie": self.cookie} if self.cookie else {}
        if change and csrf:
            h["X-CSRF-Token"] = self.csrf
        return h

    def get(self, path: str, **kw) -> Reply:
        return self.api.get(path, headers=self.headers(False), **kw)

    def post(self, path: str, csrf: bool = True, **kw) -> Reply:
        return self.api.post(path, headers=self.headers(True, csrf), **kw)

    def delete(self, path: str, csrf: bool = True, **kw) -> Reply:
        return self.api.delete(path, headers=self.headers(True, csrf), **kw)


class Run:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.errors: list[str] = []

    def check(self, cond, what: str) -> None:
        if not cond:
            self.errors.append(what)


R = Run()
D: Demo
API: ApiClient


def test_assets_and_headers():
    # The page and its files are not API operations: fetched without the document's checks.
    plain = ApiClient(D.base)
    r = plain.get("/", expect=302)
    R.check(r.headers.get("Location") == "/portal", f"/ redirects to {r.headers.get('Location')}")
    slash = plain.get("/portal/", expect=308)
    R.check(slash.headers.get("Location") == "/portal", "/portal/ redirects to /portal")
    page = plain.get("/portal", expect=200)
    R.check(page.content_type.startswith("text/html"), f"page type {page.content_type}")
    csp = page.headers.get("Content-Security-Policy", "")
    R.check("script-src 'self'" in csp and "frame-ancestors 'none'" in csp, f"CSP: {csp}")
    R.check(page.headers.get("X-Content-Type-Options") == "nosniff", "nosniff")
    text = page.body.decode()
    R.check("/portal/app.js" in text and "/portal/app.css" in text,
            "the page loads /portal/app.js and /portal/app.css")
    R.check("http://" not in text and "https://" not in text, "the page names no other origin")
    for name, kind in (("app.js", "text/javascript"), ("app.css", "text/css")):
        a = plain.get("/portal/" + name, expect=200)
        R.check(a.content_type.startswith(kind), f"{name}: {a.content_type}")
        R.check(len(a.body) > 100, f"{name} has {len(a.body)} bytes")
        etag = a.headers.get("ETag")
        again = plain.get("/portal/" + name, headers={"If-None-Match": etag}, expect=304)
        R.check(not again.body, f"{name}: a 304 has no body")


def test_the_log_key_is_published():
    # The ledger explorer checks receipts in the browser against this key.
    vkey = API.get("/ledger/log.vkey", expect=200).body.decode().strip()
    parts = vkey.split("+", 2)  # name+hash+key; the base64 key may itself contain "+"
    R.check(len(parts) == 3 and len(parts[1]) == 8, f"vkey form name+hash+key: {vkey!r}")
    checkpoint = API.get("/checkpoint", expect=200).body.decode()
    R.check(checkpoint.startswith(parts[0] + "\n"), "the key is named after the log's origin")


def test_sign_in_for_each_role():
    roles = {p["role"] for p in D.logins["portalLogins"]}
    R.check(roles == {"officer", "importer", "issuer", "registry-admin", "auditor"},
            f"the demo prints one login per role, got {sorted(roles)}")
    for person in D.logins["portalLogins"]:
        b = Browser(API)
        r = b.login(person)
        body = r.json()
        R.check(body["user"]["role"] == person["role"], f"{person['role']}: role {body['user']}")
        cookie = r.headers.get("Set-Cookie", "")
        R.check("HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie,
                f"cookie flags: {cookie}")
        R.check("Secure" not in cookie, "no Secure flag on plain loopback HTTP")
        R.check(r.headers.get("Cache-Control") == "no-store", "login answer is not cached")
        s = b.get("/portal/api/session", expect=200)
        R.check(s.json()["user"]["username"] == person["username"], "session names the user")
        R.check(s.json()["csrfToken"] == b.csrf, "the session keeps its CSRF token")
    R.check(API.get("/portal/api/session", expect=401).status == 401, "no cookie: 401")
    stale = API.get("/portal/api/session", headers={"Cookie": "tp_session=forged"}, expect=401)
    R.check("session" in stale.json().get("detail", ""), f"forged cookie: {stale.json()}")


def test_wrong_passwords_are_answered_alike_and_limited():
    # Last of the tests: it spends the officer account's sign-in budget.
    officer = D.person("officer")
    b = Browser(API)
    wrong = b.login(officer, password="not the password", expect=401).json()["detail"]
    nobody = b.login({**officer, "username": "nobody"}, expect=401).json()["detail"]
    R.check(wrong == nobody, f"unknown user and wrong password differ: {wrong!r} / {nobody!r}")
    R.check("password" in wrong, f"the sentence names the problem: {wrong!r}")
    # The account's budget: a burst of ten attempts (one already spent above), then 429.
    statuses = [b.login(officer, password=f"guess {i}", expect=(401, 429)).status
                for i in range(12)]
    R.check(429 in statuses, f"password guessing is limited: {statuses}")
    limited = b.login(officer, password="guess again", expect=429)
    R.check(int(limited.headers.get("Retry-After", "0")) >= 1, "429 carries Retry-After")
    # Even the right password waits: the limit is per account, not per wrong answer.
    b.login(officer, expect=429)


def test_csrf_and_roles_on_the_customs_routes():
    officer = Browser(API)
    officer.login(D.person("officer"))
    queue = officer.get("/customs/submissions", expect=200).json()["submissions"]
    R.check(len(queue) >= 1, "the officer sees the queue")
    mine = {s["holder"] for s in queue}
    importer_person = D.person("importer")
    target = next((s for s in queue if s["holder"].endswith(":" + importer_person["organization"])),
                  None)
    if target is None:
        raise AssertionError(f"no submission from {importer_person['organization']}: {mine}")
    path = f"/customs/submissions/{target['id']}/decision"
    decision = {"decision": "hold", "reason": "heat numbers do not match the invoice"}
    no_csrf = officer.post(path, csrf=False, json=decision, expect=403)
    R.check("CSRF" in no_csrf.json()["detail"], f"403 names the CSRF token: {no_csrf.json()}")
    bad = dict(officer.headers(True))
    bad["X-CSRF-Token"] = "0" * 43
    API.post(path, headers=bad, json=decision, expect=403)
    officer.post(path, json=decision, expect=201)
    shown = officer.get(f"/customs/submissions/{target['id']}", expect=200).json()
    R.check(shown["status"] == "held", f"status after hold: {shown['status']}")

    auditor = Browser(API)
    auditor.login(D.person("auditor"))
    auditor.get("/customs/submissions", expect=200)
    denied = auditor.post(path, json={"decision": "release", "reason": "x"}, expect=403)
    R.check("auditor" in denied.json()["detail"], f"403 names the role: {denied.json()}")

    importer = Browser(API)
    importer.login(importer_person)
    importer.get("/customs/submissions", expect=403)
    importer.get(f"/customs/submissions/{target['id']}", expect=403)
    ships = importer.get("/portal/api/shipments", expect=200).json()["items"]
    R.check(ships, "the importer sees its shipments")
    held = next((s for s in ships if s["id"] == target["id"]), None)
    R.check(held is not None and held["decision"] and held["decision"]["decision"] == "hold"
            and held["decision"]["reason"] == decision["reason"],
            f"the importer sees the hold: {held}")
    R.check(all(s["id"] in {q["id"] for q in queue if q["holder"] == target["holder"]}
                for s in ships), "the importer sees only its own organization's shipments")

    issuer = Browser(API)
    issuer.login(D.person("issuer"))
    issuer.get("/portal/api/shipments", expect=403)
    issuer.get("/customs/submissions", expect=403)
    registry = Browser(API)
    registry.login(D.person("registry-admin"))
    registry.get("/customs/submissions", expect=403)


def test_public_verify_page_route():
    issuer = Browser(API)
    issuer.login(D.person("issuer"))
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "urn:example:portal-test",
                              "note": "<script>alert(1)</script>"},
    }
    # A type the registry admitted the issuer for, so that every check can pass.
    first = issuer.post("/credentials/issue", json={
        "credential": credential, "options": {"securing": "eddsa-jcs-2022"}}, expect=201)
    did = first.json()["verifiableCredential"]["issuer"]
    did = did["id"] if isinstance(did, dict) else did
    entry = API.get("/registry/entries/" + did, expect=200).json()
    credential["@context"].append("https://w3id.org/traceability/v1")
    credential["type"].append(entry["credentialTypes"][0])
    issued = issuer.post("/credentials/issue", json={
        "credential": credential, "options": {"securing": "eddsa-jcs-2022"}}, expect=201)
    vc = issued.json()["verifiableCredential"]
    listed = issuer.get("/portal/api/credentials", expect=200).json()["items"]
    R.check(listed and listed[0]["id"] == vc["id"] and entry["credentialTypes"][0]
            in listed[0]["types"], f"the issuer's list starts with the new credential: {listed[:1]}")
    R.check(listed[0]["status"] == "active", f"a new credential is active: {listed[0]}")
    issuer.post("/credentials/status", json={
        "credentialId": first.json()["verifiableCredential"]["id"],
        "credentialStatus": [{"type": "BitstringStatusListCredential", "status": "suspended"}]},
        expect=200)
    after = {c["id"]: c["status"] for c in
             issuer.get("/portal/api/credentials", expect=200).json()["items"]}
    R.check(after[first.json()["verifiableCredential"]["id"]] == "suspended",
            "the list shows a suspension")
    officer = Browser(API)
    officer.login(D.person("officer"))
    officer.get("/portal/api/credentials", expect=403)
    ok = API.post("/portal/api/verify", json={"credential": vc}, expect=200).json()
    R.check(ok["verified"] is True, f"the issued credential verifies publicly: {ok}")
    # The QR code on a printed copy: the stored credential's summary and report, publicly.
    quoted = urllib.parse.quote(vc["id"], safe=":")
    check = API.get("/portal/api/check/" + quoted, expect=200).json()
    R.check(check["report"]["verified"] is True and check["issuer"] == did
            and "credentialSubject" not in json.dumps(check),
            f"check by id: verified, names the issuer, does not show the contents: {check}")
    missing = API.get("/portal/api/check/urn:uuid:00000000-0000-4000-8000-000000000000",
                      expect=404).json()
    R.check("has not issued" in missing["detail"], f"unknown id: {missing}")
    tampered = copy.deepcopy(vc)
    tampered["credentialSubject"]["note"] = "changed"
    bad = API.post("/portal/api/verify", json={"credential": tampered}, expect=200).json()
    R.check(bad["verified"] is False, "a tampered credential does not")
    API.post("/portal/api/verify", json={"nothing": 1}, expect=400, check_request=False)
    API.post("/portal/api/verify", data="{", content_type="application/json", expect=400,
             check_request=False)


def test_logout_and_logout_everywhere():
    person = D.person("auditor")
    laptop, phone = Browser(API), Browser(API)
    laptop.login(person)
    phone.login(person)
    laptop.post("/portal/api/logout", csrf=False, expect=403)
    r = laptop.post("/portal/api/logout", expect=204)
    R.check("Max-Age=0" in r.headers.get("Set-Cookie", ""), "logout clears the cookie")
    laptop.get("/portal/api/session", expect=401)
    laptop.get("/customs/submissions", expect=401)
    phone.get("/portal/api/session", expect=200)
    tablet = Browser(API)
    tablet.login(person)
    tablet.post("/portal/api/logout-everywhere", expect=204)
    phone.get("/portal/api/session", expect=401)
    tablet.get("/portal/api/session", expect=401)


def test_bearer_tokens_still_work_beside_cookies():
    login = next(x for x in D.logins["logins"] if "customs" in x["role"].split(","))
    tok = API.post("/oauth/token", json={"grant_type": "client_credentials",
                                         "client_id": login["client_id"],
                                         "client_secret": login["client_secret"]},
                   expect=200).json()["access_token"]
    # A request with a bearer token is the client's, whatever cookie rides along.
    importer = Browser(API)
    importer.login(D.person("importer"))
    r = API.get("/customs/submissions", headers={"Authorization": f"Bearer {tok}",
                                                 "Cookie": importer.cookie}, expect=200)
    R.check(r.json()["submissions"], "the customs client reads the queue")


def token(client: dict) -> str:
    """An access token for a demo or admin client (client credentials)."""
    return API.post("/oauth/token", json={"grant_type": "client_credentials",
                                          "client_id": client["client_id"],
                                          "client_secret": client["client_secret"]},
                    expect=200).json()["access_token"]


def test_wallet_pick_and_submit():
    """The importer's wallet holds the shipment the demo left unsubmitted; picking its
    credentials and submitting them puts a signed presentation in customs' queue."""
    importer_person = D.person("importer")
    imp = Browser(API)
    imp.login(importer_person)
    held = imp.get("/wallet/credentials", expect=200).json()["items"]
    waiting = [c for c in held if not c.get("submittedIn")]
    pending = D.logins.get("pending") or []
    R.check(len(pending) == 1 and pending[0]["holder"] == importer_person["organization"],
            f"the demo leaves one shipment in the importer's wallet: {pending}")
    want = pending[0]["documents"] if pending else 0
    R.check(len(waiting) == want, f"{len(waiting)} unsubmitted credentials, expected {want}")
    R.check(all(c["verified"] for c in waiting), "the waiting credentials verify")
    R.check(any(c.get("submittedIn") for c in held), "the demo's submissions came from the wallet")
    places = imp.get("/wallet/destinations", expect=200).json()["items"]
    R.check([p["slug"] for p in places] == ["cbp"], f"customs organizations: {places}")

    # Bad input changes nothing.
    body = {"customs": "cbp", "credentials": [c["digest"] for c in waiting],
            "workflow": {"definition": ["https://traceport.dev/workflows/crude-oil-import/v1"]}}
    no_csrf = imp.post("/wallet/submissions", csrf=False, json=body, expect=403)
    R.check("CSRF" in no_csrf.json()["detail"], "a submission without the CSRF token is refused")
    not_customs = dict(body, customs=importer_person["organization"])
    r = imp.post("/wallet/submissions", json=not_customs, expect=400)
    R.check("not a customs organization" in r.json()["detail"], f"names the problem: {r.json()}")
    r = imp.post("/wallet/submissions", json=dict(body, credentials=["sha256:" + "0" * 64]),
                 expect=404)
    R.check("holds no credential" in r.json()["detail"], f"names the problem: {r.json()}")
    twice = dict(body, credentials=[waiting[0]["digest"]] * 2)
    r = imp.post("/wallet/submissions", json=twice, expect=400)
    R.check("twice" in r.json()["detail"], f"names the problem: {r.json()}")
    imp.post("/wallet/submissions", json=dict(body, credentials=[]), expect=400,
             check_request=False)
    still = imp.get("/wallet/credentials", expect=200).json()["items"]
    R.check(sum(1 for c in still if not c.get("submittedIn")) == want,
            "refused submissions marked nothing as submitted")

    # Roles without the wallet's scopes are refused; another organization's client that has
    # them sees and touches only its own wallet.
    issuer = Browser(API)
    issuer.login(D.person("issuer"))
    issuer.get("/wallet/credentials", expect=403)
    officer = Browser(API)
    officer.login(D.person("officer"))
    officer.post("/wallet/submissions", json=body, expect=403)
    other = next(x for x in D.logins["logins"]
                 if x["org"] != importer_person["organization"] and "read:wallet" in x["scopes"]
                 and "write:wallet" in x["scopes"] and "create:presentation" in x["scopes"])
    tok = token(other)
    auth = {"Authorization": f"Bearer {tok}"}
    theirs = API.get("/wallet/credentials", headers=auth, expect=200).json()["items"]
    R.check(not {c["digest"] for c in theirs} & {c["digest"] for c in held},
            f"{other['org']} sees none of {importer_person['organization']}'s credentials")
    digest_path = urllib.parse.quote(waiting[0]["digest"], safe=":")
    API.delete(f"/wallet/credentials/{digest_path}", headers=auth, expect=404)
    API.post("/wallet/submissions", headers=auth, json=body, expect=404)
    # Signing alone (create:presentation) does not open the wallet.
    signer = API.post(f"/admin/organizations/{importer_person['organization']}/clients",
                      headers={"Authorization": f"Bearer {token(D.admin)}"},
                      json={"name": "signer only", "scopes": ["create:presentation"]},
                      expect=201).json()
    r = API.post("/wallet/submissions", headers={"Authorization": f"Bearer {token(signer)}"},
                 json=body, expect=403)
    R.check("read:wallet" in r.json()["detail"], f"403 names the missing scope: {r.json()}")

    answer = imp.post("/wallet/submissions", json=body, expect=201).json()
    sub = answer.get("submission", {})
    R.check(answer["verified"] is True, f"the submission verifies: {answer.get('report')}")
    R.check(not [f for f in sub.get("findings", []) if f.get("severity") == "error"],
            f"the clean shipment raises no error finding: {sub.get('findings')}")
    R.check(isinstance(answer.get("ledgerIndex"), int), "acknowledged with a ledger index")
    after = imp.get("/wallet/credentials", expect=200).json()["items"]
    marked = {c["digest"] for c in after if c.get("submittedIn") == answer["id"]}
    R.check(marked == set(body["credentials"]), "the picked credentials are marked submitted")
    ships = imp.get("/portal/api/shipments", expect=200).json()["items"]
    R.check(any(s["id"] == answer["id"] and s["status"] == "received" for s in ships),
            "the importer sees the new shipment awaiting a decision")
    queue = officer.get("/customs/submissions?sort=received", expect=200).json()["submissions"]
    R.check(any(q["id"] == answer["id"] for q in queue), "the officer sees it in the queue")
    imp.post("/wallet/submissions", json=dict(body, id=answer["id"]), expect=409)

    # Intake: a credential received another way, once; hostile input refused; drop.
    vc = officer.get(f"/presentations/{answer['id']}", expect=200).json()
    enclosed = vc.get("verifiablePresentation", {}).get("verifiableCredential", [])
    R.check(len(enclosed) == want, f"customs stored {len(enclosed)} credentials")
    if enclosed:
        again = imp.post("/wallet/credentials", json={"credential": enclosed[0]}, expect=200).json()
        R.check(again["new"] is False, "the same credential is held once")
        R.check(again["checkedAt"] >= answer["receivedAt"], "adding it again runs the checks again")
        edited = copy.deepcopy(enclosed[0])
        edited["credentialSubject"]["note"] = "<script>alert(1)</script>"
        added = imp.post("/wallet/credentials", json={"credential": edited,
                                                      "receivedFrom": "email"}, expect=201).json()
        proof = [c for c in added["report"]["checks"] if c["name"] == "proof"]
        R.check(added["verified"] is False and added["failure"] and proof
                and proof[0]["status"] == "fail",
                f"an edited credential is kept with its failure named: {added.get('failure')}")
        imp.delete(f"/wallet/credentials/{urllib.parse.quote(added['digest'], safe=':')}",
                   expect=204)
        imp.delete(f"/wallet/credentials/{urllib.parse.quote(added['digest'], safe=':')}",
                   expect=404)
    r = imp.post("/wallet/credentials", json={"credential": {"type": ["Nope"]}}, expect=400)
    R.check("VerifiableCredential" in r.json()["detail"], f"names the problem: {r.json()}")
    imp.post("/wallet/credentials", json={"credential": "not.a.jwt"}, expect=400)


TESTS = [test_assets_and_headers, test_the_log_key_is_published, test_sign_in_for_each_role,
         test_csrf_and_roles_on_the_customs_routes, test_public_verify_page_route,
         test_logout_and_logout_everywhere, test_bearer_tokens_still_work_beside_cookies,
         test_wallet_pick_and_submit, test_wrong_passwords_are_answered_alike_and_limited]


def main() -> int:
    global D, API
    if not TRACEPORT or not os.access(TRACEPORT, os.X_OK):
        print("usage: portal_api_test.py TRACEPORT", file=sys.stderr)
        return 2
    tmp = tempfile.mkdtemp(prefix="traceport-portal-api-")
    started = time.monotonic()
    D = Demo(tmp)
    try:
        D.start()
        API = ApiClient(D.base)
        API.load_openapi()
        for number, fn in enumerate(TESTS, 1):
            R.errors = []
            try:
                fn()
            except AssertionError as e:
                R.errors.append(str(e))
            except Exception:  # noqa: BLE001 - a crash is a failure with its traceback
                R.errors.append(traceback.format_exc())
            if R.errors:
                R.failed += 1
                print(f"FAIL {number:2d} {fn.__name__}", flush=True)
                for e in R.errors:
                    print("     " + e.replace("\n", "\n     "), flush=True)
            else:
                R.passed += 1
                print(f"ok   {number:2d} {fn.__name__}", flush=True)
        unexercised = sorted(PORTAL_OPERATIONS & set(API.validator.unexercised()))
        if unexercised:
            R.failed += 1
            print(f"FAIL portal operations never exercised: {', '.join(unexercised)}")
    except Exception:  # noqa: BLE001
        R.failed += 1
        print("FAIL setting up the demo:\n" + traceback.format_exc())
    finally:
        if R.failed:
            print("--- demo log (last lines) ---\n" + D.tail(15), end="")
        D.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"portal api: {R.passed} passed, {R.failed} failed "
          f"({time.monotonic() - started:.0f} s)")
    return 1 if R.failed else 0


if __name__ == "__main__":
    sys.exit(main())
