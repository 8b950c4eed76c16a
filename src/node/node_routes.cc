// Every HTTP route of the node, declared once: the declaration mounts the handler and generates
// the OpenAPI document (api.h).
#include <algorithm>

#include "codec/base64.h"
#include "codec/json.h"
#include "customs/rules.h"
#include "did/resolver.h"
#include "node/internal/node_impl.h"
#include "node/internal/route_helpers.h"
#include "node/tabular.h"
#include "registry/identifiers.h"

// Routes are written with designated initializers that name only the members they set.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace traceport::node {

namespace {

using internal::Fail;
using internal::Ok;
using internal::ProblemSpec;
using internal::Ref;
using internal::Reply;
using net::ServerResponse;
using nlohmann::json;

json Str() { return {{"type", "string"}}; }
json StrArray() { return {{"type", "array"}, {"items", Str()}}; }
json Obj(json properties, json required = json::array(), bool open = true) {
  json o = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) o["required"] = std::move(required);
  if (!open) o["additionalProperties"] = false;
  return o;
}

// A DID taken from path segment `index` (0-based). did:web DIDs carry percent-escapes of their
// own ("did:web:host%3A8443:..."), so a segment that is already a DID is used as sent; one that
// is not (the client percent-encoded the whole DID) is the router's decoded value.
std::string DidParam(const net::ServerRequest& req, size_t index, const std::string& decoded) {
  size_t start = 1;
  for (size_t i = 0; i < index && start != std::string::npos; ++i) {
    start = req.path.find('/', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos) return decoded;
  const size_t end = req.path.find('/', start);
  const std::string raw = req.path.substr(start, end == std::string::npos ? end : end - start);
  return raw.rfind("did:", 0) == 0 ? raw : decoded;
}

// application/x-www-form-urlencoded, as RFC 6749 requires for the token endpoint.
std::map<std::string, std::string> ParseForm(std::string_view body) {
  std::map<std::string, std::string> out;
  auto decode = [](std::string_view s) {
    std::string r;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') {
        r += ' ';
      } else if (s[i] == '%' && i + 2 < s.size() + 0 && i + 2 <= s.size() - 1 + 1 &&
                 std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
                 std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
        r += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        r += s[i];
      }
    }
    return r;
  };
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view pair = body.substr(start, end - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      out[decode(pair.substr(0, eq))] =
          eq == std::string_view::npos ? "" : decode(pair.substr(eq + 1));
    }
    start = end + 1;
  }
  return out;
}

ServerResponse OAuthError(int status, const std::string& error, const std::string& description) {
  ServerResponse r =
      Problem(status, description, {{"error", error}, {"error_description", description}});
  if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"traceport\"");
  return r;
}

}  // namespace

