// The portal's side of the node: sign-in and sessions for people (node/users.h), the routes
// only the browser needs (the importer's shipments, the public verify page), and the built web
// assets (web/, embedded at build time): the page at /portal (hash-routed: /portal#/queue),
// its script and style sheet beside it.
//
// Everything else the portal shows comes from the same routes OAuth clients use; a signed-in
// user reaches them with the session cookie and its role's scopes (api.h).
#include <algorithm>

#include "codec/json.h"
#include "common/log.h"
#include "node/internal/node_impl.h"
#include "node/internal/portal_assets.h"
#include "node/internal/route_helpers.h"

// Routes are written with designated initializers that name only the members they set.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace traceport::node {

namespace {

using internal::Fail;
using internal::Ok;
using internal::ProblemSpec;
using internal::Ref;
using net::ServerResponse;
using nlohmann::json;

json Text(int max_length) { return {{"type", "string"}, {"maxLength", max_length}}; }

ResponseSpec NoContent(std::string description) {
  return {204, std::move(description), "", json()};
}

json SessionBody(const Session& s) {
  return {{"user", s.user.ToJson()}, {"csrfToken", s.csrf_token}};
}

// Content-Security-Policy of every portal page: scripts, styles and connections only from the
// node itself (no CDN, nothing inline: the page sets styles through the DOM, which CSP allows),
// images also from data: and blob: (QR codes, uploads), never framed.
constexpr const char* kPortalCsp =
    "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data: blob:; "
    "style-src 'self'; media-src 'self' blob:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

void AddPageHeaders(ServerResponse& r) {
  r.headers.emplace_back("Content-Security-Policy", kPortalCsp);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "same-origin");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Permissions-Policy", "camera=(self), microphone=(), geolocation=()");
}

}  // namespace

