#include "node/api.h"

#include <algorithm>
#include <exception>
#include <set>

#include "codec/json.h"
#include "common/log.h"

namespace traceport::node {

namespace {

using nlohmann::json;

constexpr std::string_view kComponentPrefix = "#/components/schemas/";
constexpr std::string_view kRegistryPrefix = "https://traceport.dev/api/schemas/";

// Rewrites component references to the registry's absolute ids, so that schemas can refer to
// each other in the registry exactly as they do in the document.
void RewriteRefs(json& schema) {
  if (schema.is_object()) {
    for (auto& [key, value] : schema.items()) {
      if (key == "$ref" && value.is_string()) {
        std::string ref = value.get<std::string>();
        if (ref.rfind(kComponentPrefix, 0) == 0) {
          value = std::string(kRegistryPrefix) + ref.substr(kComponentPrefix.size());
        }
      } else {
        RewriteRefs(value);
      }
    }
  } else if (schema.is_array()) {
    for (json& v : schema) RewriteRefs(v);
  }
}

std::string MediaType(std::string_view header) {
  std::string t(header.substr(0, header.find(';')));
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
  std::transform(t.begin(), t.end(), t.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return t;
}

bool IsJsonMediaType(std::string_view t) {
  return t == "application/json" ||
         (t.rfind("application/", 0) == 0 && t.size() > 5 && t.substr(t.size() - 5) == "+json");
}

json ProblemRef() { return {{"$ref", "#/components/schemas/Problem"}}; }

// Path parameter names of a pattern, in order.
std::vector<std::string> PathParams(const std::string& pattern) {
  std::vector<std::string> out;
  size_t i = 0;
  while ((i = pattern.find('{', i)) != std::string::npos) {
    size_t j = pattern.find('}', i);
    if (j == std::string::npos) break;
    std::string name = pattern.substr(i + 1, j - i - 1);
    if (name.size() > 3 && name.substr(name.size() - 3) == "...") name.resize(name.size() - 3);
    out.push_back(name);
    i = j + 1;
  }
  return out;
}

std::string OpenApiPath(const std::string& pattern) {
  std::string out = pattern;
  size_t i;
  while ((i = out.find("...}")) != std::string::npos) out.erase(i, 3);
  return out;
}

}  // namespace

net::ServerResponse Problem(int status, std::string_view detail, const json& extra) {
  json body = {{"type", "about:blank"},
               {"title", std::string(net::HttpReasonPhrase(status))},
               {"status", status}};
  if (!detail.empty()) body["detail"] = detail;
  if (extra.is_object()) {
    for (const auto& [k, v] : extra.items()) body[k] = v;
  }
  net::ServerResponse r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = codec::DumpJson(body);
  return r;
}

net::ServerResponse JsonResponse(int status, const json& body, std::string content_type) {
  net::ServerResponse r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = codec::DumpJson(body);
  return r;
}

Api::Api(ApiOptions options) : options_(std::move(options)) {
  json error_item = {
      {"type", "object"},
      {"required", json::array({"pointer", "message"})},
      {"properties",
       {{"pointer", {{"type", "string"}}},
        {"message", {{"type", "string"}}},
        {"document",
         {{"type", "integer"},
          {"minimum", 0},
          {"description", "POST /documents/issue: which document (from 0) the problem is in"}}}}}};
  json problem = {
      {"type", "object"},
      {"description", "RFC 9457 problem details"},
      {"required", json::array({"type", "title", "status"})},
      {"properties",
       {{"type", {{"type", "string"}}},
        {"title", {{"type", "string"}}},
        {"status", {{"type", "integer"}, {"minimum", 400}, {"maximum", 599}}},
        {"detail", {{"type", "string"}}},
        {"instance", {{"type", "string"}}},
        {"code", {{"type", "string"}}},
        {"errors", {{"type", "array"}, {"items", error_item}}},
        {"error", {{"type", "string"}, {"description", "OAuth 2.0 error code (token endpoint)"}}},
        {"error_description", {{"type", "string"}}}}}};
  (void)AddSchema("Problem", std::move(problem));
}

Api::~Api() = default;

Status Api::AddSchema(const std::string& name, json schema) {
  if (schemas_.contains(name)) return AlreadyExistsError("schema " + name + " is already defined");
  if (!schema.is_object()) {
    return InvalidArgumentError("schema " + name + " must be a JSON object (with a type)");
  }
  schemas_[name] = schema;
  json registered = std::move(schema);
  RewriteRefs(registered);
  registered["$id"] = std::string(kRegistryPrefix) + name;
  registered["$schema"] = std::string(vc::kJsonSchemaDraft202012);
  return registry_.Add(registered);
}

void Api::Add(Route route) { routes_.push_back(std::move(route)); }

Status Api::Mount(net::HttpServer& server) {
  RETURN_IF_ERROR(registry_.CheckAll());
  std::set<std::string> ids;
  for (const Route& r : routes_) {
    if (!ids.insert(r.operation_id).second) {
      return InvalidArgumentError("operationId " + r.operation_id + " is used twice");
    }
    if (!r.scope.empty() && !IsKnownScope(r.scope)) {
      return InvalidArgumentError(r.operation_id + ": unknown scope " + r.scope);
    }
    if (!r.scope.empty() && options_.tokens == nullptr) {
      return FailedPreconditionError(r.operation_id + " needs a scope but no token service is set");
    }
    if (!r.request_schema.empty() && !schemas_.contains(r.request_schema)) {
      return InvalidArgumentError(r.operation_id + ": unknown request schema " + r.request_schema);
    }
    if (r.responses.empty()) return InvalidArgumentError(r.operation_id + " declares no response");
    if (!r.handler) continue;
    const Route* route = &r;
    server.Handle(r.method, r.path,
                  [this, route](const net::ServerRequest& req) { return Serve(*route, req); });
  }
  return Status::Ok();
}

net::ServerResponse Api::Serve(const Route& route, const net::ServerRequest& req) const {
  Principal principal;
  const Principal* who = nullptr;
  if (!route.scope.empty()) {
    std::optional<std::string_view> auth = req.Header("Authorization");
    std::string_view token;
    if (auth && auth->size() > 7 && (*auth)[6] == ' ') {
      std::string scheme(auth->substr(0, 6));
      for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (scheme == "bearer") token = auth->substr(7);  // the scheme is case-insensitive
    }
    // Checking a token costs a signature verification; callers without a token the node already
    // knows pay for it from their address's budget, so forged tokens are rate-limited too.
    if (options_.limiter != nullptr && !route.unlimited &&
        (token.empty() || !options_.tokens->IsCached(token))) {
      if (auto wait = options_.limiter->Take("ip:" + req.remote_addr)) {
        net::ServerResponse r = Problem(
            429, "rate limit exceeded; retry after " + std::to_string(wait->count()) + " s");
        r.headers.emplace_back("Retry-After", std::to_string(wait->count()));
        return r;
      }
    }
    if (token.empty() && !auth && options_.users != nullptr && HasSessionCookie(req)) {
      Result<Session> s = SessionOfRequest(*options_.users, req);
      if (!s.ok()) {
        const bool ended = s.status().code() == StatusCode::kUnauthenticated;
        return Problem(ended ? 401 : 403, std::string(s.status().message()));
      }
      principal = s->user.ToPrincipal();
      who = &principal;
      if (!principal.Has(route.scope)) {
        return Problem(403, "the role " + std::string(UserRoleName(s->user.role)) +
                                " may not use this route (it needs the scope " + route.scope + ")");
      }
    } else {
      if (token.empty()) {
        net::ServerResponse r =
            Problem(401, "this route needs an OAuth 2.0 bearer token with scope " + route.scope +
                             " (POST /oauth/token)");
        r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"traceport\"");
        return r;
      }
      Result<Principal> p = options_.tokens->Verify(token);
      if (!p.ok()) {
        net::ServerResponse r = Problem(401, std::string(p.status().message()));
        r.headers.emplace_back("WWW-Authenticate",
                               "Bearer realm=\"traceport\", error=\"invalid_token\"");
        return r;
      }
      principal = std::move(*p);
      who = &principal;
      if (!principal.Has(route.scope)) {
        net::ServerResponse r = Problem(403, "the access token lacks the scope " + route.scope);
        r.headers.emplace_back(
            "WWW-Authenticate",
            "Bearer realm=\"traceport\", error=\"insufficient_scope\", scope=\"" + route.scope +
                "\"");
        return r;
      }
    }
  }
  if (options_.limiter != nullptr && !route.unlimited) {
    const std::string key = who != nullptr ? "client:" + who->client_id : "ip:" + req.remote_addr;
    if (auto wait = options_.limiter->Take(key)) {
      net::ServerResponse r =
          Problem(429, "rate limit exceeded; retry after " + std::to_string(wait->count()) + " s");
      r.headers.emplace_back("Retry-After", std::to_string(wait->count()));
      return r;
    }
  }
  ApiRequest api{req, json(), "", who};
  const bool has_body = !req.body.empty();
  if (!route.request_schema.empty() || !route.raw_request_types.empty()) {
    std::optional<std::string_view> ct = req.Header("Content-Type");
    api.content_type = ct ? MediaType(*ct) : "";
    bool raw = false;
    for (const auto& [type, schema] : route.raw_request_types) {
      if (type == api.content_type) raw = true;
    }
    if (!raw) {
      if (route.request_schema.empty() || !IsJsonMediaType(api.content_type)) {
        std::string accepted = route.request_schema.empty() ? "" : "application/json";
        for (const auto& [type, schema] : route.raw_request_types) {
          accepted += (accepted.empty() ? "" : ", ") + type;
        }
        if (!has_body && api.content_type.empty()) {
          return Problem(400, "the request has no body; expected " + accepted);
        }
        return Problem(
            415, "unsupported Content-Type \"" + api.content_type + "\"; expected " + accepted);
      }
      codec::JsonLimits limits;
      limits.max_depth = options_.max_json_depth;
      // ParseJson reads with simdjson first (a request body is mostly one long string, which
      // nlohmann's lexer would read a byte at a time).
      Result<json> body = codec::ParseJson(req.body, limits);
      if (!body.ok()) {
        return Problem(
            400, "the request body is not valid JSON: " + std::string(body.status().message()));
      }
      std::vector<vc::Problem> problems = vc::ValidateAgainstSchema(
          *body, std::string(kRegistryPrefix) + route.request_schema, registry_);
      if (!problems.empty()) {
        json errors = json::array();
        for (const vc::Problem& p : problems) {
          errors.push_back({{"pointer", p.pointer}, {"message", p.message}});
        }
        return Problem(400,
                       "the request body does not match " + route.request_schema + ": " +
                           (problems[0].pointer.empty() ? "" : problems[0].pointer + ": ") +
                           problems[0].message,
                       {{"errors", errors}});
      }
      api.body = std::move(*body);
    }
  }
  try {
    net::ServerResponse r = route.handler(api);
    if (who != nullptr) r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  } catch (const std::exception& e) {
    log::Error("api.handler_exception", {{"operation", route.operation_id}, {"what", e.what()}});
    return Problem(500, "internal error");
  }
}

json Api::OpenApi() const {
  json paths = json::object();
  for (const Route& r : routes_) {
    json op = {{"operationId", r.operation_id}, {"summary", r.summary}};
    if (!r.tag.empty()) op["tags"] = json::array({r.tag});
    if (!r.description.empty()) op["description"] = r.description;
    op["security"] =
        r.scope.empty() ? json::array() : json::array({{{"oauth2", json::array({r.scope})}}});
    json params = json::array();
    for (const std::string& name : PathParams(r.path)) {
      json schema = {{"type", "string"}};
      std::string description;
      for (const ParamSpec& p : r.params) {
        if (p.in == "path" && p.name == name) {
          schema = p.schema;
          description = p.description;
        }
      }
      json param = {{"name", name}, {"in", "path"}, {"required", true}, {"schema", schema}};
      if (!description.empty()) param["description"] = description;
      params.push_back(std::move(param));
    }
    for (const ParamSpec& p : r.params) {
      if (p.in != "query") continue;
      json param = {
          {"name", p.name}, {"in", "query"}, {"required", p.required}, {"schema", p.schema}};
      if (!p.description.empty()) param["description"] = p.description;
      params.push_back(std::move(param));
    }
    if (!params.empty()) op["parameters"] = std::move(params);
    if (!r.request_schema.empty() || !r.raw_request_types.empty()) {
      json content = json::object();
      if (!r.request_schema.empty()) {
        content["application/json"] = {
            {"schema", {{"$ref", std::string(kComponentPrefix) + r.request_schema}}}};
      }
      for (const auto& [type, schema] : r.raw_request_types) content[type] = {{"schema", schema}};
      op["requestBody"] = {{"required", true}, {"content", content}};
    }
    json responses = json::object();
    for (const ResponseSpec& s : r.responses) {
      json resp = {{"description", s.description}};
      if (!s.content_type.empty()) {
        resp["content"] = {
            {s.content_type, s.schema.is_null() ? json::object() : json{{"schema", s.schema}}}};
        for (const auto& [type, schema] : s.more_content) {
          resp["content"][type] = schema.is_null() ? json::object() : json{{"schema", schema}};
        }
      }
      if (s.status == 429) {
        resp["headers"] = {{"Retry-After", {{"schema", {{"type", "integer"}}}}}};
      }
      responses[std::to_string(s.status)] = std::move(resp);
    }
    auto add_problem = [&](int status, const char* why) {
      const std::string key = std::to_string(status);
      if (responses.contains(key)) return;
      json resp = {{"description", why},
                   {"content", {{"application/problem+json", {{"schema", ProblemRef()}}}}}};
      if (status == 429) resp["headers"] = {{"Retry-After", {{"schema", {{"type", "integer"}}}}}};
      responses[key] = std::move(resp);
    };
    // Any request can be malformed (a GET with a body, a bad path segment, ...).
    add_problem(400, "malformed request: the problem lists each error with its JSON Pointer");
    if (!r.scope.empty()) {
      add_problem(401, "no valid bearer token");
      add_problem(403, "the token lacks the route's scope");
    }
    if (!r.request_schema.empty() || !r.raw_request_types.empty()) {
      add_problem(413, "the body exceeds the node's size limit");
      add_problem(415, "unsupported request media type");
    }
    if (!r.unlimited) add_problem(429, "rate limit exceeded (see Retry-After)");
    // 500 internal error, 503 a dependency (the ledger, another node) unavailable, 504 it timed
    // out.
    if (!responses.contains("5XX")) {
      responses["5XX"] = {
          {"description", "server error: internal (500), unavailable (503), timed out (504)"},
          {"content", {{"application/problem+json", {{"schema", ProblemRef()}}}}}};
    }
    op["responses"] = std::move(responses);
    std::string method = r.method;
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    paths[OpenApiPath(r.path)][method] = std::move(op);
  }
  json scopes = json::object();
  for (const ScopeInfo& s : AllScopes()) scopes[std::string(s.name)] = std::string(s.meaning);
  return {
      {"openapi", "3.1.0"},
      {"jsonSchemaDialect", "https://json-schema.org/draft/2020-12/schema"},
      {"info",
       {{"title", options_.title},
        {"version", options_.version},
        {"description", options_.description}}},
      {"paths", paths},
      {"components",
       {{"schemas", schemas_},
        {"securitySchemes",
         {{"oauth2",
           {{"type", "oauth2"},
            {"description", "OAuth 2.0 client credentials (RFC 6749 §4.4)"},
            {"flows",
             {{"clientCredentials", {{"tokenUrl", "/oauth/token"}, {"scopes", scopes}}}}}}}}}}}};
}

}  // namespace traceport::node