void RegisterSchemas(Api& api) {
  auto add = [&api](const std::string& name, json schema) {
    internal::AddSchemaOrWarn(api, name, std::move(schema));
  };
  add("Health",
      Obj({{"status", {{"const", "ok"}}}, {"ledgerSize", {{"type", "integer"}}}}, {"status"}));
  add("TokenRequest", Obj({{"grant_type", Str()},
                           {"client_id", Str()},
                           {"client_secret", Str()},
                           {"scope", Str()},
                           {"audience", Str()}},
                          {"grant_type"}));
  add("TokenResponse", Obj({{"access_token", Str()},
                            {"token_type", {{"const", "Bearer"}}},
                            {"expires_in", {{"type", "integer"}, {"minimum", 1}}},
                            {"scope", Str()}},
                           {"access_token", "token_type", "expires_in", "scope"}));
  add("OrganizationRequest",
      Obj({{"slug", {{"type", "string"}, {"pattern", "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"}}},
           {"name", {{"type", "string"}, {"minLength", 1}, {"maxLength", 200}}},
           {"roles", StrArray()}},
          {"slug", "name"}, false));
  add("Organization", Obj({{"slug", Str()},
                           {"did", Str()},
                           {"name", Str()},
                           {"roles", StrArray()},
                           {"createdAt", Str()},
                           {"didDocumentUrl", Str()},
                           {"serviceEndpoint", Str()},
                           {"keys", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                           {"didDocument", Ref("DidDocument")}},
                          {"slug", "did", "name", "roles", "keys"}));
  add("OrganizationList",
      Obj({{"organizations", {{"type", "array"}, {"items", Ref("Organization")}}}},
          {"organizations"}));
  add("ClientRequest", Obj({{"name", {{"type", "string"}, {"maxLength", 200}}},
                            {"scopes", {{"type", "array"}, {"items", Str()}, {"minItems", 1}}}},
                           {"scopes"}, false));
  add("ClientCredentials",
      Obj({{"client_id", Str()}, {"client_secret", Str()}, {"org", Str()}, {"scopes", StrArray()}},
          {"client_id", "client_secret", "org", "scopes"}));
  add("RotateKeyRequest",
      Obj({{"purpose", {{"enum", {"assertionMethod", "authentication"}}}}}, {"purpose"}, false));
  add("RotateKeyResponse", Obj({{"rotated", {{"type", "array"}}},
                                {"ledgerIndices", {{"type", "array"}}},
                                {"didDocument", Ref("DidDocument")}},
                               {"rotated", "didDocument"}));
  add("DidDocument", Obj({{"id", Str()},
                          {"verificationMethod", {{"type", "array"}}},
                          {"assertionMethod", {{"type", "array"}}},
                          {"authentication", {{"type", "array"}}},
                          {"service", {{"type", "array"}}}},
                         {"id"}));
  add("DidResolution", Obj({{"didDocument", {{"type", {"object", "null"}}}},
                            {"didResolutionMetadata", {{"type", "object"}}},
                            {"didDocumentMetadata", {{"type", "object"}}}},
                           {"didDocument", "didResolutionMetadata"}));
  add("IssueRequest",
      Obj({{"credential", {{"type", "object"}}},
           {"options", Obj({{"securing",
                             {{"enum",
                               {"vc-jwt", "vc-jwt-es256", "eddsa-jcs-2022", "ecdsa-jcs-2019",
                                "eddsa-rdfc-2022", "ecdsa-rdfc-2019"}}}},
                            {"credentialStatus", {{"type", "boolean"}}}},
                           json::array(), false)}},
          {"credential"}, false));
  add("IssueResponse", Obj({{"verifiableCredential", {{"type", "object"}}},
                            {"id", Str()},
                            {"mediaType", Str()},
                            {"jwt", Str()},
                            {"ledgerIndex", {{"type", "integer"}}}},
                           {"verifiableCredential", "id", "mediaType", "ledgerIndex"}));
  add("StoredCredential", Obj({{"verifiableCredential", {{"type", "object"}}},
                               {"mediaType", Str()},
                               {"issuedAt", Str()}},
                              {"verifiableCredential", "mediaType"}));
  add("VerifyCredentialRequest", Obj({{"verifiableCredential", {{"type", {"object", "string"}}}},
                                      {"options", {{"type", "object"}}}},
                                     {"verifiableCredential"}, false));
  json check = Obj({{"name", Str()},
                    {"status", {{"enum", {"pass", "fail", "skipped"}}}},
                    {"reason", Str()},
                    {"required", {{"type", "boolean"}}},
                    {"pointer", Str()}},
                   {"name", "status"});
  add("VerificationReport",
      Obj({{"verified", {{"type", "boolean"}}},
           {"checks", {{"type", "array"}, {"items", check}}},
           {"problems", {{"type", "array"}, {"items", {{"type", "object"}}}}}},
          {"verified", "checks"}));
  add("PresentationReport",
      Obj({{"verified", {{"type", "boolean"}}},
           {"checks", {{"type", "array"}, {"items", check}}},
           {"credentials", {{"type", "array"}, {"items", Ref("VerificationReport")}}}},
          {"verified", "checks", "credentials"}));
  json vp_options = Obj({{"challenge", Str()}, {"domain", Str()}});
  add("VerifyPresentationRequest",
      Obj({{"verifiablePresentation", {{"type", {"object", "string"}}}}, {"options", vp_options}},
          {"verifiablePresentation"}, false));
  add("ProveRequest", Obj({{"presentation", {{"type", "object"}}},
                           {"options", Obj({{"challenge", Str()},
                                            {"domain", Str()},
                                            {"securing",
                                             {{"enum",
                                               {"vc-jwt", "ecdsa-jcs-2019", "eddsa-jcs-2022",
                                                "ecdsa-rdfc-2019", "eddsa-rdfc-2022"}}}}},
                                           json::array(), false)}},
                          {"presentation"}, false));
  add("ProveResponse", Obj({{"verifiablePresentation", {{"type", "object"}}}, {"jwt", Str()}},
                           {"verifiablePresentation"}));
  add("StatusRequest",
      Obj({{"credentialId", {{"type", "string"}, {"minLength", 1}}},
           {"credentialStatus",
            {{"type", "array"},
             {"minItems", 1},
             {"maxItems", 2},
             {"items",
              Obj({{"type", Str()},
                   {"status",
                    {{"enum", {"revoked", "suspended", "unsuspended", "active", "0", "1"}}}},
                   {"statusPurpose", {{"enum", {"revocation", "suspension"}}}}},
                  {"status"}, false)}}}},
          {"credentialId", "credentialStatus"}, false));
  add("StatusResponse", Obj({{"credentialId", Str()}, {"updates", {{"type", "array"}}}},
                            {"credentialId", "updates"}));
  add("TraceablePresentation",
      {{"type", "object"},
       {"description",
        "A holder-signed TraceablePresentation (Data Integrity), an "
        "EnvelopedVerifiablePresentation, or {\"verifiablePresentation\": <either, or a "
        "vp+jwt string>}"}});
  add("PresentationReceipt", Obj({{"id", Str()},
                                  {"verified", {{"type", "boolean"}}},
                                  {"submission", Ref("SubmissionReceipt")},
                                  {"holder", Str()},
                                  {"receivedAt", Str()},
                                  {"workflow", {{"type", "object"}}},
                                  {"replaces", Str()},
                                  {"ledgerIndex", {{"type", "integer"}}}},
                                 {"id", "verified", "receivedAt", "ledgerIndex"}));
  add("StoredPresentation", Obj({{"id", Str()},
                                 {"holder", Str()},
                                 {"verifiablePresentation", {{"type", {"object", "string"}}}},
                                 {"workflow", {{"type", "object"}}},
                                 {"receivedAt", Str()},
                                 {"report", Ref("PresentationReport")},
                                 {"replaces", Str()},
                                 {"replacedBy", Str()},
                                 {"ledgerIndex", {{"type", "integer"}}}},
                                {"id", "verifiablePresentation", "receivedAt"}));
  add("PresentationList",
      Obj({{"presentations", {{"type", "array"}, {"items", {{"type", "object"}}}}}},
          {"presentations"}));
  add("StatusListCredential", Obj({{"id", Str()},
                                   {"type", StrArray()},
                                   {"credentialSubject", {{"type", "object"}}},
                                   {"proof", {{"type", {"object", "array"}}}}},
                                  {"id", "type", "credentialSubject", "proof"}));
  // ---- Customs ----
  const json nullable_str = {{"type", {"string", "null"}}};
  add("Finding", Obj({{"ruleId", Str()},
                      {"severity", {{"enum", {"info", "warning", "error"}}}},
                      {"title", Str()},
                      {"explanation", Str()},
                      {"credentialIds", StrArray()},
                      {"details", json::object()}},
                     {"ruleId", "severity", "explanation"}));
  add("SubmittedCredentialSummary",
      Obj({{"id", Str()},
           {"type", Str()},
           {"issuer", Str()},
           {"verified", {{"type", "boolean"}}},
           {"failedChecks", {{"type", "array"}, {"items", {{"type", "object"}}}}},
           {"issuerRegistered", {{"type", {"boolean", "null"}}}}},
          {"id", "type", "issuer", "verified"}));
  add("SubmissionReceipt",
      Obj({{"id", Str()},
           {"status", Str()},
           {"risk", {{"type", "integer"}, {"minimum", 0}, {"maximum", 100}}},
           {"rulesetVersion", Str()},
           {"findings", {{"type", "array"}, {"items", Ref("Finding")}}},
           {"credentials", {{"type", "array"}, {"items", Ref("SubmittedCredentialSummary")}}},
           {"ledgerIndex", {{"type", {"integer", "null"}}}},
           {"receipt", Str()}},
          {"id", "status", "risk", "rulesetVersion", "findings"}));
  const json submission_common = {
      {"id", Str()},
      {"holder", Str()},
      {"workflow", {{"type", "object"}}},
      {"status", {{"enum", {"received", "released", "held", "exam", "info-requested"}}}},
      {"risk", {{"type", "integer"}}},
      {"rulesetVersion", Str()},
      {"receivedAt", Str()},
      {"updatedAt", Str()},
      {"arrivalAt", nullable_str},
      {"leadTimeHours", {{"type", {"number", "null"}}}}};
  json summary_props = submission_common;
  summary_props["findingCount"] = {{"type", "integer"}};
  summary_props["rules"] = StrArray();
  add("SubmissionSummary", Obj(summary_props, {"id", "holder", "status", "risk", "rules"}));
  add("SubmissionList",
      Obj({{"submissions", {{"type", "array"}, {"items", Ref("SubmissionSummary")}}}},
          {"submissions"}));
  json full_props = submission_common;
  full_props["outcome"] = {{"type", "object"}};
  full_props["credentials"] = {{"type", "array"}, {"items", Ref("SubmittedCredentialSummary")}};
  full_props["receipt"] = Obj({{"ledgerIndex", {{"type", "integer"}}}, {"url", Str()}});
  full_props["decisions"] = {{"type", "array"}, {"items", {{"type", "object"}}}};
  add("Submission", Obj(full_props, {"id", "status", "outcome", "credentials", "decisions"}));
  add("DecisionRequest",
      Obj({{"decision", {{"enum", {"release", "hold", "exam", "request-info"}}}},
           {"reason", {{"type", "string"}, {"minLength", 1}, {"maxLength", 2000}}}},
          {"decision", "reason"}, false));
  add("Decision", Obj({{"id", Str()},
                       {"decision", Str()},
                       {"status", Str()},
                       {"reason", Str()},
                       {"officer", Str()},
                       {"rulesetVersion", Str()},
                       {"decidedAt", Str()},
                       {"ledgerIndex", {{"type", {"integer", "null"}}}}},
                      {"id", "decision", "status", "rulesetVersion", "decidedAt"}));
  add("SubmissionStatus", Obj({{"id", Str()},
                               {"status", Str()},
                               {"receivedAt", Str()},
                               {"updatedAt", Str()},
                               {"decision", {{"type", "object"}}}},
                              {"id", "status"}));
  add("Trace", {{"type", "object"}});
  add("RuleSet", Obj({{"format", Str()},
                      {"version", Str()},
                      {"rules", {{"type", "array"}, {"items", {{"type", "object"}}}}}},
                     {"version", "rules"}));
  add("DocumentTypes",
      Obj({{"types",
            {{"type", "array"},
             {"items", Obj({{"type", Str()}, {"schema", Str()}, {"title", Str()}})}}}},
          {"types"}));
  add("AssistChatRequest", Obj({{"message", {{"type", "string"}, {"maxLength", 100000}}},
                                {"sessionId", {{"type", {"string", "null"}}, {"maxLength", 200}}}},
                               {"message"}, false));
  add("AssistAnswer",
      Obj({{"answer", Str()},
           {"kind",
            {{"type", "string"},
             {"enum", {"answer", "calculation", "clarify", "decline", "unknown", "refused"}}}},
           {"intent", {{"type", {"string", "null"}}}},
           {"unit", {{"type", {"string", "null"}}}},
           {"confidence", {{"type", "number"}}},
           {"citations",
            {{"type", "array"}, {"items", Obj({{"label", Str()}, {"url", Str()}}, {"label"})}}},
           {"reviewed", {{"type", {"string", "null"}}}},
           {"asOf", {{"type", {"string", "null"}}}},
           {"related", StrArray()},
           {"sessionId", Str()}},
          {"answer", "kind", "citations", "sessionId"}));
  add("AssistLog", Obj({{"records", {{"type", "integer"}}},
                        {"retentionDays", {{"type", "integer"}}},
                        {"days", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                        {"unanswered", {{"type", "array"}, {"items", {{"type", "object"}}}}}},
                       {"records", "days", "unanswered"}));
  add("DocumentIssueRequest",
      Obj({{"type", {{"type", "string"}, {"minLength", 1}}},
           {"documents",
            {{"type", "array"},
             {"minItems", 1},
             {"maxItems", 10000},
             {"items", Obj({{"credentialSubject", {{"type", "object"}}}}, {"credentialSubject"})}}},
           {"options", Obj({{"securing", Str()}})}},
          {"type", "documents"}, false));
  add("DocumentIssueResult", Obj({{"type", Str()},
                                  {"count", {{"type", "integer"}}},
                                  {"issued", {{"type", "array"}, {"items", {{"type", "object"}}}}}},
                                 {"type", "count", "issued"}));
  add("RegistryAdmitRequest",
      Obj({{"did", {{"type", "string"}, {"minLength", 1}}},
           {"name", {{"type", "string"}, {"minLength", 1}, {"maxLength", 300}}},
           {"identifiers", {{"type", "object"}, {"additionalProperties", Str()}}},
           {"roles", StrArray()},
           {"credentialTypes", {{"type", "array"}, {"items", Str()}, {"minItems", 1}}}},
          {"did", "name", "identifiers", "credentialTypes"}, false));
  add("RegistryChangeRequest",
      Obj({{"reason", {{"type", "string"}, {"maxLength", 1000}}}}, json::array(), false));
  add("RegistryEntry", Obj({{"did", Str()},
                            {"authority", Str()},
                            {"name", Str()},
                            {"identifiers", {{"type", "object"}}},
                            {"roles", StrArray()},
                            {"credentialTypes", StrArray()},
                            {"state", {{"enum", {"active", "suspended", "removed"}}}},
                            {"admissionCredentialId", Str()},
                            {"admissionCredential", {{"type", "object"}}},
                            {"updatedAt", Str()},
                            {"history", {{"type", "array"}}},
                            {"ledgerIndex", {{"type", "integer"}}}},
                           {"did", "authority", "identifiers", "state", "history"}));
  add("IdentifierCheckRequest",
      Obj({{"scheme", Str()}, {"value", Str()}}, {"scheme", "value"}, false));
  add("IdentifierCheck", Obj({{"scheme", Str()},
                              {"valid", {{"type", "boolean"}}},
                              {"normalized", Str()},
                              {"error", Str()}},
                             {"scheme", "valid"}));
  add("LedgerEntry",
      Obj({{"index", {{"type", "integer"}}}, {"entry", {{"type", "object"}}}, {"leaf_hash", Str()}},
          {"index", "entry", "leaf_hash"}));
  add("InclusionProof", Obj({{"index", {{"type", "integer"}}},
                             {"tree_size", {{"type", "integer"}}},
                             {"root_hash", Str()},
                             {"inclusion_proof", StrArray()}},
                            {"index", "tree_size", "root_hash", "inclusion_proof"}));
  add("ConsistencyProof", Obj({{"first", {{"type", "integer"}}},
                               {"second", {{"type", "integer"}}},
                               {"first_root_hash", Str()},
                               {"second_root_hash", Str()},
                               {"consistency_proof", StrArray()}},
                              {"first", "second", "consistency_proof"}));
}

void Node::Impl::RegisterRoutes(Api& routes) {
  Impl* n = this;
  const json text_schema = {{"type", "string"}};

  routes.Add({.method = "GET",
              .path = "/healthz",
              .operation_id = "health",
              .tag = "node",
              .summary = "Liveness and the ledger's size",
              .responses = {Ok(200, "the node is serving", "Health")},
              .handler =
                  [n](const ApiRequest&) {
                    return JsonResponse(200, {{"status", "ok"}, {"ledgerSize", n->log->Size()}});
                  },
              .unlimited = true});
  routes.Add(
      {.method = "GET",
       .path = "/metrics",
       .operation_id = "metrics",
       .tag = "node",
       .summary = "Prometheus text: per-route request counts and latency, ledger size, queues",
       .responses = {{200, "Prometheus text exposition 0.0.4", "text/plain", text_schema}},
       .handler =
           [n](const ApiRequest&) {
             ServerResponse r;
             r.content_type = "text/plain; version=0.0.4; charset=utf-8";
             r.body = n->server->MetricsText();
             const json m = n->MetricsExtra();
             auto gauge = [&r](const std::string& name, const std::string& help, uint64_t v) {
               r.body += "# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n" + name +
                         " " + std::to_string(v) + "\n";
             };
             gauge("traceport_ledger_entries", "Entries durably committed to the node's ledger",
                   m["ledger_size"].get<uint64_t>());
             gauge("traceport_ledger_pending_entries",
                   "Entries queued for the ledger's next commit",
                   m["ledger_pending"].get<uint64_t>());
             gauge("traceport_organizations", "Organizations hosted",
                   m["organizations"].get<uint64_t>());
             gauge("traceport_oauth_clients", "OAuth clients", m["clients"].get<uint64_t>());
             gauge("traceport_registry_entries", "Actors in the trust registry",
                   m["registry_entries"].get<uint64_t>());
             return r;
           },
       .unlimited = true});
  routes.Add(
      {.method = "GET",
       .path = "/openapi.json",
       .operation_id = "openapi",
       .tag = "node",
       .summary = "This document",
       .responses = {{200, "OpenAPI 3.1", "application/json", json()}},
       .handler = [&routes](const ApiRequest&) { return JsonResponse(200, routes.OpenApi()); },
       .unlimited = true});

  // ---- OAuth ----
  routes.Add(
      {.method = "POST",
       .path = "/oauth/token",
       .operation_id = "token",
       .tag = "auth",
       .summary = "OAuth 2.0 client credentials grant (RFC 6749 §4.4)",
       .description = "Client authentication by HTTP Basic or by client_id / client_secret in the "
                      "body (form-encoded, or JSON as the traceability-interop harness sends it). "
                      "Errors carry RFC 6749's \"error\" code inside an RFC 9457 problem.",
       .request_schema = "TokenRequest",
       .raw_request_types = {{"application/x-www-form-urlencoded", text_schema}},
       .responses = {Ok(200, "an access token", "TokenResponse"),
                     ProblemSpec(401, "invalid_client")},
       .handler = [n](const ApiRequest& req) {
         std::map<std::string, std::string> f;
         if (req.body.is_object()) {
           for (const auto& [k, v] : req.body.items()) {
             if (v.is_string()) f[k] = v.get<std::string>();
           }
         } else {
           f = ParseForm(req.http.body);
         }
         std::string id = f["client_id"], secret = f["client_secret"];
         if (auto auth = req.http.Header("Authorization");
             auth && auth->size() > 6 && auth->substr(0, 6) == "Basic ") {
           if (!secret.empty()) {
             // RFC 6749 §2.3: one authentication method per request.
             return OAuthError(400, "invalid_request",
                               "use either HTTP Basic or client_secret in the body, not both");
           }
           auto decoded = codec::Base64Decode(auth->substr(6));
           if (!decoded.ok()) return OAuthError(401, "invalid_client", "malformed Basic header");
           std::string pair(decoded->begin(), decoded->end());
           const size_t colon = pair.find(':');
           if (colon == std::string::npos) {
             return OAuthError(401, "invalid_client", "malformed Basic credentials");
           }
           id = pair.substr(0, colon);
           secret = pair.substr(colon + 1);
         }
         if (f["grant_type"] != "client_credentials") {
           return OAuthError(400,
                             f["grant_type"].empty() ? "invalid_request" : "unsupported_grant_type",
                             "grant_type must be client_credentials");
         }
         if (id.empty() || secret.empty()) {
           return OAuthError(401, "invalid_client", "client_id and client_secret are required");
         }
         auto granted = n->GrantToken(id, secret, f["scope"]);
         if (!granted.ok()) {
           const std::string msg = std::string(granted.status().message());
           if (granted.status().code() == StatusCode::kUnauthenticated) {
             return OAuthError(401, "invalid_client", "unknown client or wrong secret");
           }
           const std::string prefix = "invalid_scope: ";
           if (msg.rfind(prefix, 0) == 0) {
             return OAuthError(400, "invalid_scope", msg.substr(prefix.size()));
           }
           return Fail(granted.status());
         }
         std::string scope;
         for (const auto& s : granted->second) scope += (scope.empty() ? "" : " ") + s;
         ServerResponse r = JsonResponse(200, {{"access_token", granted->first.access_token},
                                               {"token_type", "Bearer"},
                                               {"expires_in", granted->first.expires_in},
                                               {"scope", scope}});
         r.headers.emplace_back("Cache-Control", "no-store");
         r.headers.emplace_back("Pragma", "no-cache");
         return r;
       }});

  // ---- Discovery ----
  routes.Add({.method = "GET",
              .path = "/organizations/{slug}/did.json",
              .operation_id = "didDocument",
              .tag = "discovery",
              .summary = "An organization's did:web document (with its TraceabilityAPI service)",
              .responses = {Ok(200, "the DID document", "DidDocument", "application/did+json"),
                            ProblemSpec(404, "no such organization")},
              .handler = [n](const ApiRequest& req) -> ServerResponse {
                std::shared_lock<std::shared_mutex> lock(n->mu);
                auto org = n->FindOrg(req.http.path_params.at("slug"));
                if (!org.ok()) return Fail(org.status());
                return JsonResponse(200, (*org)->did_document, "application/did+json");
              }});
  routes.Add({.method = "GET",
              .path = "/identifiers/{did}",
              .operation_id = "resolveDid",
              .tag = "discovery",
              .summary = "Resolve a DID (this node's organizations; others when the node may use "
                         "the network)",
              .scope = "resolve:dids",
              .responses = {Ok(200, "the DID resolution result", "DidResolution"),
                            ProblemSpec(404, "not found")},
              .handler = [n](const ApiRequest& req) -> ServerResponse {
                did::ResolutionResult r =
                    n->resolver->Resolve(DidParam(req.http, 1, req.http.path_params.at("did")));
                if (!r.ok()) return Fail(r.status());
                return JsonResponse(200, r.ToJson());
              }});

  // ---- USMCA assistant ----
  routes.Add(
      {.method = "POST",
       .path = "/assist/chat",
       .operation_id = "assistChat",
       .tag = "assist",
       .summary = "Ask the USMCA assistant (public; sessions keep follow-up context)",
       .description = "Answers come from the project's knowledge base, each with citations and its "
                      "review date, or from a calculator (RVC, de minimis, MPF, HMF) run on the "
                      "numbers in the message; out-of-scope questions are declined with a pointer. "
                      "Send the answer's sessionId with the next turn to keep the context. Only "
                      "unanswered questions are kept in the node's log, for the retention period.",
       .request_schema = "AssistChatRequest",
       .responses = {Ok(200, "the answer", "AssistAnswer"),
                     ProblemSpec(503, "the knowledge base is not available")},
       .handler = [n](const ApiRequest& req) { return Reply(n->self->AssistChat(req.body)); }});
  routes.Add({.method = "GET",
              .path = "/admin/assist/log",
              .operation_id = "assistLog",
              .tag = "admin",
              .summary = "The assistant's conversation log: daily counts and unanswered questions",
              .scope = "admin",
              .responses = {Ok(200, "the log summary", "AssistLog")},
              .handler = [n](const ApiRequest&) { return Reply(n->self->AssistLog()); }});

  // ---- Administration ----
  routes.Add({.method = "POST",
              .path = "/admin/organizations",
              .operation_id = "createOrganization",
              .tag = "admin",
              .summary = "Create an organization with its did:web and keys",
              .scope = "admin",
              .request_schema = "OrganizationRequest",
              .responses = {Ok(201, "created", "Organization"), ProblemSpec(409, "slug taken")},
              .handler = [n](const ApiRequest& req) {
                OrganizationSpec spec;
                spec.slug = req.body["slug"];
                spec.name = req.body["name"];
                if (req.body.contains("roles")) {
                  spec.roles = req.body["roles"].get<std::vector<std::string>>();
                }
                return Reply(n->self->CreateOrganization(spec), 201);
              }});
  routes.Add({.method = "GET",
              .path = "/admin/organizations",
              .operation_id = "listOrganizations",
              .tag = "admin",
              .summary = "List organizations",
              .scope = "admin",
              .responses = {Ok(200, "organizations", "OrganizationList")},
              .handler = [n](const ApiRequest&) {
                auto list = n->self->ListOrganizations();
                if (!list.ok()) return Fail(list.status());
                return JsonResponse(200, {{"organizations", *list}});
              }});
  routes.Add(
      {.method = "POST",
       .path = "/admin/organizations/{slug}/clients",
       .operation_id = "createClient",
       .tag = "admin",
       .summary = "Create an OAuth client for an organization (the secret is shown once)",
       .description = "A client of organization X acts as X: its own staff and systems, or a "
                      "partner X lets submit presentations (scope submit:presentations).",
       .scope = "admin",
       .request_schema = "ClientRequest",
       .responses = {Ok(201, "created", "ClientCredentials"),
                     ProblemSpec(404, "no such organization")},
       .handler = [n](const ApiRequest& req) -> ServerResponse {
         auto c = n->self->CreateClient(req.http.path_params.at("slug"), req.body.value("name", ""),
                                        req.body["scopes"].get<std::vector<std::string>>());
         if (!c.ok()) return Fail(c.status());
         return JsonResponse(201, c->ToJson());
       }});
  routes.Add({.method = "POST",
              .path = "/admin/organizations/{slug}/keys/rotate",
              .operation_id = "rotateKeys",
              .tag = "admin",
              .summary = "Rotate an organization's keys for one purpose (recorded on the ledger)",
              .scope = "admin",
              .request_schema = "RotateKeyRequest",
              .responses = {Ok(200, "rotated", "RotateKeyResponse"),
                            ProblemSpec(404, "no such organization")},
              .handler = [n](const ApiRequest& req) {
                return Reply(
                    n->self->RotateKey(req.http.path_params.at("slug"), req.body["purpose"]));
              }});

  // ---- VC-API ----
  routes.Add({.method = "POST",
              .path = "/credentials/issue",
              .operation_id = "issueCredential",
              .tag = "credentials",
              .summary = "Issue a credential as the caller's organization (anchored on the ledger)",
              .description =
                  "Completes issuer, id (urn:uuid v4) and validFrom, adds revocation and "
                  "suspension status entries, validates against credentialSchema, signs "
                  "(vc+jwt ES256 by default) and anchors credential.anchor.",
              .scope = "create:credential",
              .request_schema = "IssueRequest",
              .responses = {Ok(201, "issued", "IssueResponse"),
                            ProblemSpec(403, "issuing as another organization"),
                            ProblemSpec(409, "the credential id is taken")},
              .handler = [n](const ApiRequest& req) {
                return Reply(n->self->IssueCredential(req.principal->org, req.body), 201);
              }});
  routes.Add({.method = "GET",
              .path = "/credentials/{id}",
              .operation_id = "getCredential",
              .tag = "credentials",
              .summary = "A credential the caller's organization issued",
              .scope = "read:credential",
              .responses = {Ok(200, "the credential", "StoredCredential"),
                            ProblemSpec(404, "no such credential of this organization")},
              .handler = [n](const ApiRequest& req) {
                std::string id = req.http.path_params.at("id");
                if (id.rfind("urn:uuid:", 0) != 0) id = "urn:uuid:" + id;
                return Reply(n->GetCredential(req.principal->org, id));
              }});
  routes.Add({.method = "POST",
              .path = "/credentials/verify",
              .operation_id = "verifyCredential",
              .tag = "credentials",
              .summary = "Verify a credential and report every check",
              .description = "200 with the report whether or not the credential verifies (look at "
                             "\"verified\"); 400 only for a malformed request.",
              .scope = "verify:credential",
              .request_schema = "VerifyCredentialRequest",
              .responses = {Ok(200, "the verification report", "VerificationReport")},
              .handler = [n](const ApiRequest& req) {
                return Reply(n->self->VerifyCredential(req.body));
              }});
  routes.Add({.method = "POST",
              .path = "/credentials/status",
              .operation_id = "updateCredentialStatus",
              .tag = "credentials",
              .summary = "Revoke, suspend or unsuspend a credential the organization issued",
              .scope = "update:credential",
              .request_schema = "StatusRequest",
              .responses = {Ok(200, "updated", "StatusResponse"),
                            ProblemSpec(404, "no such credential of this organization"),
                            ProblemSpec(409, "revocation is final")},
              .handler = [n](const ApiRequest& req) {
                return Reply(n->self->UpdateStatus(req.principal->org, req.body));
              }});
  routes.Add({.method = "POST",
              .path = "/presentations/prove",
              .operation_id = "provePresentation",
              .tag = "presentations",
              .summary = "Sign a presentation as the caller's organization (holder)",
              .scope = "create:presentation",
              .request_schema = "ProveRequest",
              .responses = {Ok(201, "the signed presentation", "ProveResponse"),
                            ProblemSpec(403, "presenting as another organization")},
              .handler = [n](const ApiRequest& req) {
                return Reply(n->self->ProvePresentation(req.principal->org, req.body), 201);
              }});
  routes.Add({.method = "POST",
              .path = "/presentations/verify",
              .operation_id = "verifyPresentation",
              .tag = "presentations",
              .summary = "Verify a presentation and every credential in it",
              .scope = "verify:presentation",
              .request_schema = "VerifyPresentationRequest",
              .responses = {Ok(200, "the verification report", "PresentationReport")},
              .handler = [n](const ApiRequest& req) {
                return Reply(n->self->VerifyPresentation(req.body));
              }});

  // ---- traceability-interop ----
  routes.Add(
      {.method = "POST",
       .path = "/presentations",
       .operation_id = "receivePresentation",
       .tag = "presentations",
       .summary = "Submit a TraceablePresentation to the organization that issued the client",
       .description = "Verified, stored and anchored (submission.received) before the answer. "
                      "A presentation that fails verification is refused with 400 and the "
                      "report; a duplicate id is 409; \"replace\" supersedes an earlier "
                      "presentation of the same holder. A customs organization also keeps a "
                      "submission whose enclosed credentials fail (201, \"verified\": false, "
                      "the failures as findings in \"submission\").",
       .scope = "submit:presentations",
       .request_schema = "TraceablePresentation",
       .raw_request_types = {{"application/vp+jwt", text_schema}},
       .responses = {Ok(201, "received", "PresentationReceipt"),
                     ProblemSpec(404, "replace names no presentation of this holder"),
                     ProblemSpec(409, "duplicate presentation id")},
       .handler = [n](const ApiRequest& req) -> ServerResponse {
         return internal::ReceiptOrRefusal(n->self->ReceivePresentation(
             req.principal->org, req.principal->client_id, req.content_type, req.http.body));
       }});
  routes.Add({.method = "GET",
              .path = "/presentations",
              .operation_id = "listPresentations",
              .tag = "presentations",
              .summary = "Presentations the caller's organization received",
              .scope = "read:presentations",
              .responses = {Ok(200, "the presentations", "PresentationList")},
              .handler = [n](const ApiRequest& req) {
                return Reply(n->ListPresentations(req.principal->org));
              }});
  routes.Add({.method = "GET",
              .path = "/presentations/{id}",
              .operation_id = "getPresentation",
              .tag = "presentations",
              .summary = "One presentation the caller's organization received",
              .scope = "read:presentations",
              .responses = {Ok(200, "the presentation with its report", "StoredPresentation"),
                            ProblemSpec(404, "no such presentation for this organization")},
              .handler = [n](const ApiRequest& req) {
                return Reply(n->GetPresentation(req.principal->org, req.http.path_params.at("id")));
              }});
  routes.Add({.method = "GET",
              .path = "/status/{slug}/{list}",
              .operation_id = "statusList",
              .tag = "credentials",
              .summary = "A published status list credential (Bitstring Status List v1.0)",
              .responses = {Ok(200, "the signed list", "StatusListCredential"),
                            ProblemSpec(404, "no such list")},
              .handler = [n](const ApiRequest& req) {
                return Reply(n->status_lists->Fetch(n->public_url + "/status/" +
                                                    req.http.path_params.at("slug") + "/" +
                                                    req.http.path_params.at("list")));
              }});

  // ---- Documents from data ----
  routes.Add(
      {.method = "GET",
       .path = "/documents/types",
       .operation_id = "documentTypes",
       .tag = "documents",
       .summary = "The trade document types the node issues from data, with their schemas",
       .responses = {Ok(200, "the types", "DocumentTypes")},
       .handler = [n](const ApiRequest&) { return JsonResponse(200, DocumentTypes(n->schemas)); }});
  routes.Add(
      {.method = "POST",
       .path = "/documents/issue",
       .operation_id = "issueDocuments",
       .tag = "documents",
       .summary = "Issue trade documents of one type from JSON payloads or CSV rows",
       .description =
           "JSON: {type, documents: [{credentialSubject, validFrom?, ...}], options}. CSV "
           "(text/csv, ?type=...): one document per row, columns are paths into the "
           "credential subject (docs/api/node.md). Every document is checked against the "
           "type's schema before any is signed; one bad document issues nothing.",
       .scope = "create:credential",
       .request_schema = "DocumentIssueRequest",
       .raw_request_types = {{"text/csv", text_schema}},
       .params = {{.name = "type", .description = "the document type (CSV requests)"},
                  {.name = "securing",
                   .description =
                       "CSV requests: vc-jwt, eddsa-jcs-2022, ecdsa-jcs-2019, eddsa-rdfc-2022 or "
                       "ecdsa-rdfc-2019"}},
       .responses = {Ok(201, "issued", "DocumentIssueResult"),
                     ProblemSpec(404, "unknown document type")},
       .handler = [n](const ApiRequest& req) -> ServerResponse {
         std::string type;
         std::string securing = "vc-jwt";
         std::vector<json> docs;
         if (req.content_type == "text/csv") {
           auto t = req.http.QueryParam("type");
           if (!t) return Problem(400, "query parameter type is required with text/csv");
           type = std::string(*t);
           if (auto sec = req.http.QueryParam("securing")) securing = std::string(*sec);
           auto rows = CsvToDocuments(req.http.body);
           if (!rows.ok()) return Fail(rows.status());
           docs = std::move(*rows);
         } else {
           type = req.body["type"].get<std::string>();
           securing = req.body.value("options", json::object()).value("securing", "vc-jwt");
           for (const json& d : req.body["documents"]) docs.push_back(d);
         }
         json problems;
         Result<json> r =
             n->IssueDocuments(req.principal->org, type, docs, securing, nullptr, &problems);
         if (!r.ok() && problems.is_array()) {
           // The sentence, then every problem as a structured item (RFC 9457 "errors").
           return Problem(
               400,
               std::to_string(problems.size()) + " problem(s) in the documents; nothing was issued",
               {{"errors", problems}, {"code", "INVALID_ARGUMENT"}});
         }
         return Reply(r, 201);
       }});

  // ---- Customs: submissions, decisions, provenance ----
  // Only organizations with the customs role have a queue; others get 403.
  auto customs_org = [n](const ApiRequest& req) -> Status {
    std::shared_lock<std::shared_mutex> lock(n->mu);
    ASSIGN_OR_RETURN(const Org* o, n->FindOrg(req.principal->org));
    if (!o->HasRole("customs")) {
      return PermissionDeniedError(req.principal->org + " is not a customs organization");
    }
    return Status::Ok();
  };
  routes.Add(
      {.method = "GET",
       .path = "/customs/submissions",
       .operation_id = "listSubmissions",
       .tag = "customs",
       .summary = "The officer's queue: submissions received, filtered and sorted",
       .scope = "read:submissions",
       .params = {{.name = "status",
                   .description = "received, released, held, exam or info-requested"},
                  {.name = "workflow", .description = "part of a workflow definition id"},
                  {.name = "holder", .description = "the submitter's DID"},
                  {.name = "minRisk",
                   .description = "lowest risk score (0-100)",
                   .schema = {{"type", "integer"}}},
                  {.name = "sort", .description = "risk (default), received, arrival or lead"},
                  {.name = "limit",
                   .description = "at most this many (default 200)",
                   .schema = {{"type", "integer"}}}},
       .responses = {Ok(200, "the submissions", "SubmissionList"),
                     ProblemSpec(403, "not a customs organization")},
       .handler = [n, customs_org](const ApiRequest& req) -> ServerResponse {
         if (Status s = customs_org(req); !s.ok()) return Fail(s);
         json query = json::object();
         for (const char* name : {"status", "workflow", "holder", "sort"}) {
           if (auto v = req.http.QueryParam(name)) query[name] = std::string(*v);
         }
         for (const char* name : {"minRisk", "limit"}) {
           if (auto v = req.http.QueryParam(name)) {
             const std::string text(*v);
             if (text.empty() || text.size() > 6 ||
                 text.find_first_not_of("0123456789") != std::string::npos) {
               return Problem(400, std::string(name) + ": expected a small non-negative integer");
             }
             query[name] = std::stoll(text);
           }
         }
         return Reply(n->ListSubmissions(req.principal->org, query));
       }});
  routes.Add({.method = "GET",
              .path = "/customs/submissions/{id}",
              .operation_id = "getSubmission",
              .tag = "customs",
              .summary = "One submission: credentials, verification, findings, receipt, decisions",
              .scope = "read:submissions",
              .responses = {Ok(200, "the submission", "Submission"),
                            ProblemSpec(403, "not a customs organization"),
                            ProblemSpec(404, "no such submission")},
              .handler = [n, customs_org](const ApiRequest& req) -> ServerResponse {
                if (Status s = customs_org(req); !s.ok()) return Fail(s);
                return Reply(n->GetSubmission(req.principal->org, req.http.path_params.at("id")));
              }});
  routes.Add({.method = "POST",
              .path = "/customs/submissions/{id}/decision",
              .operation_id = "decideSubmission",
              .tag = "customs",
              .summary = "Record the officer's decision (anchored as decision.recorded)",
              .scope = "decide:submissions",
              .request_schema = "DecisionRequest",
              .responses = {Ok(201, "recorded", "Decision"),
                            ProblemSpec(403, "not a customs organization"),
                            ProblemSpec(404, "no such submission")},
              .handler = [n, customs_org](const ApiRequest& req) -> ServerResponse {
                if (Status s = customs_org(req); !s.ok()) return Fail(s);
                return Reply(n->Decide(req.principal->org, req.principal->client_id,
                                       req.http.path_params.at("id"), req.body),
                             201);
              }});
  routes.Add({.method = "GET",
              .path = "/customs/submissions/{id}/status",
              .operation_id = "submissionStatus",
              .tag = "customs",
              .summary = "The submitter's view: status and latest decision of its submission",
              .description = "Answers only the client that submitted it; 404 to any other.",
              .scope = "submit:presentations",
              .responses = {Ok(200, "the status", "SubmissionStatus"),
                            ProblemSpec(404, "no such submission from this client")},
              .handler = [n](const ApiRequest& req) {
                return Reply(n->SubmissionStatus(req.principal->org, req.principal->client_id,
                                                 req.http.path_params.at("id")));
              }});
  routes.Add({.method = "GET",
              .path = "/customs/trace",
              .operation_id = "trace",
              .tag = "customs",
              .summary = "Provenance: trace back from a submission, or forward from an identifier",
              .description = "?submission=ID walks back to the mills and wells; ?kind=heat&value=H "
                             "walks forward to every credential and submission carrying it.",
              .scope = "read:submissions",
              .params = {{.name = "submission", .description = "trace back from this submission"},
                         {.name = "kind",
                          .description = "heat, batch, ticket, bol, invoice, po, entry, lot, gtin, "
                                         "gln, well, certificate, license"},
                         {.name = "value", .description = "the identifier"}},
              .responses = {Ok(200, "the trace", "Trace"), ProblemSpec(404, "no such submission")},
              .handler = [n, customs_org](const ApiRequest& req) -> ServerResponse {
                if (Status s = customs_org(req); !s.ok()) return Fail(s);
                json query = json::object();
                for (const char* name : {"submission", "kind", "value"}) {
                  if (auto v = req.http.QueryParam(name)) query[name] = std::string(*v);
                }
                if (!query.contains("submission") && !query.contains("kind")) {
                  return Problem(400, "give submission=ID, or kind and value");
                }
                return Reply(n->Trace(req.principal->org, query));
              }});
  routes.Add({.method = "GET",
              .path = "/customs/ruleset",
              .operation_id = "ruleset",
              .tag = "customs",
              .summary = "The rule set this node runs, with its version (public)",
              .responses = {Ok(200, "the rule set", "RuleSet")},
              .handler = [](const ApiRequest&) {
                return JsonResponse(200, customs::RuleSet::Builtin().ToJson());
              }});

  // ---- Trust registry ----
  routes.Add({.method = "POST",
              .path = "/registry/entries",
              .operation_id = "registryAdmit",
              .tag = "registry",
              .summary = "Admit an organization as a legitimate actor (authority only)",
              .description =
                  "Validates every legal identifier, issues an AccreditedActorCredential "
                  "and anchors it and the registry.update on the ledger.",
              .scope = "manage:registry",
              .request_schema = "RegistryAdmitRequest",
              .responses = {Ok(201, "admitted", "RegistryEntry"),
                            ProblemSpec(403, "the caller is not a registry authority"),
                            ProblemSpec(409, "already admitted, or an identifier is taken")},
              .handler = [n](const ApiRequest& req) {
                return Reply(n->RegistryAdmit(req.principal->org, req.body), 201);
              }});
  for (auto [verb, action] : {std::pair{"suspend", registry::Action::kSuspend},
                              std::pair{"reinstate", registry::Action::kReinstate},
                              std::pair{"remove", registry::Action::kRemove}}) {
    const std::string v = verb;
    const registry::Action a = action;
    routes.Add({.method = "POST",
                .path = "/registry/entries/{did}/" + v,
                .operation_id = "registry" + std::string(1, static_cast<char>(std::toupper(v[0]))) +
                                v.substr(1),
                .tag = "registry",
                .summary = v == "suspend"     ? "Suspend an admission (authority only)"
                           : v == "reinstate" ? "Reinstate a suspended admission (authority only)"
                                              : "Remove an actor for good (authority only)",
                .scope = "manage:registry",
                .request_schema = "RegistryChangeRequest",
                .responses = {Ok(200, "changed", "RegistryEntry"),
                              ProblemSpec(403, "not this entry's authority"),
                              ProblemSpec(404, "no such entry"),
                              ProblemSpec(409, "the change does not apply in the entry's state")},
                .handler = [n, a](const ApiRequest& req) {
                  return Reply(n->RegistryChange(
                      req.principal->org, DidParam(req.http, 2, req.http.path_params.at("did")), a,
                      req.body.value("reason", "")));
                }});
  }
  routes.Add(
      {.method = "GET",
       .path = "/registry/entries/{did}",
       .operation_id = "registryGet",
       .tag = "registry",
       .summary = "A registry entry by DID, with its history (public)",
       .responses = {Ok(200, "the entry", "RegistryEntry"), ProblemSpec(404, "not registered")},
       .handler = [n](const ApiRequest& req) {
         return Reply(n->RegistryGet(DidParam(req.http, 2, req.http.path_params.at("did"))));
       }});
  routes.Add(
      {.method = "GET",
       .path = "/registry/entries",
       .operation_id = "registryFind",
       .tag = "registry",
       .summary = "Find a registry entry by legal identifier (public)",
       .params = {{.name = "scheme",
                   .description = "lei, ein, ior, cbp, mid, gln, gtin, bn, rfc, duns",
                   .required = true},
                  {.name = "value", .description = "the identifier", .required = true}},
       .responses = {Ok(200, "the entry", "RegistryEntry"), ProblemSpec(404, "not registered")},
       .handler = [n](const ApiRequest& req) -> ServerResponse {
         auto scheme = req.http.QueryParam("scheme");
         auto value = req.http.QueryParam("value");
         if (!scheme || !value)
           return Problem(400, "query parameters scheme and value are required");
         return Reply(n->RegistryFind(std::string(*scheme), std::string(*value)));
       }});
  routes.Add({.method = "POST",
              .path = "/registry/identifiers/validate",
              .operation_id = "validateIdentifier",
              .tag = "registry",
              .summary = "Check a legal identifier (check digits, structure) and normalize it",
              .request_schema = "IdentifierCheckRequest",
              .responses = {Ok(200, "the verdict", "IdentifierCheck")},
              .handler = [](const ApiRequest& req) {
                const std::string scheme = req.body["scheme"];
                auto r = registry::ValidateIdentifier(scheme, req.body["value"].get<std::string>());
                json out = {{"scheme", scheme}, {"valid", r.ok()}};
                if (r.ok()) {
                  out["normalized"] = *r;
                } else {
                  out["error"] = std::string(r.status().message());
                }
                return JsonResponse(200, out);
              }});

  // ---- Ledger (mounted by the ledger module; described here) ----
  routes.Add({.method = "GET",
              .path = "/ledger/log.vkey",
              .operation_id = "ledgerLogKey",
              .tag = "ledger",
              .summary = "The log's public key (C2SP vkey): compare it with one obtained out of "
                         "band before trusting receipts",
              .responses = {{200, "the verifier key", "text/plain", text_schema}},
              .unlimited = true});
  routes.Add({.method = "GET",
              .path = "/checkpoint",
              .operation_id = "ledgerCheckpoint",
              .tag = "ledger",
              .summary = "The latest signed checkpoint (C2SP signed note)",
              .responses = {{200, "the checkpoint", "text/plain", text_schema},
                            ProblemSpec(404, "no checkpoint yet")},
              .unlimited = true});
  routes.Add(
      {.method = "GET",
       .path = "/ledger/entries/{index}",
       .operation_id = "ledgerEntry",
       .tag = "ledger",
       .summary = "One ledger entry with its leaf hash",
       .params = {{.name = "index",
                   .in = "path",
                   .schema = {{"type", "string"}, {"pattern", "^[0-9]+$"}}}},
       .responses = {Ok(200, "the entry", "LedgerEntry"), ProblemSpec(404, "beyond the log")},
       .unlimited = true});
  routes.Add({.method = "GET",
              .path = "/ledger/proof/inclusion",
              .operation_id = "ledgerInclusionProof",
              .tag = "ledger",
              .summary = "RFC 9162 inclusion proof",
              .params = {{.name = "index", .required = true}, {.name = "tree_size"}},
              .responses = {Ok(200, "the proof", "InclusionProof")},
              .unlimited = true});
  routes.Add({.method = "GET",
              .path = "/ledger/proof/consistency",
              .operation_id = "ledgerConsistencyProof",
              .tag = "ledger",
              .summary = "RFC 9162 consistency proof",
              .params = {{.name = "first", .required = true}, {.name = "second"}},
              .responses = {Ok(200, "the proof", "ConsistencyProof")},
              .unlimited = true});
  routes.Add({.method = "GET",
              .path = "/ledger/receipts/{index}",
              .operation_id = "ledgerReceipt",
              .tag = "ledger",
              .summary = "An offline-verifiable receipt (C2SP tlog-proof; ?format=json for JSON)",
              .params = {{.name = "format", .schema = {{"enum", {"text", "json"}}}}},
              .responses = {{200,
                             "the receipt (text by default, JSON with ?format=json)",
                             "text/plain",
                             text_schema,
                             {{"application/json", {{"type", "object"}}}}},
                            ProblemSpec(404, "beyond the log"),
                            ProblemSpec(409, "not yet covered by a final checkpoint")},
              .unlimited = true});
}

}  // namespace traceport::node