void RegisterPortalSchemas(Api& api) {
  auto add = [&api](const std::string& name, json schema) {
    internal::AddSchemaOrWarn(api, name, std::move(schema));
  };
  add("PortalLogin",
      {{"type", "object"},
       {"properties",
        {{"organization", Text(63)}, {"username", Text(64)}, {"password", Text(4096)}}},
       {"required", {"organization", "username", "password"}},
       {"additionalProperties", false}});
  add("PortalUser",
      {{"type", "object"},
       {"properties",
        {{"username", {{"type", "string"}}},
         {"organization", {{"type", "string"}}},
         {"role", {{"enum", {"officer", "importer", "issuer", "registry-admin", "auditor"}}}},
         {"name", {{"type", "string"}}},
         {"createdAt", {{"type", "string"}}}}},
       {"required", {"username", "organization", "role", "name"}}});
  add("PortalSession",
      {{"type", "object"},
       {"properties", {{"user", Ref("PortalUser")}, {"csrfToken", {{"type", "string"}}}}},
       {"required", {"user", "csrfToken"}}});
  add("PortalVerifyRequest",
      {{"type", "object"},
       {"properties",
        {{"credential",
          {{"description", "the credential: a JSON object, or a compact JWT (vc+jwt) as a string"},
           {"type", {"object", "string"}}}}}},
       {"required", {"credential"}}});
  add("PortalCredentials", {{"type", "object"},
                            {"properties",
                             {{"items",
                               {{"type", "array"},
                                {"items",
                                 {{"type", "object"},
                                  {"properties",
                                   {{"id", {{"type", "string"}}},
                                    {"types", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                                    {"mediaType", {{"type", "string"}}},
                                    {"createdAt", {{"type", "string"}}}}},
                                  {"required", {"id", "types", "mediaType", "createdAt"}}}}}}}},
                            {"required", {"items"}}});
  add("PortalCheck", {{"type", "object"},
                      {"properties",
                       {{"id", {{"type", "string"}}},
                        {"issuer", {{"type", "string"}}},
                        {"types", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                        {"issuedAt", {{"type", "string"}}},
                        {"digest", {{"type", "string"}}},
                        {"report", Ref("VerificationReport")}}},
                      {"required", {"id", "issuer", "types", "issuedAt", "digest", "report"}}});
  add("PortalShipments",
      {{"type", "object"},
       {"properties", {{"items", {{"type", "array"}, {"items", {{"type", "object"}}}}}}},
       {"required", {"items"}}});
}

std::string Node::Impl::SessionCookie(const std::string& value, int64_t max_age_s) const {
  std::string c = std::string(kSessionCookie) + "=" + value +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_s);
  // Secure whenever browsers reach the node over TLS: its own, or a proxy's in front of it.
  if (!options.tls_cert_file.empty() || options.allow_plain_http_off_loopback) c += "; Secure";
  return c;
}

Result<nlohmann::json> Node::Impl::Shipments(const std::string& org) const {
  std::string did;
  {
    std::shared_lock<std::shared_mutex> lock(mu);
    ASSIGN_OR_RETURN(const Org* o, FindOrg(org));
    did = o->did;
  }
  // Every submission this organization made as the holder, to any customs organization on this
  // node, with the latest decision.
  ASSIGN_OR_RETURN(
      auto rows,
      db->Query("SELECT s.id, s.org, s.workflow, s.status, s.risk, s.arrival_at, s.received_at, "
                "s.updated_at, d.decision, d.reason, d.decided_at FROM submissions s "
                "LEFT JOIN decisions d ON d.seq = (SELECT max(seq) FROM decisions WHERE "
                "org=s.org AND submission_id=s.id) WHERE s.holder=? ORDER BY s.received_at DESC "
                "LIMIT 500",
                {did}));
  json items = json::array();
  for (const internal::Row& row : rows) {
    json item = {{"id", row.Text(0)},
                 {"customs", row.Text(1)},
                 {"workflow", codec::ParseJson(row.Text(2)).value_or(json())},
                 {"status", row.Text(3)},
                 {"risk", row.Int(4)},
                 {"arrival", row.IsNull(5) ? json(nullptr) : json(row.Text(5))},
                 {"receivedAt", row.Text(6)},
                 {"updatedAt", row.Text(7)},
                 {"decision", nullptr}};
    if (!row.IsNull(8)) {
      item["decision"] = {
          {"decision", row.Text(8)}, {"reason", row.Text(9)}, {"decidedAt", row.Text(10)}};
    }
    items.push_back(std::move(item));
  }
  return json{{"items", items}};
}

Result<nlohmann::json> Node::Impl::IssuedCredentials(const std::string& org) {
  ASSIGN_OR_RETURN(auto rows, db->Query("SELECT id, types, media_type, created_at, list_number, "
                                        "list_index FROM credentials WHERE org=? ORDER BY "
                                        "created_at DESC, id LIMIT 500",
                                        {org}));
  json items = json::array();
  std::lock_guard<std::mutex> lock(status_mu);
  for (const internal::Row& row : rows) {
    // The current status from the organization's lists: revoked wins over suspended.
    std::string status = "none";
    if (!row.IsNull(4)) {
      Result<StatusListPair*> pair = FindListPair(org, row.Int(4));
      if (pair.ok()) {
        const uint64_t index = static_cast<uint64_t>(row.Int(5));
        const bool revoked = (*pair)->revocation.Get(index).value_or(0) != 0;
        const bool suspended = (*pair)->suspension.Get(index).value_or(0) != 0;
        status = revoked ? "revoked" : suspended ? "suspended" : "active";
      }
    }
    items.push_back({{"id", row.Text(0)},
                     {"types", codec::ParseJson(row.Text(1)).value_or(json::array())},
                     {"mediaType", row.Text(2)},
                     {"createdAt", row.Text(3)},
                     {"status", status}});
  }
  return json{{"items", items}};
}

Result<nlohmann::json> Node::Impl::CheckIssued(const std::string& id) const {
  ASSIGN_OR_RETURN(auto row, db->QueryOne("SELECT org, media_type, body, digest, created_at, types "
                                          "FROM credentials WHERE id=?",
                                          {id}));
  if (!row) return NotFoundError("this node has not issued a credential " + id);
  std::string issuer_did;
  {
    std::shared_lock<std::shared_mutex> lock(mu);
    ASSIGN_OR_RETURN(const Org* o, FindOrg(row->Text(0)));
    issuer_did = o->did;
  }
  vc::VerificationReport report =
      row->Text(1) == "application/vc+jwt"
          ? vc::VerifyCredentialText(row->Text(2), verifier)
          : vc::VerifyCredential(codec::ParseJson(row->Text(2)).value_or(json()), verifier);
  json r = report.ToJson();
  r["verified"] = report.verified();
  return json{{"id", id},
              {"issuer", issuer_did},
              {"types", codec::ParseJson(row->Text(5)).value_or(json::array())},
              {"issuedAt", row->Text(4)},
              {"digest", row->Text(3)},
              {"report", r}};
}

void Node::Impl::RegisterPortalRoutes(Api& routes) {
  Impl* n = this;
  auto session_of = [n](const ApiRequest& req) { return SessionOfRequest(*n->users, req.http); };
  // POST /portal/api/logout and /portal/api/logout-everywhere: end this session or all of the
  // person's, and clear the cookie.
  auto end_sessions = [n, session_of](const ApiRequest& req, bool everywhere) {
    Result<Session> s = session_of(req);
    if (!s.ok()) return Fail(s.status());
    if (everywhere) {
      Result<int64_t> ended = n->users->LogoutEverywhere(s->user.org, s->user.username);
      if (!ended.ok()) return Fail(ended.status());
      log::Info("portal.logout_everywhere", {{"user", s->user.ClientId()}, {"sessions", *ended}});
    } else if (Status st = n->users->Logout(s->token); !st.ok()) {
      return Fail(st);
    }
    ServerResponse r{.status = 204};
    r.headers.emplace_back("Set-Cookie", n->SessionCookie("", 0));
    return r;
  };

  routes.Add(
      {.method = "POST",
       .path = "/portal/api/login",
       .operation_id = "portalLogin",
       .tag = "portal",
       .summary = "Sign a person in: sets the HttpOnly session cookie, returns the CSRF token",
       .description = "Attempts are limited per account (a burst of ten, then five a minute) "
                      "and per address (a burst of sixty, then one a second); a wrong "
                      "organization, username or password all get the same answer.",
       .request_schema = "PortalLogin",
       .responses = {Ok(200, "signed in", "PortalSession"),
                     ProblemSpec(401, "wrong organization, username or password"),
                     ProblemSpec(429, "too many attempts; see Retry-After")},
       .handler = [n](const ApiRequest& req) {
         const std::string org = req.body.at("organization").get<std::string>();
         const std::string username = req.body.at("username").get<std::string>();
         const std::pair<RateLimiter*, std::string> budgets[] = {
             {n->login_address_limiter.get(), "ip:" + req.http.remote_addr},
             {n->login_limiter.get(), "user:" + org + "/" + username}};
         for (const auto& [budget, key] : budgets) {
           if (auto wait = budget->Take(key)) {
             ServerResponse r = Problem(429, "too many sign-in attempts; try again in " +
                                                 std::to_string(wait->count()) + " s");
             r.headers.emplace_back("Retry-After", std::to_string(wait->count()));
             return r;
           }
         }
         Result<Session> s =
             n->users->Login(org, username, req.body.at("password").get<std::string>());
         if (!s.ok()) {
           log::Info("portal.login_failed",
                     {{"org", org}, {"username", username}, {"remote", req.http.remote_addr}});
           return Fail(s.status());
         }
         log::Info("portal.login", {{"user", s->user.ClientId()}});
         ServerResponse r = JsonResponse(200, SessionBody(*s));
         r.headers.emplace_back(
             "Set-Cookie",
             n->SessionCookie(s->token, std::min(n->session_options.idle.count(),
                                                 n->session_options.absolute.count())));
         r.headers.emplace_back("Cache-Control", "no-store");
         return r;
       }});
  routes.Add({.method = "GET",
              .path = "/portal/api/session",
              .operation_id = "portalSession",
              .tag = "portal",
              .summary = "The signed-in person and the session's CSRF token",
              .responses = {Ok(200, "signed in", "PortalSession"),
                            ProblemSpec(401, "not signed in, or the session has ended")},
              .handler = [session_of](const ApiRequest& req) {
                Result<Session> s = session_of(req);
                if (!s.ok()) return Fail(s.status());
                ServerResponse r = JsonResponse(200, SessionBody(*s));
                r.headers.emplace_back("Cache-Control", "no-store");
                return r;
              }});
  routes.Add(
      {.method = "POST",
       .path = "/portal/api/logout",
       .operation_id = "portalLogout",
       .tag = "portal",
       .summary = "End this session (needs X-CSRF-Token)",
       .responses = {NoContent("signed out; the cookie is cleared"),
                     ProblemSpec(401, "not signed in"), ProblemSpec(403, "no CSRF token")},
       .handler = [end_sessions](const ApiRequest& req) { return end_sessions(req, false); }});
  routes.Add(
      {.method = "POST",
       .path = "/portal/api/logout-everywhere",
       .operation_id = "portalLogoutEverywhere",
       .tag = "portal",
       .summary = "End every session of the signed-in person, on every device (needs "
                  "X-CSRF-Token)",
       .responses = {NoContent("every session ended"), ProblemSpec(401, "not signed in"),
                     ProblemSpec(403, "no CSRF token")},
       .handler = [end_sessions](const ApiRequest& req) { return end_sessions(req, true); }});
  routes.Add({.method = "GET",
              .path = "/portal/api/shipments",
              .operation_id = "portalShipments",
              .tag = "portal",
              .summary = "The organization's own submissions (as holder), their status and the "
                         "latest decision",
              .scope = "read:shipments",
              .responses = {Ok(200, "newest first, at most 500", "PortalShipments")},
              .handler = [n](const ApiRequest& req) {
                Result<json> r = n->Shipments(req.principal->org);
                if (!r.ok()) return Fail(r.status());
                return JsonResponse(200, *r);
              }});
  routes.Add({.method = "GET",
              .path = "/portal/api/credentials",
              .operation_id = "portalCredentials",
              .tag = "portal",
              .summary = "The credentials the organization issued, newest first (at most 500)",
              .scope = "read:credential",
              .responses = {Ok(200, "the issuer's credentials", "PortalCredentials")},
              .handler = [n](const ApiRequest& req) {
                Result<json> r = n->IssuedCredentials(req.principal->org);
                if (!r.ok()) return Fail(r.status());
                return JsonResponse(200, *r);
              }});
  routes.Add({.method = "GET",
              .path = "/portal/api/check/{id}",
              .operation_id = "portalCheck",
              .tag = "portal",
              .summary = "Check a credential this node issued, by id (the QR code on a printed "
                         "credential)",
              .description =
                  "Public: the credential's type, issuer, issue date and digest, and the "
                  "verification report of the stored credential as it is now (revocation "
                  "included). Not its contents: a printed copy is compared by its digest. "
                  "Credential ids are random UUIDs, so the QR code is what grants the look.",
              .params = {{.name = "id", .in = "path", .description = "the credential id"}},
              .responses = {Ok(200, "the credential's summary and report", "PortalCheck"),
                            ProblemSpec(404, "this node issued no such credential")},
              .handler = [n](const ApiRequest& req) {
                Result<json> r = n->CheckIssued(req.http.path_params.at("id"));
                if (!r.ok()) return Fail(r.status());
                return JsonResponse(200, *r);
              }});
  routes.Add(
      {.method = "POST",
       .path = "/portal/api/verify",
       .operation_id = "portalVerify",
       .tag = "portal",
       .summary = "Verify a credential for anyone (the public verify page)",
       .description = "The same report as POST /credentials/verify, without signing in. Limited "
                      "per address like every public route.",
       .request_schema = "PortalVerifyRequest",
       .responses = {Ok(200, "the verification report (verified true or false)",
                        "VerificationReport")},
       .handler = [n](const ApiRequest& req) {
         if (n->self == nullptr) return Problem(503, "not serving");
         Result<json> r =
             n->self->VerifyCredential({{"verifiableCredential", req.body.at("credential")}});
         if (!r.ok()) return Fail(r.status());
         return JsonResponse(200, *r);
       }});
}

void Node::Impl::MountPortalAssets(net::HttpServer& http_server) {
  auto serve = [](std::string_view name) {
    return [name](const net::ServerRequest& req) {
      const internal::PortalAsset* asset = internal::FindPortalAsset(name);
      ServerResponse r;
      if (asset == nullptr) {
        r.status = 404;
        r.content_type = "text/plain; charset=utf-8";
        r.body = "this node was built without the portal's assets\n";
        return r;
      }
      const std::string etag = "\"" + std::string(asset->etag) + "\"";
      AddPageHeaders(r);
      r.headers.emplace_back("ETag", etag);
      r.headers.emplace_back("Cache-Control", "no-cache");
      if (auto inm = req.Header("If-None-Match"); inm && *inm == etag) {
        r.status = 304;
        return r;
      }
      r.content_type = std::string(asset->content_type);
      r.body = std::string(asset->bytes);
      return r;
    };
  };
  http_server.Handle("GET", "/portal", serve("index.html"));
  http_server.Handle("GET", "/portal/index.html", serve("index.html"));
  http_server.Handle("GET", "/portal/app.js", serve("app.js"));
  http_server.Handle("GET", "/portal/app.css", serve("app.css"));
  http_server.Handle("GET", "/", [](const net::ServerRequest&) {
    ServerResponse r;
    r.status = 302;
    r.headers.emplace_back("Location", "/portal");
    return r;
  });
}

}  // namespace traceport::node
